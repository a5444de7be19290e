// The framer's command lines; framer.ts owns the stream (chunks, pending bytes, modes, offsets,
// emitting). A line whose CRLF has been found becomes a CommandItem on the fast path (printable
// ASCII, the whole command inside one buffer, well formed) or on the general path, with its full
// checks and the reason text of a malformed line. Also here: the limits on a line and its payload,
// the reasons for lines cut at the limit or unfinished at the end of the stream, and byte views.

import type { CommandItem, FramerLimits, FramingContext } from './types.ts';
import { DEFAULT_LIMITS } from './types.ts';
import { carriesPayload, isDigits } from './payload-table.ts';
import type { PayloadRuleEntry } from './payload-table.ts';
import { parseTrid, tridOf } from './trid.ts';
import { TRID_FIRST, TRID_NONE, verbInfo } from './framer-verbs.ts';
import type { VerbTable } from './framer-verbs.ts';

const CR = 13;
const LF = 10;

function clampLimit(v: number | undefined, fallback: number, min: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.max(min, Math.floor(v));
}

/** A framer's limits: each rounded down, at least 1 (line) or 0 (payload); missing or not finite: the default. */
export function framerLimits(limits: Partial<FramerLimits> | undefined): FramerLimits {
  return {
    maxLineBytes: clampLimit(limits?.maxLineBytes, DEFAULT_LIMITS.maxLineBytes, 1),
    maxPayloadBytes: clampLimit(limits?.maxPayloadBytes, DEFAULT_LIMITS.maxPayloadBytes, 0),
  };
}

/**
 * A view without `subarray`: that goes through the species constructor (a Buffer subclass for
 * socket chunks) and costs about twice as much, once or twice per command.
 */
export function view(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

const decoder = new TextDecoder('utf-8', { fatal: false });
// Control bytes make a line malformed; bare CR/LF inside a line are control bytes too.
const CONTROL = /[\x00-\x1f\x7f]/;
// Payload lengths above this many digits are certainly over any sane limit (and lose precision).
const MAX_LENGTH_DIGITS = 15;

/** Printable, bounded rendering of a token for a reason text. */
function show(token: string): string {
  const cut = token.length > 24 ? token.slice(0, 24) + '…' : token;
  return JSON.stringify(cut);
}

const NOT_DIGITS = -1;
const TOO_MANY_DIGITS = -2;
/** A token's value when it is a run of ASCII digits short enough to be exact, else a negative code. */
function digitsValue(token: string): number {
  const n = token.length;
  if (n === 0) return NOT_DIGITS;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = token.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NOT_DIGITS;
    v = v * 10 + d;
  }
  return n > MAX_LENGTH_DIGITS ? TOO_MANY_DIGITS : v;
}

function hex(c: number): string {
  return '0x' + c.toString(16).padStart(2, '0');
}

// Short printable lines become strings through String.fromCharCode over a reused array of the
// line's length: for ASCII that is about twice as fast as a TextDecoder call on a fresh view.
const SHORT_LINE = 256;
const codeArrays: number[][] = [];
function asciiString(buf: Uint8Array, start: number, n: number): string {
  let codes = codeArrays[n];
  if (codes === undefined) {
    codes = new Array<number>(n).fill(0);
    codeArrays[n] = codes;
  }
  for (let k = 0; k < n; k++) codes[k] = buf[start + k];
  return String.fromCharCode.apply(null, codes);
}
/** Columns of the spaces in the line `fastCommand` is reading. */
const spaces = new Int32Array(SHORT_LINE);

/** The tokens after the verb of a line whose bytes number `n` (indexOf/slice beats split here). */
function tokens(line: string, n: number): string[] {
  const args: string[] = [];
  if (n > 3) {
    let from = 4;
    for (let sp = line.indexOf(' ', from); sp >= 0; sp = line.indexOf(' ', from)) {
      args.push(line.slice(from, sp));
      from = sp + 1;
    }
    args.push(line.slice(from));
  }
  return args;
}

/**
 * The common case in one pass: a printable-ASCII command line at `buf[pos]` whose CRLF (and payload,
 * if any) lies inside `buf[0, len)`, well formed. Returns the command, at stream offset `offset`,
 * whose `raw` ends where the next item starts; returns null for anything else (control or non-ASCII
 * bytes, an incomplete line or payload, a malformed line), which the general path (`parseCommandLine`)
 * then frames with its full checks and reasons. `ab` and `bo` are `buf`'s buffer and byte offset.
 */
