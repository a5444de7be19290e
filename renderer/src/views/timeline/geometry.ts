// Pure layout for the Timeline: which exchanges fall in a time window, and where. Positions are
// measured from a fixed origin, not from the window's start, so a bar keeps its coordinates while
// the window moves (follow-live, pan): the view moves one transform instead of every bar.
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

/**
 * Bars for the exchanges that overlap `window` (`width` units wide), x measured from `origin`
 * (default: the window's start) at the window's scale.
 */
export function layoutBars(
  exchanges: readonly ExchangeRecord[],
  lanes: ReadonlyMap<string, number>,
  window: TimeWindow,
  width: number,
  now: number,
  hideEmptyPolls: boolean,
  origin = window.start,
  scale = width / Math.max(1, window.end - window.start),
): { bars: Bar[]; omitted: number } {
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
    bars.push({ exchange: x, lane, x: (from - origin) * scale, width: Math.max(2, (to - from) * scale), empty, flagged: isFlagged(x), open: x.timings.answered === null });
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

/**
 * The window bars are laid out for: `window` widened by up to an eighth of a span on each side,
 * snapped to eighths, so while the view slides the set of bars changes only now and then (and
 * few bars outside the view cost paint).
 */
export function cullWindow(w: TimeWindow): TimeWindow {
  const eighth = Math.max(1, (w.end - w.start) / 8);
  return { start: (Math.floor(w.start / eighth) - 1) * eighth, end: (Math.ceil(w.end / eighth) + 1) * eighth };
}

/** How many bars overlap `w` (the window shown), for the accessible name. */
export function countInWindow(bars: readonly Bar[], w: TimeWindow, now: number): number {
  let n = 0;
  for (const b of bars) if ((b.exchange.timings.answered ?? now) >= w.start && b.exchange.timings.received <= w.end) n++;
  return n;
}
