import { describe, expect, it } from 'vitest';
import { exchange } from '../../test/records.ts';
import { countInWindow, cullWindow, layoutBars, MAX_BARS, MIN_SPAN_MS, panWindow, zoomWindow } from './geometry.ts';

const lanes = new Map([['s1', 0], ['s2', 1]]);
const t = (received: number, answered: number | null) => ({ received, forwarded: null, firstUpstreamByte: null, answered });

describe('timeline geometry', () => {
  it('places bars from request to response in their session lane, leaving out those outside the window', () => {
    const xs = [
      exchange(1, { timings: t(0, 100), kind: 'open', commandIds: [1] }),
      exchange(2, { sessionId: 's2', timings: t(50, 150), kind: 'send', commandIds: [2] }),
      exchange(3, { timings: t(5000, 5100) }),
    ];
    const { bars } = layoutBars(xs, lanes, { start: 0, end: 200 }, 200, 1000, false);
    expect(bars.map((b) => [b.exchange.id, b.lane, b.x, b.width])).toEqual([[1, 0, 0, 100], [2, 1, 50, 100]]);
  });

  it('runs outstanding requests to now, flags rejections and 400s, dims and optionally hides empty polls', () => {
    const xs = [
      exchange(1, { timings: t(0, null), status: null }),
      exchange(2, { kind: 'rejected', status: 400, timings: t(10, 20), commandIds: [] }),
      exchange(3, { kind: 'poll', timings: t(30, 40), commandIds: [] }),
    ];
    const { bars } = layoutBars(xs, lanes, { start: 0, end: 100 }, 100, 60, false);
    expect(bars.map((b) => [b.open, b.flagged, b.empty])).toEqual([[true, false, false], [false, true, false], [false, false, true]]);
    expect(bars[0].width).toBe(60);
    expect(layoutBars(xs, lanes, { start: 0, end: 100 }, 100, 60, true).bars.length).toBe(2);
  });

  it('draws at most MAX_BARS and counts the rest', () => {
    const xs = Array.from({ length: MAX_BARS + 10 }, (_, i) => exchange(i + 1, { timings: t(i, i + 1), commandIds: [i] }));
    const out = layoutBars(xs, lanes, { start: 0, end: 1e6 }, 1000, 0, false);
    expect(out.bars.length).toBe(MAX_BARS);
    expect(out.omitted).toBe(10);
  });

  it('measures x from a fixed origin, so a bar keeps its coordinates when the window moves', () => {
    const xs = [exchange(1, { timings: t(1000, 1100) })];
    const a = layoutBars(xs, lanes, { start: 500, end: 1500 }, 1000, 2000, false, 0, 1).bars[0];
    const b = layoutBars(xs, lanes, { start: 900, end: 1900 }, 1000, 2000, false, 0, 1).bars[0];
    expect([a.x, a.width]).toEqual([1000, 100]);
    expect([b.x, b.width]).toEqual([1000, 100]);
    expect(countInWindow([a], { start: 1200, end: 1300 }, 2000)).toBe(0);
    expect(countInWindow([a], { start: 1050, end: 1300 }, 2000)).toBe(1);
  });

  it('widens the layout window by up to an eighth of a span each side, snapped to eighths', () => {
    const c = cullWindow({ start: 1010, end: 2010 });
    expect(c).toEqual({ start: 875, end: 2250 });
    expect(cullWindow({ start: 1020, end: 2020 })).toEqual(c);
  });

  it('zooms around an anchor within limits and pans by a fraction of the span', () => {
    expect(zoomWindow({ start: 0, end: 1000 }, 0.5, 500)).toEqual({ start: 250, end: 750 });
    expect(zoomWindow({ start: 0, end: 100 }, 0.01).end - zoomWindow({ start: 0, end: 100 }, 0.01).start).toBe(MIN_SPAN_MS);
    expect(panWindow({ start: 0, end: 1000 }, 0.25)).toEqual({ start: 250, end: 1250 });
  });
});
