// Commands: a virtualized grid of every command that passes the filter and session scope.
// Follows the newest row while live unless the user scrolls up; request and reply (TrID) are
// linked: selecting one marks the other, and `l` jumps between them. Rows whose commands are
// still loading in the background show as placeholders, and the grid says it is busy.
import { useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { findById } from '../../lib/sorted.ts';
import { nextRowIndex } from '../../lib/roving.ts';
import { useInspector } from '../../store/context.tsx';
import { rowAt } from '../../store/visible.ts';
import { ColumnMenu } from './ColumnMenu.tsx';
import { CommandRow, LoadingRow } from './CommandRow.tsx';
import { COLUMNS, sessionLabel } from './columns.tsx';
import { useFixedRows } from './use-fixed-rows.ts';
import { useHighlighter } from './use-highlights.ts';
import { useVisibleCommands } from './use-visible.ts';

export const ROW_HEIGHT = 22;
const BOTTOM_MARGIN = ROW_HEIGHT * 2;
const OVERSCAN = 8;

export function CommandsView() {
  const rows = useVisibleCommands();
  const commands = useInspector((s) => s.commands);
  const olderCount = useInspector((s) => s.older.commands);
  const sessionsById = useInspector((s) => s.sessionsById);
  const columns = useInspector((s) => s.columns);
  const selectedId = useInspector((s) => s.selectedCommandId);
  const selectCommand = useInspector((s) => s.selectCommand);
  const followLive = useInspector((s) => s.followLive);
  const setFollowLive = useInspector((s) => s.setFollowLive);
  const highlight = useHighlighter();
  const scrollRef = useRef<HTMLDivElement>(null);
  const selected = selectedId === null ? undefined : findById(commands, selectedId);
  const pairId = selected?.pairId ?? null;
  const win = useFixedRows(scrollRef, { count: rows.count, rowHeight: ROW_HEIGHT, overscan: OVERSCAN, follow: followLive, onScrolled: setFollowLive, endMargin: BOTTOM_MARGIN });

  const indexOfSelected = () => {
    if (selectedId === null) return -1;
    for (let i = rows.count - 1; i >= 0; i--) if (rowAt(rows, commands, i)?.id === selectedId) return i;
    return -1;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'l' && pairId !== null) {
      event.preventDefault();
      selectCommand(pairId);
      return;
    }
    const current = indexOfSelected();
    const next = nextRowIndex(event.key, current < 0 ? rows.count : current, rows.count, 20);
    if (next === null) return;
    event.preventDefault();
    const command = rowAt(rows, commands, next);
    if (!command) return;
    selectCommand(command.id);
    if (next < rows.count - 1) setFollowLive(false);
    win.reveal(next);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-command-id="${command.id}"]`)?.focus());
  };

  const total = commands.length + olderCount;
  // Row i renders in element slot i % n, n the number of rows rendered (constant while following
  // or scrolling): a row that stays in view keeps its element (and skips rendering, memoized), and
  // a row scrolled or pushed out hands its element to the one coming in, so a frame of live ingest
  // or a long scroll step updates text instead of creating and destroying elements. The DOM keeps
  // row order.
  const pool = Math.max(1, win.end - win.start);
  const body: ReactNode[] = [];
  for (let i = win.start; i < win.end; i++) {
    const command = rowAt(rows, commands, i);
    const top = i * ROW_HEIGHT;
    if (!command) {
      body.push(<LoadingRow key={`l${i % pool}`} index={i} top={top} />);
      continue;
    }
    body.push(
      <CommandRow
        key={`r${i % pool}`}
        command={command}
        previous={i > 0 ? rowAt(rows, commands, i - 1) : undefined}
        sessionLabel={sessionLabel(command, sessionsById.get(command.sessionId))}
        columns={columns}
        index={i}
        top={top}
        selected={command.id === selectedId}
        paired={pairId !== null && command.id === pairId}
        highlight={highlight(command)}
        onSelect={selectCommand}
      />,
    );
  }

  return (
    <section aria-label="Commands" className="panel commands">
      <div className="panel-bar">
        <h2 className="panel-title">Commands</h2>
        <span className="muted" aria-live="polite">
          {rows.count === total ? `${rows.count}` : `${rows.count} of ${total}`}
        </span>
        {olderCount > 0 ? <span className="muted">loading {olderCount} older…</span> : null}
        {!followLive ? (
          <button type="button" onClick={() => setFollowLive(true)} title="Scroll to the newest command and stay there (End)">
            Follow live
          </button>
        ) : null}
        <ColumnMenu />
      </div>
      <div
        role="grid"
        aria-label="Command list"
        aria-rowcount={rows.count + 1}
        aria-busy={olderCount > 0}
        className="cmd-grid"
        onKeyDown={onKeyDown}
      >
        <div role="row" aria-rowindex={1} className="cmd-row header">
          {columns.map((key) => (
            <span role="columnheader" key={key} className={`cell ${key}`}>
              {COLUMNS[key].title}
            </span>
          ))}
        </div>
        <div className="cmd-scroll" ref={scrollRef} onScroll={win.onScroll} tabIndex={selectedId === null ? 0 : -1}>
          <div className="cmd-spacer" style={{ height: win.totalHeight }}>{body}</div>
        </div>
      </div>
    </section>
  );
}
