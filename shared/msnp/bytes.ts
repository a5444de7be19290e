// Joining byte chunks, shared by the codec and the core. Pure TypeScript.

/** The parts joined in order. A single part is returned as it is (no copy): do not mutate it. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
