// One row of the Commands grid, and the stand-in for a row whose command is still loading. Rows
// are memoized on plain values, so a frame of live ingest re-renders only the rows that changed.
import { memo } from 'react';
import type { CommandRecord } from '../../../../shared/api/contract.ts';
import type { ColumnKey, HighlightColor } from '../../store/types.ts';
import { COLUMNS } from './columns.tsx';

interface Props {
  command: CommandRecord;
  previous: CommandRecord | undefined;
  /** "NS s1": session records change with every batch (their counts), the label does not. */
  sessionLabel: string;
  columns: readonly ColumnKey[];
  index: number;
  top: number;
  selected: boolean;
  paired: boolean;
  highlight: HighlightColor | null;
  onSelect(id: number): void;
}

export const CommandRow = memo(function CommandRow(p: Props) {
  const c = p.command;
  const classes = ['cmd-row', c.direction, p.selected && 'selected', p.paired && 'paired', p.highlight && `hl-${p.highlight}`, c.origin !== 'wire' && c.origin];
  return (
    <div
      role="row"
      aria-rowindex={p.index + 2}
      aria-selected={p.selected}
      data-command-id={c.id}
      tabIndex={p.selected ? 0 : -1}
      className={classes.filter(Boolean).join(' ')}
      style={{ transform: `translateY(${p.top}px)` }}
      onClick={() => p.onSelect(c.id)}
    >
      {p.columns.map((key) => (
        <span role="gridcell" key={key} className={`cell ${key}`}>
          {COLUMNS[key].cell({ command: c, previous: p.previous, sessionLabel: p.sessionLabel })}
        </span>
      ))}
    </div>
  );
});

export const LoadingRow = memo(function LoadingRow({ index, top }: { index: number; top: number }) {
  return (
    <div role="row" aria-rowindex={index + 2} className="cmd-row loading" style={{ transform: `translateY(${top}px)` }}>
      <span role="gridcell" className="cell">loading…</span>
    </div>
  );
});
