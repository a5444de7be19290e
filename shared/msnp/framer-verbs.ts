// Everything the framer's fast path needs to know about a verb in one framing context, resolved
// once per (context, verb) so a line costs one lookup instead of a string, a payload-table lookup
// and the TrID rules' set lookups.

import type { FramingContext } from './types.ts';
import type { PayloadRuleEntry } from './payload-table.ts';
import { payloadEntry } from './payload-table.ts';
import { hasTridSlot } from './trid.ts';

/** The verb never has a TrID slot (with at least one token). */
export const TRID_NONE = 0;
/** The first token is always the TrID slot. */
export const TRID_FIRST = 1;
/** Whether there is a slot depends on the tokens: ask `tridOf`. */
export const TRID_ASK = 2;
export type TridRule = typeof TRID_NONE | typeof TRID_FIRST | typeof TRID_ASK;

export interface VerbInfo {
  /** One shared string per verb, so lines do not allocate it. */
  readonly verb: string;
  /** The payload rule in force for this verb, if it can carry one here. */
  readonly payload: PayloadRuleEntry | undefined;
  readonly trid: TridRule;
  readonly errorCode: number | null;
}

/**
 * Token shapes that tell a fixed TrID rule from one that looks at the tokens: `hasTridSlot` stays
 * the only statement of the rules, and any verb whose answer changes across these shapes is sent to
 * `tridOf` line by line. framer-verbs.test.ts checks every known verb and context against `tridOf`.
 */
const SAMPLES: readonly (readonly string[])[] = [['1'], ['1', 'x'], ['x', 'x'], ['1', '2', 'x'], ['x']];

function tridRule(verb: string, ctx: FramingContext): TridRule {
  let yes = 0;
  for (const args of SAMPLES) if (hasTridSlot(verb, args, ctx)) yes++;
  if (yes === SAMPLES.length) return TRID_FIRST;
  return yes === 0 ? TRID_NONE : TRID_ASK;
}

function isVerbCode(a: number, b: number, c: number): boolean {
  const upper = a >= 65 && a <= 90 && b >= 65 && b <= 90 && c >= 65 && c <= 90;
  return upper || (a >= 48 && a <= 57 && b >= 48 && b <= 57 && c >= 48 && c <= 57);
}

export type VerbTable = Map<number, VerbInfo>;

// One table per context: 2 directions x 2 servers x 20 versions of them in practice (a framer made
// with an unclamped version gets its own table past the bound). Real traffic uses a few dozen verbs;
// a stream that sprays all 26^3 + 10^3 possible ones only stops being cached.
export const MAX_CACHED_VERBS = 512;
export const MAX_TABLES = 96;
const tables = new Map<string, VerbTable>();

/** How many contexts have a shared table (for the bound's test). */
export function verbTableCount(): number {
  return tables.size;
}

/** The shared verb table for this context; look verbs up in it with `verbInfo`. */
export function verbTableFor(ctx: FramingContext): VerbTable {
  const key = `${ctx.direction} ${ctx.server} ${ctx.version}`;
  let table = tables.get(key);
  if (table === undefined) {
    table = new Map();
    if (tables.size < MAX_TABLES) tables.set(key, table);
  }
  return table;
}

/**
 * The verb made of bytes `a b c`, or undefined when they are not three upper-case letters or three
 * digits. `table` must be `verbTableFor(ctx)`.
 */
export function verbInfo(table: VerbTable, ctx: FramingContext, a: number, b: number, c: number): VerbInfo | undefined {
  const key = (a << 16) | (b << 8) | c;
  const known = table.get(key);
  if (known !== undefined || !isVerbCode(a, b, c)) return known;
  const verb = String.fromCharCode(a, b, c);
  const info: VerbInfo = {
    verb,
    payload: payloadEntry(verb, ctx),
    trid: tridRule(verb, ctx),
    errorCode: a <= 57 ? Number(verb) : null,
  };
  if (table.size < MAX_CACHED_VERBS) table.set(key, info);
  return info;
}
