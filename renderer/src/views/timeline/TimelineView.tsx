// Timeline: one lane per session on a shared time axis; each HTTP exchange is a bar from request to
// response (styled by kind, empty polls dimmed, errors flagged), commands are ticks on their bar.
// Zoom (+/-, wheel), pan (←/→), follow live; hover shows timings, click selects the exchange.
import { useEffect, useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ExchangeRecord } from '../../../../shared/api/contract.ts';
import { formatDuration, formatTime } from '../../lib/format.ts';
import { findById } from '../../lib/sorted.ts';
import { useInspector } from '../../store/context.tsx';
import { sessionTree } from '../sessions/session-tree.ts';
import { layoutBars, panWindow, zoomWindow } from './geometry.ts';
import type { TimeWindow } from './geometry.ts';

const WIDTH = 1000;
const LANE = 18;
const DEFAULT_SPAN = 60_000;

function describe(x: ExchangeRecord): string {
  const t = x.timings;
  const parts = [`#${x.id} ${x.kind} ${x.status ?? 'outstanding'}${x.reason ? ` (${x.reason})` : ''}`, `received ${formatTime(t.received)}`];
  if (t.forwarded !== null) parts.push(`forwarded +${formatDuration(t.forwarded - t.received)}`);
  if (t.firstUpstreamByte !== null) parts.push(`first upstream byte +${formatDuration(t.firstUpstreamByte - t.received)}`);
  if (t.answered !== null) parts.push(`answered +${formatDuration(t.answered - t.received)}`);
  parts.push(`${x.commandIds.length} commands, ${x.requestBytes}/${x.responseBytes} bytes`);
  return parts.join(' · ');
}

export function TimelineView() {
  const sessionsById = useInspector((s) => s.sessionsById);
  const exchanges = useInspector((s) => s.exchanges);
  const commands = useInspector((s) => s.commands);
  const scope = useInspector((s) => s.scopeSessionId);
  const selectedExchangeId = useInspector((s) => s.selectedExchangeId);
  const selectExchange = useInspector((s) => s.selectExchange);
  const hideEmptyPolls = useInspector((s) => s.hideEmptyPolls);
  const setHideEmptyPolls = useInspector((s) => s.setHideEmptyPolls);
  const [follow, setFollow] = useState(true);
  const [manual, setManual] = useState<TimeWindow | null>(null);
  const [hover, setHover] = useState<string | null>(null);

  const lanes = useMemo(() => {
    const rows = sessionTree(sessionsById.values()).filter((r) => scope === null || r.session.id === scope);
    return { list: rows.map((r) => r.session), index: new Map(rows.map((r, i) => [r.session.id, i])) };
  }, [sessionsById, scope]);
  const latest = exchanges.length > 0 ? Math.max(exchanges[exchanges.length - 1].timings.answered ?? 0, exchanges[exchanges.length - 1].timings.received) : Date.now();
  const span = manual ? manual.end - manual.start : DEFAULT_SPAN;
  const window: TimeWindow = follow || !manual ? { start: latest - span * 0.95, end: latest + span * 0.05 } : manual;
  const { bars, omitted } = useMemo(() => layoutBars(exchanges, lanes.index, window, WIDTH, latest, hideEmptyPolls), [exchanges, lanes, window.start, window.end, latest, hideEmptyPolls]);

  useEffect(() => {
    if (follow) setManual((m) => (m ? { start: latest - (m.end - m.start), end: latest } : m));
  }, [follow, latest]);

  const zoom = (factor: number) => setManual(zoomWindow(window, factor, follow ? window.end : undefined));
  const pan = (fraction: number) => {
    setFollow(false);
    setManual(panWindow(window, fraction));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const actions: Record<string, () => void> = { '+': () => zoom(0.5), '=': () => zoom(0.5), '-': () => zoom(2), ArrowLeft: () => pan(-0.25), ArrowRight: () => pan(0.25), f: () => setFollow(true) };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };
  const scale = WIDTH / (window.end - window.start);
  const height = Math.max(1, lanes.list.length) * LANE;

  return (
    <section aria-label="Timeline" className="panel timeline" tabIndex={0} onKeyDown={onKeyDown}>
      <div className="panel-bar">
        <h2 className="panel-title">Timeline</h2>
        <button type="button" onClick={() => zoom(0.5)} aria-label="Zoom in" title="Zoom in (+)">+</button>
        <button type="button" onClick={() => zoom(2)} aria-label="Zoom out" title="Zoom out (-)">−</button>
        <button type="button" onClick={() => pan(-0.25)} aria-label="Earlier" title="Earlier (←)">◀</button>
        <button type="button" onClick={() => pan(0.25)} aria-label="Later" title="Later (→)">▶</button>
        <label className="inline"><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow live</label>
        <label className="inline"><input type="checkbox" checked={hideEmptyPolls} onChange={(e) => setHideEmptyPolls(e.target.checked)} /> Hide empty polls</label>
        <span className="muted">{formatDuration(window.end - window.start)} shown{omitted > 0 ? ` · ${omitted} more exchanges: zoom in` : ''}</span>
      </div>
      <div className="timeline-body">
        <div className="lane-labels" style={{ height }}>
          {lanes.list.map((s) => (
            <div key={s.id} className={`lane-label${s.state === 'closed' ? ' closed' : ''}`} style={{ height: LANE }}>{s.server} {s.user ?? s.id}</div>
          ))}
        </div>
        <svg
          className="timeline-svg"
          viewBox={`0 0 ${WIDTH} ${height}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${bars.length} exchanges on the timeline`}
          onWheel={(e) => zoom(e.deltaY < 0 ? 0.8 : 1.25)}
        >
          {bars.map((b) => {
            const x = b.exchange;
            const ticks = x.commandIds.slice(0, 64).map((id) => findById(commands, id)).filter((c) => c !== undefined);
            const classes = ['bar', x.kind, b.empty && 'empty', b.flagged && 'flagged', b.open && 'open', x.id === selectedExchangeId && 'selected'];
            return (
              <g key={x.id} data-exchange-id={x.id} className={classes.filter(Boolean).join(' ')} onClick={() => selectExchange(x.id)} onMouseEnter={() => setHover(describe(x))} onMouseLeave={() => setHover(null)}>
                <title>{describe(x)}</title>
                <rect x={b.x} y={b.lane * LANE + 3} width={b.width} height={LANE - 6} rx={2} />
                {ticks.map((c) => (
                  <line key={c.id} className={`tick ${c.direction}`} x1={(c.time - window.start) * scale} x2={(c.time - window.start) * scale} y1={b.lane * LANE + 1} y2={b.lane * LANE + LANE - 1} />
                ))}
              </g>
            );
          })}
        </svg>
      </div>
      <p className="muted hover-line" aria-live="polite">{hover ?? 'Hover an exchange for its timings; click to select it and its commands.'}</p>
    </section>
  );
}
