// Where a command carries its transaction ID. When present it is always the first token after
// the verb; the question is only whether that first token is a TrID or something else that looks
// like one (`RNG 11752013 …` session ID, `QNG 50` seconds, `LSG 0 Other%20Contacts 0` group ID).

import type { FramingContext } from './types.ts';
import { isDigits, isErrorVerb } from './payload-table.ts';

/** Server commands that never carry a TrID (asynchronous notifications). */
export const ASYNC_SERVER_VERBS: ReadonlySet<string> = new Set([
  'NLN', 'FLN', 'UBX', 'UBN', 'UBM', 'NOT', 'IPG', 'RNG', 'MSG', 'JOI', 'BYE', 'QNG', 'OUT', 'BPR', 'NFY',
]);

/** Server commands sent asynchronously with TrID 0 (`CHL 0 …`, `SBS 0 null`, `GCF 0 len`, `ADL 0 len`, `SDG 0 len`). */
export const ZERO_TRID_SERVER_VERBS: ReadonlySet<string> = new Set(['CHL', 'SBS', 'GCF', 'ADL', 'SDG']);

/** Client commands without a TrID. */
export const CLIENT_VERBS_WITHOUT_TRID: ReadonlySet<string> = new Set(['PNG', 'OUT']);

/**
 * From MSNP8 the list lines of a SYN reply have no TrID. LST and LSG never have one from the
 * server there; GTC, BLP and PRP do when they answer the client's own command (`BLP 5 AL`), and
 * that form is told apart by a numeric first token followed by more tokens.
 */
export const SYN_LIST_VERBS_NO_TRID: ReadonlySet<string> = new Set(['LST', 'LSG']);
export const SYN_SETTING_VERBS: ReadonlySet<string> = new Set(['GTC', 'BLP', 'PRP']);

/** First MSNP version whose SYN reply lines carry no TrID. */
export const SYN_WITHOUT_TRID_SINCE = 8;

/** TrIDs are unsigned 32-bit counters on the wire. */
const MAX_TRID = 0xffffffff;

/** Parses a TrID token: ASCII digits within 32 bits, else null. */
export function parseTrid(token: string | undefined): number | null {
  if (token === undefined || token.length === 0 || token.length > 10) return null;
  // By hand: this runs for nearly every command, and Number() on a string is a slow builtin.
  let n = 0;
  for (let i = 0; i < token.length; i++) {
    const d = token.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return n <= MAX_TRID ? n : null;
}

/**
 * Whether the grammar of this command puts a TrID in `args[0]` (whether or not the token there
 * is actually a valid number).
 */
export function hasTridSlot(verb: string, args: readonly string[], ctx: FramingContext): boolean {
  if (args.length === 0) return false;
  if (ctx.direction === 'client') return !CLIENT_VERBS_WITHOUT_TRID.has(verb);
  if (isErrorVerb(verb)) return true;
  if (ASYNC_SERVER_VERBS.has(verb)) return false;
  if (ctx.version >= SYN_WITHOUT_TRID_SINCE) {
    if (SYN_LIST_VERBS_NO_TRID.has(verb)) return false;
    if (SYN_SETTING_VERBS.has(verb)) return args.length >= 2 && isDigits(args[0]);
  }
  return true;
}

/** The command's TrID: a number, 0 for asynchronous-with-zero, or null when it has none. */
export function tridOf(verb: string, args: readonly string[], ctx: FramingContext): number | null {
  return hasTridSlot(verb, args, ctx) ? parseTrid(args[0]) : null;
}
