// The VER exchange: the client lists the dialects it speaks (`VER 1 MSNP8 MSNP7 CVR0`), the server
// answers with the chosen one (`VER 1 MSNP8`) or `VER 1 0` when none is acceptable.

import { MAX_VERSION, MIN_VERSION } from './types.ts';

/** `MSNP8` → 8; anything else (`CVR0`, `0`, `msnp8`, `MSNP`) → null. */
export function parseVersionToken(token: string): number | null {
  if (token.length < 5 || token.length > 9 || !token.startsWith('MSNP')) return null;
  const digits = token.slice(4);
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(digits);
}

/** Every MSNPn listed after the TrID of a VER line, in wire order. */
export function listedVersions(verArgs: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < verArgs.length; i++) {
    const v = parseVersionToken(verArgs[i]);
    if (v !== null) out.push(v);
  }
  return out;
}

/** Versions above the newest one we know are framed as the newest one. */
export function clampVersion(v: number): number {
  if (!Number.isFinite(v)) return MIN_VERSION;
  return Math.min(MAX_VERSION, Math.max(MIN_VERSION, Math.trunc(v)));
}

/** The version a client's VER tentatively selects: its highest MSNPn, or null if it lists none. */
export function clientVerChoice(verArgs: readonly string[]): number | null {
  const listed = listedVersions(verArgs);
  if (listed.length === 0) return null;
  return clampVersion(Math.max(...listed));
}

export type ServerVerResult =
  | { kind: 'chosen'; version: number }
  /** `VER TrID 0`: no common version; the server closes the connection. */
  | { kind: 'none' }
  /** No MSNPn and no `0`: nothing can be learned from this line. */
  | { kind: 'unknown' };

/** What the server's VER reply fixes. If it echoes several versions, the highest wins. */
export function serverVerChoice(verArgs: readonly string[]): ServerVerResult {
  const listed = listedVersions(verArgs);
  if (listed.length > 0) return { kind: 'chosen', version: clampVersion(Math.max(...listed)) };
  if (verArgs.length >= 2 && verArgs[1] === '0') return { kind: 'none' };
  return { kind: 'unknown' };
}
