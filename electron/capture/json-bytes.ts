// JSON where every Uint8Array is `{"$b64":"..."}`, without JSON.stringify's replacer or JSON.parse's
// reviver: both call back into JS for every value of every record, which made them most of the
// capture log's cost (about 6 us an event to write, 34 us to read back). The encoder walks the
// record itself and gives the same text JSON.stringify with the old replacer gave (tested), so files
// written before and after read the same; the decoder parses plainly and then converts only objects
// that are exactly `{"$b64": string}`.

/** A Uint8Array inside a record: `{"$b64": "..."}`. */
export interface EncodedBytes {
  $b64: string;
}

/** Past this nesting the plain JSON.stringify path takes over (it throws on cycles, as before). */
const MAX_DEPTH = 32;

export function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

// `this[key]` is the value before toJSON: a Buffer would otherwise arrive already turned into
// {type:'Buffer', data:[...]}. Only used past MAX_DEPTH and for objects with a toJSON or a class.
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Uint8Array) return { $b64: base64Of(raw) } satisfies EncodedBytes;
  return value;
}

// JSON.stringify of a lone string takes V8's fast path; quoting by hand is no quicker.
const quote = JSON.stringify as (s: string) => string;

const keyText = new Map<string, string>();

function keyPrefix(key: string): string {
  let text = keyText.get(key);
  if (text === undefined) {
    text = `${quote(key)}:`;
    // Records have a few dozen distinct keys; a foreign file cannot grow this without bound.
    if (keyText.size < 1024) keyText.set(key, text);
  }
  return text;
}

function plainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The JSON text of `value`, or undefined where JSON.stringify would leave it out. */
function encodeValue(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Uint8Array) return `{"$b64":"${base64Of(value)}"}`;
      if (depth >= MAX_DEPTH) return JSON.stringify(value, replacer);
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (encodeValue(value[i], depth + 1) ?? 'null');
        return `${out}]`;
      }
      if (!plainObject(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value, replacer);
      return encodeObject(value as Record<string, unknown>, depth + 1);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return JSON.stringify(value); // bigint: throws as JSON.stringify does
  }
}

function encodeObject(record: Record<string, unknown>, depth: number): string {
  let out = '{';
  let first = true;
  // for-in visits own string keys in the order JSON.stringify uses; plain objects inherit none.
  for (const key in record) {
    const text = encodeValue(record[key], depth);
    if (text === undefined) continue;
    out += (first ? '' : ',') + keyPrefix(key) + text;
    first = false;
  }
  return `${out}}`;
}

/** One record as JSON text (no newline). Throws only where JSON.stringify would (cycles, bigint). */
export function encodeJson(record: object): string {
  return encodeValue(record, 0) ?? 'null';
}

function onlyKey(value: object): boolean {
  let n = 0;
  for (const _ in value) if (++n > 1) return false;
  return n === 1;
}

// Decoded bytes are cut from shared slabs: one view object per field, no ArrayBuffer of its own
// (each costs far more than its bytes to allocate and to collect). Consecutive events share a
// slab, so a slab lives as long as the newest of its events that something still holds. 64 KiB,
// like a socket read: a session whose framer keeps a partial command pins no more than live does.
const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(0);
let slabUsed = 0;

function bytesOf(text: string): Uint8Array {
  const most = (text.length >>> 2) * 3 + 3;
  if (most > SLAB_BYTES >>> 3) {
    const own = Buffer.from(text, 'base64');
    return new Uint8Array(own.buffer, own.byteOffset, own.byteLength);
  }
  if (slab.length - slabUsed < most) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const n = slab.write(text, slabUsed, 'base64');
  const view = new Uint8Array(slab.buffer, slab.byteOffset + slabUsed, n);
  // Keep views 8-byte aligned, as Buffer's own pool does.
  slabUsed = (slabUsed + n + 7) & ~7;
  return view;
}

function revive(value: object, depth: number): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object') {
        const r = revive(v, depth + 1);
        if (r !== v) value[i] = r;
      }
    }
    return value;
  }
  const b64 = (value as Partial<EncodedBytes>).$b64;
  if (typeof b64 === 'string' && onlyKey(value)) return bytesOf(b64);
  reviveFields(value as Record<string, unknown>, depth + 1);
  return value;
}

function reviveFields(record: Record<string, unknown>, depth: number): void {
  for (const key in record) {
    const v = record[key];
    if (v === null || typeof v !== 'object') continue;
    const r = revive(v, depth);
    if (r === v) continue;
    // An own "__proto__" (JSON.parse makes one) must stay a property, not become the prototype.
    if (key === '__proto__') Object.defineProperty(record, key, { value: r, enumerable: true, writable: true, configurable: true });
    else record[key] = r;
  }
}

/** Parses one record; `{"$b64"}` objects below the top level become Uint8Arrays. Throws SyntaxError. */
export function decodeJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return revive(value, 0);
  reviveFields(value as Record<string, unknown>, 1);
  return value;
}
