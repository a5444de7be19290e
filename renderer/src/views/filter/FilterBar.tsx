// The filter bar: the shared grammar with autocomplete (Tab or Enter on a suggestion) and inline
// help; parse errors show under it and the grid keeps the last valid view until they are fixed.
import { useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { FILTER_FIELDS, parseFilter, suggestFilter } from '../../../../shared/api/filter.ts';
import { COMMAND_VERBS } from '../../../../shared/msnp/catalog.ts';
import { useInspector } from '../../store/context.tsx';

export const FILTER_INPUT_ID = 'filter-input';

export function FilterBar() {
  const filterText = useInspector((s) => s.filterText);
  const setFilter = useInspector((s) => s.setFilter);
  const [focused, setFocused] = useState(false);
  const [active, setActive] = useState(0);
  const errors = useMemo(() => parseFilter(filterText).errors, [filterText]);
  const suggestions = useMemo(() => (focused ? suggestFilter(filterText, COMMAND_VERBS).slice(0, 8) : []), [filterText, focused]);

  const accept = (insert: string) => {
    const start = filterText.search(/\S*$/);
    const next = filterText.slice(0, start) + insert;
    setFilter(insert.endsWith(':') ? next : `${next} `);
    setActive(0);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (suggestions.length === 0 || filterText.trim() === '' && event.key !== 'ArrowDown') return;
    if (event.key === 'ArrowDown') setActive((active + 1) % suggestions.length);
    else if (event.key === 'ArrowUp') setActive((active - 1 + suggestions.length) % suggestions.length);
    else if (event.key === 'Tab' && !event.shiftKey) accept(suggestions[active]?.insert ?? suggestions[0].insert);
    else return;
    event.preventDefault();
  };

  return (
    <div className="filter-bar" role="search">
      <input
        id={FILTER_INPUT_ID}
        aria-label="Filter"
        aria-autocomplete="list"
        aria-controls="filter-suggestions"
        aria-invalid={errors.length > 0}
        aria-describedby="filter-help"
        className="mono"
        value={filterText}
        placeholder="Filter: verb:MSG dir:client server:sb -verb:PNG error text   ( / to focus )"
        onChange={(e) => setFilter(e.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setTimeout(() => setFocused(false), 150)}
        spellCheck={false}
      />
      {suggestions.length > 0 ? (
        <ul id="filter-suggestions" role="listbox" aria-label="Filter suggestions" className="popover suggestions">
          {suggestions.map((s, i) => (
            <li key={s.insert} role="option" aria-selected={i === active} onMouseDown={(e) => { e.preventDefault(); accept(s.insert); }}>
              <code>{s.insert}</code> <span className="muted">{s.help}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div id="filter-help" className={errors.length > 0 ? 'error-text' : 'muted help-line'}>
        {errors.length > 0 ? errors.join('; ') : `Terms are ANDed; prefix - to negate; a|b for either. Fields: ${FILTER_FIELDS.map((f) => f.key).join(', ')}.`}
      </div>
    </div>
  );
}
