// Commands: a virtualized grid of every command that passes the filter and session scope.
// Follows the newest row while live unless the user scrolls up; request and reply (TrID) are
// linked: selecting one marks the other, and `l` jumps between them.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { findById } from '../../lib/sorted.ts';
import { nextRowIndex } from '../../lib/roving.ts';
import { useInspector } from '../../store/context.tsx';
import { rowAt } from '../../store/visible.ts';
import { ColumnMenu } from './ColumnMenu.tsx';
import { CommandRow } from './CommandRow.tsx';
import { COLUMNS, gridTemplate } from './columns.tsx';
import { useHighlighter } from './use-highlights.ts';
import { useVisibleCommands } from './use-visible.ts';
import { FALLBACK_RECT, observeRectWithFallback } from './virtual-rect.ts';

export const ROW_HEIGHT = 22;
const BOTTOM_MARGIN = ROW_HEIGHT * 2;

export function CommandsView() {
  const rows = useVisibleCommands();
  const commands = useInspector((s) => s.commands);
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

  const virtualizer = useVirtualizer({
    count: rows.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: FALLBACK_RECT,
    observeElementRect: observeRectWithFallback,
  });

  useEffect(() => {
    if (followLive && rows.count > 0) virtualizer.scrollToIndex(rows.count - 1, { align: 'end' });
  }, [followLive, rows.count, virtualizer]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el || el.clientHeight === 0) return;
    setFollowLive(el.scrollTop + el.clientHeight >= el.scrollHeight - BOTTOM_MARGIN);
  }, [setFollowLive]);

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
    virtualizer.scrollToIndex(next);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-command-id="${command.id}"]`)?.focus());
  };

  const template = gridTemplate(columns);
  return (
    <section aria-label="Commands" className="panel commands">
      <div className="panel-bar">
        <h2 className="panel-title">Commands</h2>
        <span className="muted" aria-live="polite">
          {rows.count === commands.length ? `${rows.count}` : `${rows.count} of ${commands.length}`}
        </span>
        {!followLive ? (
          <button type="button" onClick={() => setFollowLive(true)} title="Scroll to the newest command and stay there (End)">
            Follow live
          </button>
        ) : null}
        <ColumnMenu />
      </div>
      <div role="grid" aria-label="Command list" aria-rowcount={rows.count + 1} className="cmd-grid" style={{ ['--cols' as string]: template }} onKeyDown={onKeyDown}>
        <div role="row" aria-rowindex={1} className="cmd-row header">
          {columns.map((key) => (
            <span role="columnheader" key={key} className={`cell ${key}`}>
              {COLUMNS[key].title}
            </span>
          ))}
        </div>
        <div className="cmd-scroll" ref={scrollRef} onScroll={onScroll} tabIndex={selectedId === null ? 0 : -1}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const command = rowAt(rows, commands, item.index);
              if (!command) return null;
              return (
                <CommandRow
                  key={command.id}
                  command={command}
                  previous={item.index > 0 ? rowAt(rows, commands, item.index - 1) : undefined}
                  session={sessionsById.get(command.sessionId)}
                  columns={columns}
                  index={item.index}
                  top={item.start}
                  selected={command.id === selectedId}
                  paired={pairId !== null && command.id === pairId}
                  highlight={highlight(command)}
                  onSelect={selectCommand}
                />
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
