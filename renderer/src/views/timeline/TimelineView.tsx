// Timeline: one lane per session on a shared time axis; each HTTP exchange is a bar from request to
// response (styled by kind, empty polls dimmed, errors flagged), commands are ticks on their bar.
// Zoom (+/-, wheel), pan (←/→), follow live; hover shows timings, click selects the exchange.
// Bars sit at fixed coordinates in SVGs on a layer that a CSS transform moves with the window,
// and each bar is memoized: a frame of live ingest moves the layer (no repaint of the bars it
// holds) and touches only new or changed bars. Moving an SVG group instead repainted every bar.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ExchangeRecord } from '../../../../shared/api/contract.ts';
import { formatDuration, formatTime } from '../../lib/format.ts';
import { useInspector } from '../../store/context.tsx';
import { sessionTree } from '../sessions/session-tree.ts';
import { countInWindow, cullWindow, layoutBars, panWindow, zoomWindow } from './geometry.ts';
import type { Bar, TimeWindow } from './geometry.ts';
import { TickCache } from './ticks.ts';
import type { Tick } from './ticks.ts';

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

/** Past this many units from the origin, coordinates are re-based (SVG works in 32-bit floats). */
const REBASE_UNITS = 100_000;

interface BarProps {
  exchange: ExchangeRecord;
  lane: number;
  x: number;
  width: number;
  classes: string;
  ticks: readonly Tick[];
  origin: number;
  scale: number;
  onSelect(id: number): void;
  onHover(text: string | null): void;
}

/**
 * One mark per direction and half unit: commands of one exchange usually share a millisecond or
 * two, and marks drawn on top of each other only cost paint time.
 */
function visibleTicks(ticks: readonly Tick[], origin: number, scale: number): { id: number; at: number; direction: Tick['direction'] }[] {
  const out: { id: number; at: number; direction: Tick['direction'] }[] = [];
  const seen = new Set<string>();
  for (const t of ticks) {
    const at = (t.time - origin) * scale;
    const slot = `${t.direction}${Math.round(at * 2)}`;
    if (seen.has(slot)) continue;
    seen.add(slot);
    out.push({ id: t.id, at, direction: t.direction });
  }
  return out;
}

const BarView = memo(function BarView(p: BarProps) {
  const x = p.exchange;
  const text = describe(x);
  return (
    <g data-exchange-id={x.id} className={p.classes} onClick={() => p.onSelect(x.id)} onMouseEnter={() => p.onHover(text)} onMouseLeave={() => p.onHover(null)}>
      <title>{text}</title>
      <rect x={p.x} y={p.lane * LANE + 3} width={p.width} height={LANE - 6} rx={2} />
      {visibleTicks(p.ticks, p.origin, p.scale).map((c) => (
        <line key={c.id} className={`tick ${c.direction}`} x1={c.at} x2={c.at} y1={p.lane * LANE + 1} y2={p.lane * LANE + LANE - 1} />
      ))}
    </g>
  );
});

export function TimelineView() {
  const sessionsById = useInspector((s) => s.sessionsById);
  const exchanges = useInspector((s) => s.exchanges);
  const commands = useInspector((s) => s.commands);
  // Marks of an exchange whose commands arrive later: re-render when the (appended) list grows.
  useInspector((s) => s.commandsVersion);
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
  const scale = WIDTH / (window.end - window.start);
  const origin = useRef<{ time: number; scale: number } | null>(null);
  if (origin.current === null || origin.current.scale !== scale || Math.abs(window.start - origin.current.time) * scale > REBASE_UNITS) origin.current = { time: window.start, scale };
  const base = origin.current.time;
  const cull = cullWindow(window);
  const { bars, omitted } = useMemo(
    () => layoutBars(exchanges, lanes.index, cull, WIDTH, latest, hideEmptyPolls, base, scale),
    [exchanges, lanes, cull.start, cull.end, latest, hideEmptyPolls, base, scale],
  );
  // Bars in one SVG per eighth of the span (by request time), each its own paint layer: a frame
  // of live ingest repaints the newest one or two, and the rest reuse what they painted. One SVG
  // of thousands of bars was repainted whole for every new bar.
  const chunks = useMemo(() => {
    const byChunk = new Map<number, Bar[]>();
    const size = (window.end - window.start) / 8;
    for (const b of bars) {
      const chunk = Math.floor((b.exchange.timings.received - base) / size);
      const list = byChunk.get(chunk);
      if (list) list.push(b);
      else byChunk.set(chunk, [b]);
    }
    return [...byChunk];
  }, [bars, base, window.end - window.start]);
  const tickCache = useRef<TickCache | null>(null);
  tickCache.current ??= new TickCache();
  const ticksOf = (x: ExchangeRecord) => tickCache.current!.ticks(x, commands);

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
  const height = Math.max(1, lanes.list.length) * LANE;
  useEffect(() => tickCache.current!.sweep());

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
        <div className="timeline-plot" onWheel={(e) => zoom(e.deltaY < 0 ? 0.8 : 1.25)}>
          {/* Following live moves this layer (a CSS transform, composited), not the bars in it. */}
          <div
            className="timeline-track"
            role="img"
            aria-label={`${countInWindow(bars, window, latest)} exchanges on the timeline`}
            style={{ height, transform: `translateX(${(((base - window.start) * scale) / WIDTH) * 100}%)` }}
          >
            {chunks.map(([chunk, list]) => (
              <svg key={chunk} className="timeline-svg" viewBox={`0 0 ${WIDTH} ${height}`} preserveAspectRatio="none">
                {list.map((b) => {
                  const x = b.exchange;
                  const classes = ['bar', x.kind, b.empty && 'empty', b.flagged && 'flagged', b.open && 'open', x.id === selectedExchangeId && 'selected'];
                  return (
                    <BarView
                      key={x.id}
                      exchange={x}
                      lane={b.lane}
                      x={b.x}
                      width={b.width}
                      classes={classes.filter(Boolean).join(' ')}
                      ticks={ticksOf(x)}
                      origin={base}
                      scale={scale}
                      onSelect={selectExchange}
                      onHover={setHover}
                    />
                  );
                })}
              </svg>
            ))}
          </div>
        </div>
      </div>
      <p className="muted hover-line" aria-live="polite">{hover ?? 'Hover an exchange for its timings; click to select it and its commands.'}</p>
    </section>
  );
}
