import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Framer } from './framer.ts';
import type { FramerLimits, FramingContext, Item } from './types.ts';
import { concatBytes } from './bytes.ts';

const enc = new TextEncoder();

/** Frames `data` cut at the given positions (deduplicated, sorted), then ends the stream. */
function frameSplit(data: Uint8Array, ctx: FramingContext, cuts: number[], limits?: Partial<FramerLimits>): Item[] {
  const f = new Framer(ctx, limits);
  const points = [...new Set(cuts.map((c) => (data.length === 0 ? 0 : c % (data.length + 1))))].sort((a, b) => a - b);
  const items: Item[] = [];
  let at = 0;
  for (const p of [...points, data.length]) {
    items.push(...f.push(data.subarray(at, p)));
    at = p;
  }
  items.push(...f.end());
  return items;
}

function accountedFor(items: Item[], data: Uint8Array): void {
  expect(concatBytes(items.map((i) => i.raw))).toEqual(data);
  let at = 0;
  for (const item of items) {
    expect(item.offset).toBe(at);
    expect(item.raw.length).toBeGreaterThan(0);
    at += item.raw.length;
  }
}

const token = fc.stringMatching(/^[A-Za-z0-9@.%:=_-]{1,12}$/);
const plainVerb = fc.constantFrom('CHG', 'ACK', 'NAK', 'JOI', 'BYE', 'IRO', 'CAL', 'USR', 'ANS', 'SYN', 'XFR', 'CVR', 'VER', 'QNG', 'CHL', 'PNG', 'OUT');
const plainLine = fc.oneof(
  fc.tuple(plainVerb, fc.array(token, { maxLength: 6 })).map(([verb, args]) => enc.encode([verb, ...args].join(' ') + '\r\n')),
  // `NNN TrID` without a length: never a payload.
  fc.tuple(fc.constantFrom('201', '911', '540'), fc.nat()).map(([code, trid]) => enc.encode(`${code} ${trid}\r\n`)),
);
const payloadBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => enc.encode(s)),
  fc.constantFrom(enc.encode('\r\n'), enc.encode('PNG\r\n'), new Uint8Array([13]), new Uint8Array([0, 13, 10, 0])),
);
/** `MSG` is a payload command both ways on a switchboard in every version. */
const msgCommand = fc.tuple(token, fc.constantFrom('U', 'N', 'A', 'D'), payloadBytes).map(([who, type, payload]) =>
  concatBytes([enc.encode(`MSG ${who} ${type} ${payload.length}\r\n`), payload]),
);
const validStream = fc.array(fc.oneof(plainLine, msgCommand), { maxLength: 25 }).map((parts) => concatBytes(parts));
const ctxArb = fc.record({
  direction: fc.constantFrom('client' as const, 'server' as const),
  server: fc.constant('SB' as const),
  version: fc.integer({ min: 2, max: 21 }),
});
const cutsArb = fc.array(fc.nat(), { maxLength: 12 });

describe('Framer properties', () => {
  it('valid command streams decode identically however they are split', () => {
    fc.assert(
      fc.property(validStream, ctxArb, cutsArb, (data, ctx, cuts) => {
        const whole = frameSplit(data, ctx, []);
        const split = frameSplit(data, ctx, cuts);
        expect(whole.every((i) => i.kind === 'command')).toBe(true);
        expect(split).toEqual(whole);
        accountedFor(split, data);
      }),
      { numRuns: 300 },
    );
  });

  const garbagePiece = fc.oneof(
    fc.uint8Array({ maxLength: 12 }),
    fc.constantFrom('\r\n', '\r', '\n', ' ', '0', '99', '7', 'MSG 1 N 5\r\n', 'MSG a b ', 'UUX 1 ', 'ADL 0 ', 'ABC', 'abc', '\0', '201 3 4\r\n', 'x'.repeat(30)).map((s) => enc.encode(s)),
  );
  const garbage = fc.array(garbagePiece, { maxLength: 40 }).map((parts) => concatBytes(parts));
  const anyCtx = fc.record({
    direction: fc.constantFrom('client' as const, 'server' as const),
    server: fc.constantFrom('NS' as const, 'SB' as const),
    version: fc.integer({ min: 2, max: 21 }),
  });
  const smallLimits = fc.record({ maxLineBytes: fc.integer({ min: 1, max: 40 }), maxPayloadBytes: fc.integer({ min: 0, max: 64 }) });

  it('random garbage never throws and every byte is accounted for, in order, independent of chunking', () => {
    fc.assert(
      fc.property(garbage, anyCtx, smallLimits, cutsArb, (data, ctx, limits, cuts) => {
        const whole = frameSplit(data, ctx, [], limits);
        accountedFor(whole, data);
        const split = frameSplit(data, ctx, cuts, limits);
        accountedFor(split, data);
        expect(split).toEqual(whole);
        for (const item of whole) if (item.kind === 'malformed') expect(item.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('one byte at a time matches one push for garbage with default limits', () => {
    fc.assert(
      fc.property(garbage, anyCtx, (data, ctx) => {
        const cuts = Array.from({ length: data.length }, (_, i) => i);
        expect(frameSplit(data, ctx, cuts)).toEqual(frameSplit(data, ctx, []));
      }),
      { numRuns: 150 },
    );
  });
});
