// Streaming MSNP framer: bytes in, in any chunking; commands and malformed spans out.
// Every input byte lands in exactly one item, in order, so concatenating `raw`s gives the input back.
// Items whose bytes sit inside one pushed chunk are views into that chunk (no copy): callers must not
// reuse a chunk's memory after pushing it. Only items that straddle chunks are copied, once.
// Views are plain Uint8Arrays over the chunk's buffer, also when a Node Buffer was pushed.
// This module owns the stream (chunks, pending bytes, modes, offsets, emitting); framer-line.ts turns
// a line whose CRLF has been found into a command.

import type { CommandItem, FramerLimits, FramingContext, Item, MalformedItem } from './types.ts';
import { MAX_VERSION, MIN_VERSION } from './types.ts';
import { payloadTableFor } from './payload-table.ts';
import type { PayloadRuleEntry } from './payload-table.ts';
import { verbTableFor } from './framer-verbs.ts';
import type { VerbTable } from './framer-verbs.ts';
import { fastCommand, parseCommandLine, framerLimits, view } from './framer-line.ts';
import { overlongCutReason, OVERLONG_REST_REASON, truncatedLineReason, truncatedPayloadReason } from './framer-line.ts';

const CR = 13;
const LF = 10;
const EMPTY = new Uint8Array(0);

const LINE = 0; // looking for the next command line
const PAYLOAD = 1; // a command line is parsed, its payload is still arriving
const OVERLONG = 2; // inside a line that was cut at maxLineBytes, discarding up to the next CRLF
type Mode = typeof LINE | typeof PAYLOAD | typeof OVERLONG;

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
    this.limits = framerLimits(limits);
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
      reason = truncatedPayloadReason(head, n - (this.need - (head.payloadLength as number)));
    } else reason = truncatedLineReason(n, this.mode === OVERLONG);
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
        this.emitMalformed(lineBuf, OVERLONG_REST_REASON, out);
        this.scan(chunk, lineEnd, out);
        return;
      }
      const head = parseCommandLine(lineBuf, 0, lineBuf.length - 2, this.verbs, this.context, this.table, this.limits);
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
        // The common case: a whole well-formed command in `buf`, emitted as in `emitCommand`.
        const item = fastCommand(buf, pos, len, ab, bo, this.verbs, this.context, this.limits, this.offset);
        if (item !== null) {
          const n = item.raw.length;
          this.offset += n;
          out.push(item);
          if (this.onCommand !== null) this.onCommand(item);
          pos += n;
          continue;
        }
      }
      const cr = this.findCRLF(buf, pos);
      if (cr < 0 || cr - pos > max) {
        if (len - pos < max + 2) break; // could still end within the limit: wait for more bytes
        const wasOverlong = this.mode === OVERLONG;
        this.mode = OVERLONG;
        this.emitMalformed(buf.subarray(pos, pos + max), overlongCutReason(max, wasOverlong), out);
        pos += max;
        continue;
      }
      const lineEnd = cr + 2;
      if (this.mode === OVERLONG) {
        this.mode = LINE;
        this.emitMalformed(buf.subarray(pos, lineEnd), OVERLONG_REST_REASON, out);
        pos = lineEnd;
        continue;
      }
      const head = parseCommandLine(buf, pos, cr, this.verbs, this.context, this.table, this.limits);
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
