// Choose which columns the Commands grid shows.
import { useState } from 'react';
import { useInspector } from '../../store/context.tsx';
import { ALL_COLUMNS } from '../../store/ui-slice.ts';
import { COLUMNS } from './columns.tsx';

export function ColumnMenu() {
  const [open, setOpen] = useState(false);
  const columns = useInspector((s) => s.columns);
  const toggle = useInspector((s) => s.toggleColumn);
  return (
    <div className="column-menu">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns
      </button>
      {open ? (
        <fieldset className="popover">
          <legend>Visible columns</legend>
          {ALL_COLUMNS.map((key) => (
            <label key={key}>
              <input type="checkbox" checked={columns.includes(key)} onChange={() => toggle(key)} /> {COLUMNS[key].title}
            </label>
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}
