// Streaming MSNP framer: bytes in, in any chunking; commands and malformed spans out.
// Every input byte lands in exactly one item, in order, so concatenating `raw`s gives the input back.
// Items whose bytes sit inside one pushed chunk are views into that chunk (no copy): callers must not
// reuse a chunk's memory after pushing it. Only items that straddle chunks are copied, once.
// Views are plain Uint8Arrays over the chunk's buffer, also when a Node Buffer was pushed.

import type { CommandItem, FramerLimits, FramingContext, Item, MalformedItem } from './types.ts';
import { DEFAULT_LIMITS, MAX_VERSION, MIN_VERSION } from './types.ts';
import { carriesPayload, isDigits, payloadTableFor } from './payload-table.ts';
import type { PayloadRuleEntry } from './payload-table.ts';
import { parseTrid, tridOf } from './trid.ts';
import { TRID_FIRST, TRID_NONE, verbInfo, verbTableFor } from './framer-verbs.ts';
import type { VerbTable } from './framer-verbs.ts';

const CR = 13;
const LF = 10;
const EMPTY = new Uint8Array(0);

const LINE = 0; // looking for the next command line
const PAYLOAD = 1; // a command line is parsed, its payload is still arriving
const OVERLONG = 2; // inside a line that was cut at maxLineBytes, discarding up to the next CRLF
type Mode = typeof LINE | typeof PAYLOAD | typeof OVERLONG;

const decoder = new TextDecoder('utf-8', { fatal: false });
// Control bytes make a line malformed; bare CR/LF inside a line are control bytes too.
const CONTROL = /[\x00-\x1f\x7f]/;
// Payload lengths above this many digits are certainly over any sane limit (and lose precision).
const MAX_LENGTH_DIGITS = 15;

function clampLimit(v: number | undefined, fallback: number, min: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.max(min, Math.floor(v));
}

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

/**
 * A view without `subarray`: that goes through the species constructor (a Buffer subclass for
 * socket chunks) and costs about twice as much, once or twice per command.
 */
