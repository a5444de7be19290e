// Byte-level mutations of real streams and requests, as fast-check values (so failures shrink and
// replay from a seed). Positions are taken modulo the current length when applied.
import fc from 'fast-check';

const enc = new TextEncoder();

export type Mutation =
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; to: number }
  | { op: 'number'; nth: number; text: string }
  | { op: 'truncate'; at: number };

/** Bytes that matter to MSNP and HTTP framing, more likely than chance would make them. */
const interesting = fc.oneof(
  fc.constantFrom(...['\r\n', '\r', '\n', ' ', '  ', '\t', '0', '-1', '99999999999999999999', ':', '%', '%0D%0A', '\r\n\r\n', 'MSG 1 N 5\r\n', 'UUX 2 10\r\n', '201 3 4\r\n', 'é', '\u{1F600}', 'Content-Length: 5\r\n', 'Transfer-Encoding: chunked\r\n', 'HTTP/1.1'].map((s) => enc.encode(s))),
  fc.constantFrom(new Uint8Array([0]), new Uint8Array([0xff]), new Uint8Array([0xc3]), new Uint8Array([0x7f])),
  fc.uint8Array({ minLength: 1, maxLength: 8 }),
);

const numberText = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom('0', '', '00', '-5', '1e3', '4294967296', '9007199254740993', '999999999999999999999', 'x', ' 1'),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: interesting }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }), to: fc.nat() }),
  fc.record({ op: fc.constant('number' as const), nth: fc.nat(), text: numberText }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

export const mutationsArb = (maxLength = 6): fc.Arbitrary<Mutation[]> => fc.array(mutationArb, { maxLength });

function splice(data: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length - remove + insert.length);
  out.set(data.subarray(0, at), 0);
  out.set(insert, at);
  out.set(data.subarray(at + remove), at + insert.length);
  return out;
}

/** Start and end of the nth run of ASCII digits (wrapping around), or null when there is none. */
function digitRun(data: Uint8Array, nth: number): [number, number] | null {
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < data.length; ) {
    if (data[i] >= 48 && data[i] <= 57) {
      let j = i;
      while (j < data.length && data[j] >= 48 && data[j] <= 57) j++;
      runs.push([i, j]);
      i = j;
    } else i++;
  }
  return runs.length === 0 ? null : runs[nth % runs.length];
}

export function applyMutation(data: Uint8Array, m: Mutation): Uint8Array {
  const n = data.length;
  switch (m.op) {
    case 'set': {
      if (n === 0) return data;
      const out = data.slice();
      out[m.at % n] = m.byte;
      return out;
    }
    case 'insert':
      return splice(data, m.at % (n + 1), 0, m.bytes);
    case 'delete': {
      if (n === 0) return data;
      const at = m.at % n;
      return splice(data, at, Math.min(m.length, n - at), new Uint8Array(0));
    }
    case 'duplicate': {
      if (n === 0) return data;
      const at = m.at % n;
      const piece = data.slice(at, Math.min(n, at + m.length));
      return splice(data, m.to % (n + 1), 0, piece);
    }
    case 'number': {
      const run = digitRun(data, m.nth);
      return run ? splice(data, run[0], run[1] - run[0], enc.encode(m.text)) : data;
    }
    case 'truncate':
      return data.subarray(0, m.at % (n + 1));
  }
}

export function applyMutations(data: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let out = data;
  for (const m of ms) out = applyMutation(out, m);
  return out;
}
