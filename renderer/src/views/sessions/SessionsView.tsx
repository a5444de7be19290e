// Sessions: NS sessions with the SB sessions they opened nested under them; closed ones greyed.
// Selecting a row scopes Timeline, Commands and Findings to that session.
import { useMemo, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { nextRowIndex } from '../../lib/roving.ts';
import { useInspector } from '../../store/context.tsx';
import { sessionTree } from './session-tree.ts';

export function SessionsView() {
  const sessionsById = useInspector((s) => s.sessionsById);
  const scope = useInspector((s) => s.scopeSessionId);
  const scopeSession = useInspector((s) => s.scopeSession);
  const rows = useMemo(() => sessionTree(sessionsById.values()), [sessionsById]);
  const gridRef = useRef<HTMLDivElement>(null);
  const ids = [null, ...rows.map((r) => r.session.id)];
  const current = Math.max(0, ids.indexOf(scope));

  const onKeyDown = (event: KeyboardEvent) => {
    const next = nextRowIndex(event.key, current, ids.length);
    if (next === null) {
      if (event.key === 'Escape') scopeSession(null);
      return;
    }
    event.preventDefault();
    scopeSession(ids[next]);
    gridRef.current?.querySelectorAll<HTMLElement>('[role=row][data-row]')[next]?.focus();
  };

  return (
    <section aria-label="Sessions" className="panel sessions">
      <h2 className="panel-title">Sessions</h2>
      <div role="treegrid" aria-label="Session list" className="session-grid" ref={gridRef} onKeyDown={onKeyDown}>
        <div role="row" data-row aria-selected={scope === null} tabIndex={scope === null ? 0 : -1} className="session-row" onClick={() => scopeSession(null)}>
          <span role="gridcell">All sessions ({rows.length})</span>
        </div>
        {rows.map(({ session: s, level }) => (
          <div
            key={s.id}
            role="row"
            data-row
            aria-level={level}
            aria-selected={scope === s.id}
            tabIndex={scope === s.id ? 0 : -1}
            className={`session-row level-${level}${s.state === 'closed' ? ' closed' : ''}`}
            onClick={() => scopeSession(s.id)}
            title={s.state === 'closed' ? `closed: ${s.closeReason ?? 'unknown'}` : `open since ${new Date(s.firstActivity).toLocaleTimeString()}`}
          >
            <span role="gridcell" className={`badge ${s.server.toLowerCase()}`}>{s.server}</span>
            <span role="gridcell" className="user">{s.user ?? s.id}</span>
            <span role="gridcell" className="muted">{s.version !== null ? `MSNP${s.version}` : ''}</span>
            <span role="gridcell" className="muted">{s.client ? `${s.client.name} ${s.client.version}` : ''}</span>
            <span role="gridcell">{s.state === 'closed' ? `closed (${s.closeReason ?? '?'})` : 'open'}</span>
            <span role="gridcell" className="num" title="commands client→server / server→client">
              {s.counts.commandsFromClient}/{s.counts.commandsFromServer}
            </span>
            {s.counts.findings > 0 ? <span role="gridcell" className="finding-count">⚠ {s.counts.findings}</span> : null}
          </div>
        ))}
      </div>
    </section>
  );
}
