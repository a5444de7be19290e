import { describe, expect, it } from 'vitest';
import { ACCEPTED_RECENT_IDS, IssuedIds, majorOf, newMajor, newMinor } from './session-id.ts';

describe('session IDs', () => {
  it('have the real shape: 9-digit major, 5-digit minor, at most 39 characters', () => {
    const ids = new IssuedIds(newMajor(() => false));
    for (let i = 0; i < 50; i++) {
      const id = ids.issue();
      expect(id).toMatch(/^[1-9]\d{8}\.[1-9]\d{4}$/);
      expect(id.length).toBeLessThanOrEqual(39);
      expect(majorOf(id)).toBe(ids.major);
    }
    expect(newMinor()).toMatch(/^\d{5}$/);
  });

  it('never reuses a major that is taken', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 200; i++) taken.add(newMajor((m) => taken.has(m)));
    expect(taken.size).toBe(200);
  });

  it('accepts the current and recent IDs only', () => {
    const ids = new IssuedIds('123456789');
    const issued: string[] = [];
    for (let i = 0; i < ACCEPTED_RECENT_IDS + 4; i++) issued.push(ids.issue());
    expect(ids.current).toBe(issued.at(-1));
    for (const id of issued.slice(-ACCEPTED_RECENT_IDS)) expect(ids.accepts(id)).toBe(true);
    // Minors can repeat by chance, so only check old IDs that were not reissued later.
    const recent = new Set(issued.slice(-ACCEPTED_RECENT_IDS));
    for (const id of issued.slice(0, 4)) if (!recent.has(id)) expect(ids.accepts(id)).toBe(false);
    expect(ids.accepts('123456789')).toBe(false);
    expect(ids.accepts('123456789.')).toBe(false);
  });

  it('majorOf rejects other formats', () => {
    expect(majorOf('954547325.13160')).toBe('954547325');
    expect(majorOf('6f1c2b0e-8a7d-4c3e-9f21-0a1b2c3d4e5f')).toBeNull();
    expect(majorOf('95454732.13160')).toBeNull();
    expect(majorOf('954547325.131600')).toBeNull();
  });
});

describe('session ID minors from the random pool', () => {
  it('span every value from 10000 to 99999 evenly, across pool refills', () => {
    // 20 pool refills' worth of draws into 9 buckets of 10,000 values: each near 1/9.
    const buckets = new Array(9).fill(0);
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const m = Number(newMinor());
      expect(m >= 10_000 && m <= 99_999).toBe(true);
      buckets[Math.floor((m - 10_000) / 10_000)]++;
    }
    for (const b of buckets) expect(Math.abs(b - draws / 9)).toBeLessThan(draws / 9 / 5);
  });

  it('do not repeat in runs (a stuck pool would)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) seen.add(newMinor());
    // 3000 draws from 90,000 values: about 50 collisions expected, never hundreds.
    expect(seen.size).toBeGreaterThan(2800);
  });

  it('majorOf takes exactly nine digits, a dot and five digits', () => {
    for (const bad of ['', '954547325', '954547325.', '95454732a.13160', '954547325x13160', '954547325.1316a', ' 954547325.1316', '９54547325.13160']) expect(majorOf(bad), bad).toBeNull();
    expect(majorOf('000000000.00000')).toBe('000000000');
  });
});
