// Which MSNP commands carry a payload, by verb, direction, version and server kind.
// A table rather than a "last token is numeric" guess: many non-payload lines end in a number
// (`CHL 0 1557…`, `QNG 50`, `QRY 10`, `USR 7 OK a@b.c Name 1 0`, `CAL 2 RINGING 1175…`, `SYN 8 1`).

import type { Direction, FramingContext, ServerKind } from './types.ts';

/**
 * `always`: the command carries a payload whatever its tokens; its last token must be the length.
 * `last-numeric`: it carries one only when it has at least `minArgs` tokens after the verb and the
 * last is all digits (`ADL 0 63` yes, `ADL 6 OK` no; `GCF 0 1187` yes, `GCF 5 Shields.xml` no).
 */
export type PayloadForm = 'always' | 'last-numeric';

export interface PayloadRuleEntry {
  /** Three upper-case letters, or `NNN` for every numeric error code. */
  verb: string;
  direction: Direction;
  servers: readonly ServerKind[];
  /** First MSNP version with this payload form. */
  since: number;
  /** Last MSNP version with it, when it was removed. */
  until?: number;
  form: PayloadForm;
  /** For `last-numeric`: the fewest tokens after the verb (the length included). */
  minArgs?: number;
  /** The wire form; the payload length is always the last token. */
  line: string;
}

const NS: readonly ServerKind[] = ['NS'];
const BOTH: readonly ServerKind[] = ['NS', 'SB'];

/** Section 4.2 of the protocol notes, MSNP2..MSNP21. */
export const PAYLOAD_TABLE: readonly PayloadRuleEntry[] = [
  // A client MSG to the NS is a protocol error (the server hangs up), but its bytes still follow.
  { verb: 'MSG', direction: 'client', servers: BOTH, since: 2, form: 'always', line: 'MSG TrID {U|N|A|D} len' },
  { verb: 'MSG', direction: 'server', servers: BOTH, since: 2, form: 'always', line: 'MSG handle friendly len' },
  { verb: 'SDC', direction: 'client', servers: NS, since: 5, form: 'always', line: 'SDC TrID … len' },
  { verb: 'PAG', direction: 'client', servers: NS, since: 5, until: 8, form: 'always', line: 'PAG TrID … len' },
  { verb: 'PGD', direction: 'client', servers: NS, since: 9, form: 'always', line: 'PGD TrID … len' },
  { verb: 'NOT', direction: 'server', servers: NS, since: 5, form: 'always', line: 'NOT len' },
  { verb: 'IPG', direction: 'server', servers: NS, since: 6, form: 'always', line: 'IPG len' },
  // The server's `QRY TrID` reply has no payload: no entry.
  { verb: 'QRY', direction: 'client', servers: NS, since: 6, form: 'always', line: 'QRY TrID productId 32' },
  // The client's `GCF TrID Shields.xml` has no payload: no entry.
  { verb: 'GCF', direction: 'server', servers: NS, since: 11, form: 'last-numeric', minArgs: 2, line: 'GCF TrID filename len | GCF 0 len' },
  { verb: 'UUX', direction: 'client', servers: NS, since: 11, form: 'always', line: 'UUX TrID len' },
  // The reply `UUX TrID 0` is a zero-length payload.
  { verb: 'UUX', direction: 'server', servers: NS, since: 11, form: 'last-numeric', minArgs: 2, line: 'UUX TrID 0' },
  // MSNP11-13 `UBX handle len`, MSNP14-17 `UBX handle networkid len`, MSNP18+ `UBX networkid:handle len`.
  { verb: 'UBX', direction: 'server', servers: NS, since: 11, form: 'always', line: 'UBX handle [networkid] len' },
  { verb: 'ADL', direction: 'client', servers: NS, since: 13, form: 'always', line: 'ADL TrID len' },
  { verb: 'RML', direction: 'client', servers: NS, since: 13, form: 'always', line: 'RML TrID len' },
  { verb: 'ADL', direction: 'server', servers: NS, since: 13, form: 'last-numeric', minArgs: 2, line: 'ADL 0 len (not ADL TrID OK)' },
  { verb: 'RML', direction: 'server', servers: NS, since: 13, form: 'last-numeric', minArgs: 2, line: 'RML 0 len (not RML TrID OK)' },
  { verb: 'UUN', direction: 'client', servers: NS, since: 13, form: 'always', line: 'UUN TrID handle type len' },
  { verb: 'UBN', direction: 'server', servers: NS, since: 13, form: 'always', line: 'UBN handle type len' },
  { verb: 'FQY', direction: 'client', servers: NS, since: 14, form: 'always', line: 'FQY TrID len' },
  { verb: 'FQY', direction: 'server', servers: NS, since: 14, form: 'always', line: 'FQY TrID len' },
  { verb: 'UUM', direction: 'client', servers: NS, since: 14, form: 'always', line: 'UUM TrID handle networkid type len' },
  { verb: 'UBM', direction: 'server', servers: NS, since: 14, form: 'always', line: 'UBM handle networkid type … len' },
  { verb: 'SDG', direction: 'client', servers: NS, since: 21, form: 'always', line: 'SDG TrID len' },
  { verb: 'SDG', direction: 'server', servers: NS, since: 21, form: 'always', line: 'SDG 0 len' },
  { verb: 'NFY', direction: 'server', servers: NS, since: 21, form: 'always', line: 'NFY PUT len | NFY DEL len' },
  { verb: 'PUT', direction: 'client', servers: NS, since: 21, form: 'always', line: 'PUT TrID len' },
  { verb: 'PUT', direction: 'server', servers: NS, since: 21, form: 'last-numeric', minArgs: 3, line: 'PUT TrID OK len' },
  { verb: 'DEL', direction: 'client', servers: NS, since: 21, form: 'always', line: 'DEL TrID len' },
  { verb: 'DEL', direction: 'server', servers: NS, since: 21, form: 'last-numeric', minArgs: 2, line: 'DEL TrID len' },
  // Late MSNP21 commands whose exact forms are not documented: only when the last token is a length.
  { verb: 'GET', direction: 'client', servers: NS, since: 21, form: 'last-numeric', minArgs: 2, line: 'GET TrID len' },
  { verb: 'GET', direction: 'server', servers: NS, since: 21, form: 'last-numeric', minArgs: 2, line: 'GET TrID len' },
  { verb: 'FSL', direction: 'client', servers: NS, since: 21, form: 'last-numeric', minArgs: 2, line: 'FSL TrID len' },
  { verb: 'FSL', direction: 'server', servers: NS, since: 21, form: 'last-numeric', minArgs: 2, line: 'FSL TrID len' },
  // MSNP13+ errors may carry a payload: `NNN TrID len`; `201 19` has none.
  { verb: 'NNN', direction: 'server', servers: BOTH, since: 13, form: 'last-numeric', minArgs: 2, line: 'NNN TrID len' },
];

