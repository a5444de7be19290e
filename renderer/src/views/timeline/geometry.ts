// Pure layout for the Timeline: which exchanges fall in the visible time window, and where.
import type { ExchangeRecord } from '../../../../shared/api/contract.ts';

export interface TimeWindow {
  start: number;
  end: number;
}

export interface Bar {
  exchange: ExchangeRecord;
  lane: number;
  x: number;
  width: number;
  empty: boolean;
  flagged: boolean;
  open: boolean;
}

export const MAX_BARS = 4000;
export const MIN_SPAN_MS = 50;
export const MAX_SPAN_MS = 24 * 3600_000;

export const isEmptyPoll = (x: ExchangeRecord) => (x.kind === 'poll' || x.kind === 'long-poll') && x.commandIds.length === 0;
export const isFlagged = (x: ExchangeRecord) => x.kind === 'rejected' || (x.status !== null && x.status >= 400);

export function layoutBars(
  exchanges: readonly ExchangeRecord[],
  lanes: ReadonlyMap<string, number>,
  window: TimeWindow,
  width: number,
  now: number,
  hideEmptyPolls: boolean,
): { bars: Bar[]; omitted: number } {
  const span = Math.max(1, window.end - window.start);
  const scale = width / span;
  const bars: Bar[] = [];
  let omitted = 0;
  for (const x of exchanges) {
    if (x.sessionId === null) continue;
    const lane = lanes.get(x.sessionId);
    if (lane === undefined) continue;
    const from = x.timings.received;
    const to = x.timings.answered ?? now;
    if (to < window.start || from > window.end) continue;
    const empty = isEmptyPoll(x) && x.status !== null;
    if (empty && hideEmptyPolls) continue;
    if (bars.length >= MAX_BARS) {
      omitted++;
      continue;
    }
    const left = Math.max(0, (from - window.start) * scale);
    const right = Math.min(width, (to - window.start) * scale);
    bars.push({ exchange: x, lane, x: left, width: Math.max(2, right - left), empty, flagged: isFlagged(x), open: x.timings.answered === null });
  }
  return { bars, omitted };
}

/** Zoom around `anchor` (a time inside the window) by `factor` (< 1 zooms in). */
export function zoomWindow(w: TimeWindow, factor: number, anchor = (w.start + w.end) / 2): TimeWindow {
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, (w.end - w.start) * factor));
  const ratio = (anchor - w.start) / Math.max(1, w.end - w.start);
  const start = anchor - span * ratio;
  return { start, end: start + span };
}

export function panWindow(w: TimeWindow, fraction: number): TimeWindow {
  const shift = (w.end - w.start) * fraction;
  return { start: w.start + shift, end: w.end + shift };
}
