import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './stats.ts';
import { markdownTable } from './table.ts';

describe('bench helpers', () => {
  it('percentile uses nearest rank', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 99)).toBe(10);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
  it('summarize sorts numerically', () => {
    const r = summarize([10, 2, 30, 4]);
    expect(r).toMatchObject({ count: 4, p50Ms: 4, p99Ms: 30, maxMs: 30, meanMs: 11.5 });
  });
  it('markdownTable pads columns', () => {
    expect(markdownTable(['a', 'bb'], [[1, 'x'], [22.5, 'yyy']])).toBe('| a    | bb  |\n|------|-----|\n| 1    | x   |\n| 22.5 | yyy |');
  });
});
