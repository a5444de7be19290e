import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from './json-bytes.ts';

// The encoding files were written with before json-bytes.ts: JSON.stringify with this replacer,
// read back with this reviver. The new code must write the same text and read the same values.
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Uint8Array) return { $b64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  return value;
}
function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { $b64?: unknown }).$b64 === 'string' && Object.keys(value).length === 1) {
    return new Uint8Array(Buffer.from((value as { $b64: string }).$b64, 'base64'));
  }
  return value;
}

const bytes = fc.uint8Array({ maxLength: 64 });
const leaf = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  bytes,
  bytes.map((b) => Buffer.from(b)),
  bytes.map((b) => b.subarray(Math.min(1, b.length))),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 })),
})).node;
const record = fc.dictionary(fc.string(), value, { maxKeys: 8 });

describe('json-bytes', () => {
  it('writes exactly what JSON.stringify with the old replacer wrote', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(encodeJson(r)).toBe(JSON.stringify(r, replacer));
      }),
      { numRuns: 500 },
    );
  });

  it('reads back what the old reviver read, bytes as Uint8Arrays', () => {
    fc.assert(
      fc.property(record, (r) => {
        const text = encodeJson(r);
        expect(decodeJson(text)).toEqual(JSON.parse(text, reviver));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the exact bytes of views, Buffers and multi-byte text', () => {
    const backing = new Uint8Array([9, 9, 0xe2, 0x82, 0xac, 0, 0xff, 9]);
    const event = { type: 'bytes', seq: 1, time: 1.5, view: backing.subarray(2, 7), buf: Buffer.from('ünï'), text: 'ü\u2028"\\\n\ud800', nested: { a: [new Uint8Array([1, 2])] } };
    const back = decodeJson(encodeJson(event)) as Record<string, unknown>;
    expect(back.view).toEqual(new Uint8Array([0xe2, 0x82, 0xac, 0, 0xff]));
    expect(back.view).toBeInstanceOf(Uint8Array);
    expect(back.buf).toEqual(new Uint8Array(Buffer.from('ünï')));
    expect(back.text).toBe(event.text);
    expect((back.nested as { a: unknown[] }).a[0]).toEqual(new Uint8Array([1, 2]));
  });

  it('decoded fields stay intact while many more are decoded after them (shared slabs), small and large', () => {
    const originals: Uint8Array[] = [];
    const decoded: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) {
      const size = i % 500 === 0 ? 20_000 + i : i % 97;
      const bytes = new Uint8Array(size).map((_, j) => (i + j * 13) & 0xff);
      originals.push(bytes);
      decoded.push((decodeJson(encodeJson({ bytes })) as { bytes: Uint8Array }).bytes);
    }
    for (let i = 0; i < originals.length; i++) expect(decoded[i]).toEqual(originals[i]);
  });

  it('leaves objects that only look like bytes alone, and an own __proto__ stays a property', () => {
    const back = decodeJson('{"a":{"$b64":"AA==","x":1},"b":{"$b64":5},"__proto__":{"$b64":"AQ=="}}') as Record<string, unknown>;
    expect(back.a).toEqual({ $b64: 'AA==', x: 1 });
    expect(back.b).toEqual({ $b64: 5 });
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual(new Uint8Array([1]));
  });

  it('throws where JSON.stringify throws (bigint, cycles), and on bad JSON', () => {
    expect(() => encodeJson({ n: 1n })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeJson(cyclic)).toThrow(TypeError);
    expect(() => decodeJson('{"a":')).toThrow(SyntaxError);
  });

  it('uses toJSON like JSON.stringify (a Date inside a record)', () => {
    const r = { when: new Date(0), deep: { d: new Date(1) } };
    expect(encodeJson(r)).toBe(JSON.stringify(r, replacer));
  });
});