function view(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
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
/** Columns of the spaces in the line `fastLine` is reading. */
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

export class Framer {
  /** The framing context; `setVersion` updates its version. Treat as read-only. */
  readonly context: FramingContext;
  readonly limits: FramerLimits;
  /**
   * Called synchronously for each command as soon as it is framed, before the next line is read,
   * so a VER reply can switch the version for the very next line in the same chunk.
   */
  onCommand: ((item: CommandItem) => void) | null = null;

  private table: ReadonlyMap<string, PayloadRuleEntry>;
  private verbs: VerbTable;
  private mode: Mode = LINE;
  // Unconsumed bytes, kept as a list of views so a trickle of small chunks is never re-copied.
  private parts: Uint8Array[] = [];
  private partsLen = 0;
  private pendingEndsWithCR = false;
  // PAYLOAD mode: the parsed line and the item's total size (line + CRLF + payload).
  private head: CommandItem | null = null;
  private need = 0;
  /** Stream offset of the first unconsumed byte. */
  private offset = 0;
  // CRLF search memo, so cutting a huge line without CRLF does not rescan it once per cut.
  private memoBuf: Uint8Array | null = null;
  private memoFrom = 0;
  private memoAt = -1;

  constructor(ctx: FramingContext, limits?: Partial<FramerLimits>) {
    this.context = { direction: ctx.direction, server: ctx.server, version: ctx.version };
    this.limits = {
      maxLineBytes: clampLimit(limits?.maxLineBytes, DEFAULT_LIMITS.maxLineBytes, 1),
      maxPayloadBytes: clampLimit(limits?.maxPayloadBytes, DEFAULT_LIMITS.maxPayloadBytes, 0),
    };
    this.table = payloadTableFor(this.context);
    this.verbs = verbTableFor(this.context);
  }

  /** Switches the version for every line framed from now on (clamped to MSNP2..MSNP21). */
  setVersion(v: number): void {
    if (!Number.isFinite(v)) return;
    this.context.version = Math.min(MAX_VERSION, Math.max(MIN_VERSION, Math.trunc(v)));
    this.table = payloadTableFor(this.context);
    this.verbs = verbTableFor(this.context);
  }

  /** Bytes buffered while waiting for the rest of an item. */
  get buffered(): number {
    return this.partsLen;
  }

  /** Stream offset of the next byte to be pushed. */
  get position(): number {
    return this.offset + this.partsLen;
  }

  push(chunk: Uint8Array): Item[] {
    const out: Item[] = [];
    if (chunk.length === 0) return out;
    this.memoBuf = null; // a caller could refill the same array: never trust a memo across pushes
    if (this.partsLen === 0) {
      this.scan(chunk, 0, out);
      return out;
    }
    if (this.mode === PAYLOAD) {
      const missing = this.need - this.partsLen;
      if (chunk.length < missing) {
        this.append(chunk);
        return out;
      }
      const head = this.head as CommandItem;
      this.head = null;
      this.mode = LINE;
      this.emitCommand(head, this.drain(chunk, missing), out);
      this.scan(chunk, missing, out);
      return out;
    }
    this.continueLine(chunk, out);
    return out;
  }

  /** The stream ended: whatever is buffered becomes one malformed item. The framer can be reused. */
  end(): Item[] {
    if (this.partsLen === 0) {
      this.mode = LINE;
      this.head = null;
      return [];
    }
    const n = this.partsLen;
    let reason: string;
    if (this.mode === PAYLOAD) {
      const head = this.head as CommandItem;
      const got = n - (this.need - (head.payloadLength as number));
      reason = `truncated ${head.verb} command: payload has ${got} of ${head.payloadLength} bytes at end of stream`;
    } else if (this.mode === OVERLONG) {
      reason = `truncated overlong line: ${n} more bytes without CRLF at end of stream`;
    } else {
      reason = `truncated line: ${n} bytes without CRLF at end of stream`;
    }
    this.mode = LINE;
    this.head = null;
    const out: Item[] = [];
    this.emitMalformed(this.drain(EMPTY, 0), reason, out);
    return out;
  }

  // A line (or overlong remainder) started in earlier chunks; see whether `chunk` ends it.
  private continueLine(chunk: Uint8Array, out: Item[]): void {
    const max = this.limits.maxLineBytes;
    const pending = this.partsLen;
    let crAt = -1; // index of the CR in the pending+chunk stream
    if (this.pendingEndsWithCR && chunk[0] === LF) crAt = pending - 1;
    else {
      const c = this.findCRLF(chunk, 0);
      if (c >= 0) crAt = pending + c;
    }
    if (crAt >= 0 && crAt <= max) {
      const lineEnd = crAt + 2 - pending; // in chunk
      const lineBuf = this.drain(chunk, lineEnd);
      if (this.mode === OVERLONG) {
        this.mode = LINE;
        this.emitMalformed(lineBuf, 'rest of an overlong line, discarded up to its CRLF', out);
        this.scan(chunk, lineEnd, out);
        return;
      }
      const head = this.parseLine(lineBuf, 0, lineBuf.length - 2);
      if (typeof head === 'string') {
        this.emitMalformed(lineBuf, head, out);
        this.scan(chunk, lineEnd, out);
        return;
      }
      if (head.payloadLength === null) {
        this.emitCommand(head, lineBuf, out);
        this.scan(chunk, lineEnd, out);
        return;
      }
      const end = lineEnd + head.payloadLength;
      if (end <= chunk.length) {
        const raw = new Uint8Array(lineBuf.length + head.payloadLength);
        raw.set(lineBuf, 0);
        raw.set(chunk.subarray(lineEnd, end), lineBuf.length);
        this.emitCommand(head, raw, out);
        this.scan(chunk, end, out);
        return;
      }
      this.mode = PAYLOAD;
      this.head = head;
      this.need = lineBuf.length + head.payloadLength;
      this.append(lineBuf);
      this.append(chunk.subarray(lineEnd));
      return;
    }
    if (pending + chunk.length >= max + 2) {
      // No CRLF within the limit: merge (bounded by this chunk, once) and let scan cut it.
      const merged = this.drain(chunk, chunk.length);
      this.scan(merged, 0, out);
      return;
    }
    this.append(chunk);
  }

  // Frames everything it can in `buf` from `pos` (nothing is pending), then keeps the tail.
  private scan(buf: Uint8Array, pos: number, out: Item[]): void {
    const len = buf.length;
    const max = this.limits.maxLineBytes;
    const ab = buf.buffer;
    const bo = buf.byteOffset;
    while (pos < len) {
      if (this.mode === LINE) {
        const next = this.fastLine(buf, pos, len, out, ab, bo);
        if (next >= 0) {
          pos = next;
          continue;
        }
      }
      const cr = this.findCRLF(buf, pos);
      if (cr < 0 || cr - pos > max) {
        if (len - pos < max + 2) break; // could still end within the limit: wait for more bytes
        const wasOverlong = this.mode === OVERLONG;
        this.mode = OVERLONG;
        this.emitMalformed(
          buf.subarray(pos, pos + max),
          wasOverlong
            ? `overlong line continues: another ${max} bytes without CRLF cut off`
            : `line longer than ${max} bytes without CRLF: cut off at the limit, resyncing at the next CRLF`,
          out,
        );
        pos += max;
        continue;
      }
      const lineEnd = cr + 2;
      if (this.mode === OVERLONG) {
        this.mode = LINE;
        this.emitMalformed(buf.subarray(pos, lineEnd), 'rest of an overlong line, discarded up to its CRLF', out);
        pos = lineEnd;
        continue;
      }
      const head = this.parseLine(buf, pos, cr);
      if (typeof head === 'string') {
        this.emitMalformed(buf.subarray(pos, lineEnd), head, out);
        pos = lineEnd;
        continue;
      }
      if (head.payloadLength === null) {
        this.emitCommand(head, head.raw, out);
        pos = lineEnd;
        continue;
      }
      const end = lineEnd + head.payloadLength;
      if (end <= len) {
        this.emitCommand(head, buf.subarray(pos, end), out);
        pos = end;
        continue;
      }
      this.mode = PAYLOAD;
      this.head = head;
      this.need = end - pos;
      break;
    }
    if (pos < len) this.append(buf.subarray(pos));
  }

  /**
   * The common case in one pass: a printable-ASCII command line whose CRLF (and payload, if any)
   * lies inside `buf`, well formed. Emits it and returns the position after it; returns -1 for
   * anything else (control or non-ASCII bytes, an incomplete line or payload, a malformed line),
   * which the general path then frames with its full checks and reasons.
   */
  private fastLine(buf: Uint8Array, pos: number, len: number, out: Item[], ab: ArrayBufferLike, bo: number): number {
    const lim = Math.min(len, pos + Math.min(this.limits.maxLineBytes, SHORT_LINE));
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
    if (n < 3 || e + 1 >= len || buf[e] !== CR || buf[e + 1] !== LF) return -1;
    if (n > 3 && buf[pos + 3] !== 32) return -1;
    const info = verbInfo(this.verbs, this.context, buf[pos], buf[pos + 1], buf[pos + 2]);
    if (info === undefined) return -1;
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
        if (value < 0 || value > this.limits.maxPayloadBytes) return -1;
        payloadLength = value;
        end += value;
        if (end > len) return -1;
      }
    }
    const tr = info.trid;
    const item: CommandItem = {
      kind: 'command',
      // Views made directly from the buffer: cheaper than subarray, which goes through the
      // species constructor (a Buffer subclass for socket chunks).
      raw: new Uint8Array(ab, bo + pos, end - pos),
      offset: this.offset,
      line,
      verb: info.verb,
      args,
      trid: count === 0 || tr === TRID_NONE ? null : tr === TRID_FIRST ? parseTrid(args[0]) : tridOf(info.verb, args, this.context),
      payloadLength,
      payload: payloadLength === null ? null : new Uint8Array(ab, bo + e + 2, payloadLength),
      errorCode: info.errorCode,
    };
    this.offset += end - pos;
    out.push(item);
    if (this.onCommand !== null) this.onCommand(item);
    return end;
  }

  /** Index of the CR of the first CRLF whose CR is at or after `from`, or -1. */
  private findCRLF(buf: Uint8Array, from: number): number {
    if (buf === this.memoBuf && from >= this.memoFrom && (this.memoAt < 0 || this.memoAt >= from)) return this.memoAt;
    let i = from;
    let at = -1;
    for (;;) {
      const lf = buf.indexOf(LF, i);
      if (lf < 0) break;
      if (lf > from && buf[lf - 1] === CR) {
        at = lf - 1;
        break;
      }
      i = lf + 1;
    }
    this.memoBuf = buf;
    this.memoFrom = from;
    this.memoAt = at;
    return at;
  }

  /**
   * Parses the line `buf[s, e)` whose CRLF is at `e`. Returns the command with `raw` set to the
   * line and its CRLF (final unless a payload follows), or the reason text when it is malformed.
   */
  private parseLine(buf: Uint8Array, s: number, e: number): CommandItem | string {
    if (e === s) return 'empty line';
    // Decoding the line with its CRLF lets one view serve as both decoder input and `raw`.
    const view = buf.subarray(s, e + 2);
    const text = decoder.decode(view);
    const line = text.slice(0, text.length - 2);
    const bad = CONTROL.exec(line);
    if (bad !== null) return `control byte ${hex(line.charCodeAt(bad.index))} in line at column ${bad.index}`;
    const n = e - s;
    const info = n < 3 || (n > 3 && buf[s + 3] !== 32) ? undefined : verbInfo(this.verbs, this.context, buf[s], buf[s + 1], buf[s + 2]);
    if (info === undefined) {
      const sp = line.indexOf(' ');
      return `invalid verb ${show(sp < 0 ? line : line.slice(0, sp))}`;
    }
    const verb = info.verb;
    const args = tokens(line, n);
    let payloadLength: number | null = null;
    if (carriesPayload(this.table, verb, args)) {
      if (args.length === 0) return `missing payload length: ${verb} carries a payload here`;
      const tok = args[args.length - 1];
      if (!isDigits(tok)) return `payload length ${show(tok)} is not a number`;
      const len = tok.length > MAX_LENGTH_DIGITS ? Infinity : Number(tok);
      if (len > this.limits.maxPayloadBytes) {
        return `payload length ${tok.length > MAX_LENGTH_DIGITS ? show(tok) : len} exceeds the limit of ${this.limits.maxPayloadBytes} bytes`;
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
      trid: tridOf(verb, args, this.context),
      payloadLength,
      payload: null,
      errorCode: info.errorCode,
    };
  }

  /** Completes a parsed command with its raw bytes (line, CRLF and payload) and emits it. */
  private emitCommand(item: CommandItem, raw: Uint8Array, out: Item[]): void {
    item.raw = raw;
    item.offset = this.offset;
    if (item.payloadLength !== null) item.payload = view(raw, raw.length - item.payloadLength, raw.length);
    this.offset += raw.length;
    out.push(item);
    if (this.onCommand !== null) this.onCommand(item);
  }

  private emitMalformed(raw: Uint8Array, reason: string, out: Item[]): void {
    const item: MalformedItem = { kind: 'malformed', raw, offset: this.offset, reason };
    this.offset += raw.length;
    out.push(item);
  }

  private append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.partsLen += bytes.length;
    this.pendingEndsWithCR = bytes[bytes.length - 1] === CR;
  }

  /** Concatenates the pending parts with `extra[0, take)` into one new array and clears them. */
  private drain(extra: Uint8Array, take: number): Uint8Array {
    const out = new Uint8Array(this.partsLen + take);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    if (take > 0) out.set(take === extra.length ? extra : extra.subarray(0, take), at);
    this.parts = [];
    this.partsLen = 0;
    this.pendingEndsWithCR = false;
    return out;
  }
}
