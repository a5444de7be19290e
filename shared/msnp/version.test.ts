import { describe, expect, it } from 'vitest';
import { clampVersion, clientVerChoice, listedVersions, parseVersionToken, serverVerChoice } from './version.ts';

describe('VER parsing', () => {
  it('reads MSNPn tokens and ignores CVR0 and junk', () => {
    expect(parseVersionToken('MSNP8')).toBe(8);
    expect(parseVersionToken('MSNP21')).toBe(21);
    expect(parseVersionToken('CVR0')).toBeNull();
    expect(parseVersionToken('MSNP')).toBeNull();
    expect(parseVersionToken('msnp8')).toBeNull();
    expect(parseVersionToken('MSNP8x')).toBeNull();
    expect(listedVersions(['1', 'MSNP7', 'MSNP6', 'MSNP5', 'CVR0'])).toEqual([7, 6, 5]);
  });

  it('the client VER selects its highest listed version, clamped to MSNP2..21', () => {
    expect(clientVerChoice(['1', 'MSNP7', 'MSNP6', 'MSNP5', 'CVR0'])).toBe(7);
    expect(clientVerChoice(['1', 'MSNP8', 'MSNP9', 'CVR0'])).toBe(9);
    expect(clientVerChoice(['1', 'MSNP24', 'MSNP21', 'CVR0'])).toBe(21);
    expect(clientVerChoice(['1', 'CVR0'])).toBeNull();
  });

  it('the server VER reply fixes the version; `VER TrID 0` means none', () => {
    expect(serverVerChoice(['1', 'MSNP8'])).toEqual({ kind: 'chosen', version: 8 });
    expect(serverVerChoice(['1', 'MSNP8', 'CVR0'])).toEqual({ kind: 'chosen', version: 8 });
    expect(serverVerChoice(['1', '0'])).toEqual({ kind: 'none' });
    expect(serverVerChoice(['1'])).toEqual({ kind: 'unknown' });
  });

  it('clamps out-of-range versions', () => {
    expect(clampVersion(1)).toBe(2);
    expect(clampVersion(30)).toBe(21);
    expect(clampVersion(12.7)).toBe(12);
    expect(clampVersion(Number.NaN)).toBe(2);
  });
});
