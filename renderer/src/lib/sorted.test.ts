import { describe, expect, it } from 'vitest';
import { prependOlderById } from './sorted.ts';

const r = (...ids: number[]) => ids.map((id) => ({ id }));

describe('prependOlderById', () => {
  it('puts older records in front, skipping any not older than the first one', () => {
    expect(prependOlderById(r(5, 6), r(2, 3, 5, 9))).toEqual(r(2, 3, 5, 6));
  });

  it('returns the same array when nothing is older', () => {
    const list = r(5, 6);
    expect(prependOlderById(list, r(5, 7))).toBe(list);
    expect(prependOlderById(list, [])).toBe(list);
  });

  it('keeps the newest of the older records that fit under max', () => {
    expect(prependOlderById(r(5, 6), r(1, 2, 3, 4), 4)).toEqual(r(3, 4, 5, 6));
    expect(prependOlderById(r(5, 6), r(1, 2), 2)).toEqual(r(5, 6));
  });
});
