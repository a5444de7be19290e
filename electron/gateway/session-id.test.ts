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