export function fastCommand(
  buf: Uint8Array,
  pos: number,
  len: number,
  ab: ArrayBufferLike,
  bo: number,
  verbs: VerbTable,
  ctx: FramingContext,
  limits: FramerLimits,
  offset: number,
): CommandItem | null {
  const lim = Math.min(len, pos + Math.min(limits.maxLineBytes, SHORT_LINE));
  let e = pos;
  let count = 0;
  while (e < lim) {
    const c = buf[e];
    if (c < 33) {
      if (c !== 32) break;
      spaces[count++] = e - pos;
    } else if (c > 126) break;
    e++;
  }
  const n = e - pos;
  if (n < 3 || e + 1 >= len || buf[e] !== CR || buf[e + 1] !== LF) return null;
  if (n > 3 && buf[pos + 3] !== 32) return null;
  const info = verbInfo(verbs, ctx, buf[pos], buf[pos + 1], buf[pos + 2]);
  if (info === undefined) return null;
  const line = asciiString(buf, pos, n);
  // One argument after each space (the first space ends the verb); `spaces` holds their columns.
  const args = new Array<string>(count);
  for (let k = 0; k < count; k++) args[k] = line.slice(spaces[k] + 1, k + 1 < count ? spaces[k + 1] : n);
  let payloadLength: number | null = null;
  let end = e + 2;
  const rule = info.payload;
  if (rule !== undefined) {
    // The same decision as `carriesPayload`, with the last token read once.
    const value = count === 0 ? NOT_DIGITS : digitsValue(args[count - 1]);
    if (rule.form === 'always' || (count >= (rule.minArgs ?? 1) && value !== NOT_DIGITS)) {
      if (value < 0 || value > limits.maxPayloadBytes) return null;
      payloadLength = value;
      end += value;
      if (end > len) return null;
    }
  }
  const tr = info.trid;
  return {
    kind: 'command',
    // Views made directly from the buffer: cheaper than subarray, which goes through the
    // species constructor (a Buffer subclass for socket chunks).
    raw: new Uint8Array(ab, bo + pos, end - pos),
    offset,
    line,
    verb: info.verb,
    args,
    trid: count === 0 || tr === TRID_NONE ? null : tr === TRID_FIRST ? parseTrid(args[0]) : tridOf(info.verb, args, ctx),
    payloadLength,
    payload: payloadLength === null ? null : new Uint8Array(ab, bo + e + 2, payloadLength),
    errorCode: info.errorCode,
  };
}

/**
 * Parses the line `buf[s, e)` whose CRLF is at `e`. Returns the command with `raw` set to the
 * line and its CRLF (final unless a payload follows) and `offset` 0 (set when it is emitted), or the
 * reason text when it is malformed. `verbs` and `table` must be those of `ctx`.
 */
export function parseCommandLine(
  buf: Uint8Array,
  s: number,
  e: number,
  verbs: VerbTable,
  ctx: FramingContext,
  table: ReadonlyMap<string, PayloadRuleEntry>,
  limits: FramerLimits,
): CommandItem | string {
  if (e === s) return 'empty line';
  // Decoding the line with its CRLF lets one view serve as both decoder input and `raw`.
  const view = buf.subarray(s, e + 2);
  const text = decoder.decode(view);
  const line = text.slice(0, text.length - 2);
  const bad = CONTROL.exec(line);
  if (bad !== null) return `control byte ${hex(line.charCodeAt(bad.index))} in line at column ${bad.index}`;
  const n = e - s;
  const info = n < 3 || (n > 3 && buf[s + 3] !== 32) ? undefined : verbInfo(verbs, ctx, buf[s], buf[s + 1], buf[s + 2]);
  if (info === undefined) {
    const sp = line.indexOf(' ');
    return `invalid verb ${show(sp < 0 ? line : line.slice(0, sp))}`;
  }
  const verb = info.verb;
  const args = tokens(line, n);
  let payloadLength: number | null = null;
  if (carriesPayload(table, verb, args)) {
    if (args.length === 0) return `missing payload length: ${verb} carries a payload here`;
    const tok = args[args.length - 1];
    if (!isDigits(tok)) return `payload length ${show(tok)} is not a number`;
    const len = tok.length > MAX_LENGTH_DIGITS ? Infinity : Number(tok);
    if (len > limits.maxPayloadBytes) {
      return `payload length ${tok.length > MAX_LENGTH_DIGITS ? show(tok) : len} exceeds the limit of ${limits.maxPayloadBytes} bytes`;
    }
    payloadLength = len;
  }
  return {
    kind: 'command',
    raw: view,
    offset: 0,
    line,
    verb,
    args,
    trid: tridOf(verb, args, ctx),
    payloadLength,
    payload: null,
    errorCode: info.errorCode,
  };
}

// Reasons for the lines the framer cuts or finds unfinished (parseCommandLine gives the others).

/** The first `max` bytes of a line with no CRLF within the limit, or `continues`: the next `max` of it. */
export function overlongCutReason(max: number, continues: boolean): string {
  return continues
    ? `overlong line continues: another ${max} bytes without CRLF cut off`
    : `line longer than ${max} bytes without CRLF: cut off at the limit, resyncing at the next CRLF`;
}

export const OVERLONG_REST_REASON = 'rest of an overlong line, discarded up to its CRLF';

/** The stream ended inside the payload of `head`, after `got` of its bytes. */
export function truncatedPayloadReason(head: CommandItem, got: number): string {
  return `truncated ${head.verb} command: payload has ${got} of ${head.payloadLength} bytes at end of stream`;
}

/** The stream ended `n` bytes into a line (or into the rest of an overlong one) without its CRLF. */
export function truncatedLineReason(n: number, overlong: boolean): string {
  return overlong
    ? `truncated overlong line: ${n} more bytes without CRLF at end of stream`
    : `truncated line: ${n} bytes without CRLF at end of stream`;
}
