// Field encoding and identifiers. MSNP carries friendly names URL-encoded inside command lines;
// handles and names are stored decoded and encoded again on the way out.
import { randomBytes, randomInt } from 'node:crypto';

const utf8 = new TextEncoder();

/**
 * Encodes a value for one MSNP token: printable ASCII stays (so `alice@example.com` reads as in
 * real traffic), everything else, including space, `%` and `+`, becomes %XX of its UTF-8 bytes.
 */
export function encodeField(value: string): string {
  let out = '';
  for (const b of utf8.encode(value)) {
    if (b > 0x20 && b < 0x7f && b !== 0x25 && b !== 0x2b) out += String.fromCharCode(b);
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Decodes a URL-encoded token; a broken escape leaves the token as sent. */
export function decodeField(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

/** A switchboard cookie in the real service's dotted-number shape, with ~90 bits of randomness. */
export function newCookie(): string {
  const b = randomBytes(12);
  return `${b.readUInt32BE(0)}.${b.readUInt32BE(4)}.${b.readUInt32BE(8)}`;
}

/** A switchboard session id: a decimal number, as in `CAL 2 RINGING 11752013`. */
export function newSessionId(): string {
  return String(randomInt(10_000_000, 2_000_000_000));
}

/** A 20-digit challenge string, as in `CHL 0 15570131571988941333`. */
export function newChallenge(): string {
  let out = String(randomInt(1, 10));
  while (out.length < 20) out += String(randomInt(0, 10));
  return out;
}

/** Splits `handle;{guid}` (MSNP16+ endpoint form) into its parts. */
export function splitEndpoint(value: string): { handle: string; endpoint: string | null } {
  const at = value.indexOf(';');
  if (at < 0) return { handle: value.toLowerCase(), endpoint: null };
  return { handle: value.slice(0, at).toLowerCase(), endpoint: value.slice(at + 1) };
}
