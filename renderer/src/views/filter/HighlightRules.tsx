// Highlight rules: colour rows that match, separately from the filter that hides rows.
import { useState } from 'react';
import { parseFilter } from '../../../../shared/api/filter.ts';
import { useInspector } from '../../store/context.tsx';
import { HIGHLIGHT_COLORS } from '../../store/types.ts';
import type { HighlightColor } from '../../store/types.ts';

export function HighlightRules() {
  const rules = useInspector((s) => s.highlightRules);
  const add = useInspector((s) => s.addHighlight);
  const remove = useInspector((s) => s.removeHighlight);
  const toggle = useInspector((s) => s.toggleHighlight);
  const [filter, setFilter] = useState('');
  const [color, setColor] = useState<HighlightColor>('yellow');
  const errors = filter.trim() === '' ? [] : parseFilter(filter).errors;
  return (
    <fieldset className="highlights">
      <legend>Highlight rules</legend>
      <form className="row-form" onSubmit={(e) => { e.preventDefault(); if (errors.length === 0) { add(filter, color); setFilter(''); } }}>
        <input aria-label="Highlight filter" className="mono" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="error" />
        <select aria-label="Highlight colour" value={color} onChange={(e) => setColor(e.target.value as HighlightColor)}>
          {HIGHLIGHT_COLORS.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <button type="submit" disabled={filter.trim() === '' || errors.length > 0}>Add highlight</button>
      </form>
      {errors.length > 0 ? <p className="error-text">{errors.join('; ')}</p> : null}
      <ul className="plain">
        {rules.map((r) => (
          <li key={r.id} className={`hl-${r.color}`}>
            <label className="inline"><input type="checkbox" checked={r.enabled} onChange={() => toggle(r.id)} /> <code>{r.filter}</code></label>{' '}
            <button type="button" aria-label={`Remove highlight ${r.filter}`} onClick={() => remove(r.id)}>✕</button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