const ERROR_KEY = 'NNN';

// Resolved per (direction, server, version) on first use, so a line costs one Map lookup.
const resolved = new Map<string, ReadonlyMap<string, PayloadRuleEntry>>();

/** The payload commands in force for one context, keyed by verb (`NNN` for numeric errors). */
export function payloadTableFor(ctx: FramingContext): ReadonlyMap<string, PayloadRuleEntry> {
  const key = `${ctx.direction} ${ctx.server} ${ctx.version}`;
  let table = resolved.get(key);
  if (table === undefined) {
    const map = new Map<string, PayloadRuleEntry>();
    for (const entry of PAYLOAD_TABLE) {
      if (entry.direction !== ctx.direction || !entry.servers.includes(ctx.server)) continue;
      if (ctx.version < entry.since || (entry.until !== undefined && ctx.version > entry.until)) continue;
      if (!map.has(entry.verb)) map.set(entry.verb, entry);
    }
    table = map;
    if (resolved.size < 1024) resolved.set(key, table);
  }
  return table;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True when `verb` is a three-digit error code. */
export function isErrorVerb(verb: string): boolean {
  return verb.length === 3 && isDigitCode(verb.charCodeAt(0)) && isDigitCode(verb.charCodeAt(1)) && isDigitCode(verb.charCodeAt(2));
}

/** True when `token` is a non-empty run of ASCII digits. */
export function isDigits(token: string): boolean {
  if (token.length === 0) return false;
  for (let i = 0; i < token.length; i++) if (!isDigitCode(token.charCodeAt(i))) return false;
  return true;
}

/** The table entry that applies to `verb` in this context, if the verb can carry a payload here. */
export function payloadEntry(verb: string, ctx: FramingContext): PayloadRuleEntry | undefined {
  return lookup(payloadTableFor(ctx), verb);
}

function lookup(table: ReadonlyMap<string, PayloadRuleEntry>, verb: string): PayloadRuleEntry | undefined {
  return table.get(isErrorVerb(verb) ? ERROR_KEY : verb);
}

/** `payloadRule` against a table already resolved with `payloadTableFor` (the framer's hot path). */
export function carriesPayload(table: ReadonlyMap<string, PayloadRuleEntry>, verb: string, args: readonly string[]): boolean {
  const entry = lookup(table, verb);
  if (entry === undefined) return false;
  if (entry.form === 'always') return true;
  return args.length >= (entry.minArgs ?? 1) && isDigits(args[args.length - 1]);
}

/**
 * Whether this command line carries a payload. When true, the payload length is the last token;
 * for `always` entries the framer still has to check that the token is a valid number.
 */
export function payloadRule(verb: string, args: readonly string[], ctx: FramingContext): boolean {
  return carriesPayload(payloadTableFor(ctx), verb, args);
}
