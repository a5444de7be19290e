// The codec's fuzz properties as plain functions that throw on a violation (no vitest), shared by
// tests/fuzz/*.fuzz.test.ts and the long runner scripts/fuzz.mjs.
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import { decodeView } from '../../shared/msnp/decoded.ts';
import { Framer } from '../../shared/msnp/framer.ts';
import { EncodeError, encodeCommand, serializeItems, type EncodeCommandInput } from '../../shared/msnp/serialize.ts';
import type { CommandItem, Direction, FramerLimits, FramingContext, Item } from '../../shared/msnp/types.ts';
import { DEFAULT_LIMITS } from '../../shared/msnp/types.ts';

export class PropertyViolation extends Error {
  override name = 'PropertyViolation';
}

function fail(message: string): never {
  throw new PropertyViolation(message);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const hexPreview = (b: Uint8Array): string => Array.from(b.subarray(0, 48), (x) => x.toString(16).padStart(2, '0')).join('');

/** Cut positions (any order, duplicates, out of range) to sorted distinct offsets inside `length`. */
export function normalizeCuts(length: number, cuts: readonly number[]): number[] {
  return [...new Set(cuts.map((c) => (length === 0 ? 0 : c % (length + 1))))].sort((a, b) => a - b);
}

export interface FrameResult {
  items: Item[];
  /** Largest `framer.buffered` seen after any push. */
  maxBuffered: number;
}

/** Frames `data` pushed in the pieces the cuts make, then ends the stream. */
export function frame(data: Uint8Array, ctx: FramingContext, cuts: readonly number[], limits?: Partial<FramerLimits>): FrameResult {
  const f = new Framer(ctx, limits);
  const items: Item[] = [];
  let at = 0;
  let maxBuffered = 0;
  for (const p of [...normalizeCuts(data.length, cuts), data.length]) {
    for (const item of f.push(data.subarray(at, p))) items.push(item);
    maxBuffered = Math.max(maxBuffered, f.buffered);
    at = p;
  }
  for (const item of f.end()) items.push(item);
  if (f.buffered !== 0) fail(`framer still buffers ${f.buffered} bytes after end()`);
  return { items, maxBuffered };
}

/** Every byte in exactly one item, in order; items well-formed; the round trip exact. */
export function checkAccounting(items: readonly Item[], data: Uint8Array, limits: FramerLimits): void {
  let at = 0;
  for (const item of items) {
    if (item.offset !== at) fail(`item at offset ${item.offset}, expected ${at}`);
    if (item.raw.length === 0) fail(`empty ${item.kind} item at ${at}`);
    if (item.kind === 'malformed') {
      if (typeof item.reason !== 'string' || item.reason.length === 0) fail(`malformed item at ${at} without a reason`);
    } else checkCommand(item, limits);
    at += item.raw.length;
  }
  if (at !== data.length) fail(`items cover ${at} bytes of ${data.length}`);
  const round = serializeItems(items);
  if (!sameBytes(round, data)) fail(`round trip differs: ${hexPreview(round)} vs ${hexPreview(data)}`);
}

function checkCommand(item: CommandItem, limits: FramerLimits): void {
  if (!/^(?:[A-Z]{3}|[0-9]{3})$/.test(item.verb)) fail(`command with verb ${JSON.stringify(item.verb)}`);
  const lineEnd = item.raw.length - (item.payload?.length ?? 0);
  if (lineEnd < 5 || item.raw[lineEnd - 2] !== 13 || item.raw[lineEnd - 1] !== 10) fail(`command ${item.verb} at ${item.offset}: line does not end in CRLF before the payload`);
  if (lineEnd - 2 > limits.maxLineBytes) fail(`command line of ${lineEnd - 2} bytes over maxLineBytes ${limits.maxLineBytes}`);
  if (item.payloadLength === null) {
    if (item.payload !== null) fail(`${item.verb}: payload without a payload length`);
  } else {
    if (item.payload === null || item.payload.length !== item.payloadLength) fail(`${item.verb}: payload of ${item.payload?.length} bytes, declared ${item.payloadLength}`);
    if (item.payloadLength > limits.maxPayloadBytes) fail(`${item.verb}: payload ${item.payloadLength} over maxPayloadBytes ${limits.maxPayloadBytes}`);
    if (!sameBytes(item.payload, item.raw.subarray(lineEnd))) fail(`${item.verb}: payload is not the tail of raw`);
  }
  if (item.trid !== null && (!Number.isInteger(item.trid) || item.trid < 0)) fail(`${item.verb}: TrID ${item.trid}`);
  if (/^\d{3}$/.test(item.verb) && item.errorCode !== Number(item.verb)) fail(`${item.verb}: errorCode ${item.errorCode}`);
  if (!/^\d{3}$/.test(item.verb) && item.errorCode !== null) fail(`${item.verb}: errorCode ${item.errorCode} on a non-numeric verb`);
}

/** A comparable summary of an item (raw bytes as hex), for chunking-invariance checks. */
export function itemKey(item: Item): string {
  if (item.kind === 'malformed') return `M ${item.offset} ${hexPreview(item.raw)}:${item.raw.length} ${item.reason}`;
  return `C ${item.offset} ${item.raw.length} ${item.line} | ${item.verb} ${JSON.stringify(item.args)} ${item.trid} ${item.payloadLength} ${Array.from(item.raw, (x) => x.toString(16)).join(',')}`;
}

export function checkSameItems(a: readonly Item[], b: readonly Item[], what: string): void {
  if (a.length !== b.length) fail(`${what}: ${a.length} items vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    const ka = itemKey(a[i]);
    const kb = itemKey(b[i]);
    if (ka !== kb) fail(`${what}: item ${i} differs:\n  ${ka.slice(0, 300)}\n  ${kb.slice(0, 300)}`);
  }
}

/** decodeView never throws and never falls back to its catch-all (which would hide a bug). */
export function checkDecodeView(item: CommandItem, ctx: FramingContext): void {
  let view;
  try {
    view = decodeView(item, ctx);
  } catch (err) {
    fail(`decodeView threw on ${item.line.slice(0, 80)}: ${String(err)}`);
  }
  const bad = view.problems.find((p) => p.startsWith('decoder error:'));
  if (bad) fail(`decodeView swallowed an internal error on ${JSON.stringify(item.line.slice(0, 80))} (${ctx.direction} ${ctx.server} MSNP${ctx.version}): ${bad}`);
  if (view.verb !== item.verb) fail(`decodeView verb ${view.verb} for ${item.verb}`);
  JSON.stringify(view, (_k, v: unknown) => (v instanceof Uint8Array ? v.length : v));
}

/**
 * One codec case: `data` framed whole and in the pieces `cuts` make must give the same items,
 * account for every byte, round-trip exactly, keep buffers within the limits, and decode for display.
 */
export function checkStream(data: Uint8Array, ctx: FramingContext, cuts: readonly number[], limits?: Partial<FramerLimits>, viewCtx?: FramingContext): void {
  const whole = frame(data, ctx, [], limits);
  const resolved: FramerLimits = { ...DEFAULT_LIMITS, ...new Framer(ctx, limits).limits };
  checkAccounting(whole.items, data, resolved);
  const split = frame(data, ctx, cuts, limits);
  checkSameItems(whole.items, split.items, 'whole vs split');
  // What a hostile stream can make the framer hold: one line plus one payload (and a CR).
  const bound = resolved.maxLineBytes + resolved.maxPayloadBytes + 2;
  if (split.maxBuffered > bound) fail(`framer buffered ${split.maxBuffered} bytes, bound ${bound}`);
  for (const item of whole.items) if (item.kind === 'command') checkDecodeView(item, viewCtx ?? ctx);
}

/** One connection, both directions in recorded order, each step cut into pieces: same as unsplit. */
export function checkConnection(server: 'NS' | 'SB', version: number, steps: ReadonlyArray<{ direction: Direction; bytes: Uint8Array }>, cuts: readonly number[]): void {
  const run = (split: boolean) => {
    const d = new ConnectionDecoder(server, { version });
    const items: Record<Direction, Item[]> = { client: [], server: [] };
    const ctxs = new Map<Item, FramingContext>();
    const take = (direction: Direction, got: Item[]) => {
      for (const item of got) {
        items[direction].push(item);
        ctxs.set(item, { direction, server, version: d.version });
      }
    };
    steps.forEach((s, k) => {
      const pieceCuts = split ? normalizeCuts(s.bytes.length, cuts.map((c) => c + k * 7919)) : [];
      let at = 0;
      for (const p of [...pieceCuts, s.bytes.length]) {
        take(s.direction, d.push(s.direction, s.bytes.subarray(at, p)));
        at = p;
      }
    });
    take('client', d.end('client'));
    take('server', d.end('server'));
    return { d, items, ctxs };
  };
  const a = run(false);
  const b = run(true);
  for (const direction of ['client', 'server'] as const) {
    const data = concatSteps(steps.filter((s) => s.direction === direction));
    checkAccounting(a.items[direction], data, a.d.framer(direction).limits);
    checkSameItems(a.items[direction], b.items[direction], `connection ${direction} whole vs split`);
    for (const item of a.items[direction]) {
      if (item.kind !== 'command') continue;
      a.d.pairOf(item);
      a.d.pairInfo(item);
      checkDecodeView(item, a.ctxs.get(item)!);
    }
  }
  if (a.d.version !== b.d.version) fail(`negotiated MSNP${a.d.version} whole vs MSNP${b.d.version} split`);
  a.d.pending();
  a.d.unpairedReplies();
}

function concatSteps(steps: ReadonlyArray<{ bytes: Uint8Array }>): Uint8Array {
  let n = 0;
  for (const s of steps) n += s.bytes.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const s of steps) {
    out.set(s.bytes, at);
    at += s.bytes.length;
  }
  return out;
}

/**
 * encodeCommand either refuses with EncodeError, or its bytes frame back as exactly one command
 * carrying what was asked, and the same bytes twice frame as two (the stream stays in sync).
 */
export function checkEncode(spec: EncodeCommandInput, ctx: FramingContext, limits?: Partial<FramerLimits>): 'encoded' | 'refused' {
  let bytes: Uint8Array;
  try {
    bytes = encodeCommand(spec, ctx, limits);
  } catch (err) {
    if (err instanceof EncodeError) {
      if (err.message.length === 0) fail('EncodeError without a message');
      return 'refused';
    }
    fail(`encodeCommand threw ${String(err)} (not an EncodeError) for ${JSON.stringify(spec)}`);
  }
  const resolved = new Framer(ctx, limits).limits;
  const once = frame(bytes, ctx, [], limits).items;
  if (once.length !== 1 || once[0].kind !== 'command') fail(`encoded ${JSON.stringify(spec.verb)} frames as ${once.map((i) => i.kind).join(',')}`);
  const item = once[0];
  checkAccounting(once, bytes, resolved);
  if (item.verb !== spec.verb) fail(`verb ${item.verb} framed, ${spec.verb} encoded`);
  const payload = spec.payload === undefined || spec.payload === null ? null : typeof spec.payload === 'string' ? new TextEncoder().encode(spec.payload) : spec.payload;
  const expectedArgs = [...(spec.trid !== undefined && spec.trid !== null ? [String(spec.trid)] : []), ...(spec.args ?? []), ...(payload ? [String(payload.length)] : [])];
  if (JSON.stringify(item.args) !== JSON.stringify(expectedArgs)) fail(`args ${JSON.stringify(item.args)} framed, ${JSON.stringify(expectedArgs)} encoded`);
  if (payload === null ? item.payload !== null : item.payload === null || !sameBytes(item.payload, payload)) fail(`payload differs after framing ${spec.verb}`);
  const doubled = new Uint8Array(bytes.length * 2);
  doubled.set(bytes, 0);
  doubled.set(bytes, bytes.length);
  const twice = frame(doubled, ctx, [bytes.length - 1], limits).items;
  if (twice.length !== 2 || twice.some((i) => i.kind !== 'command')) fail(`${spec.verb} twice frames as ${twice.length} items`);
  checkDecodeView(item, ctx);
  return 'encoded';
}
