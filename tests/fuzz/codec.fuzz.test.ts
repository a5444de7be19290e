// Bounded codec fuzzing: real transcript streams, mutated at the byte level, framed in random
// pieces, with default and tiny limits; random interleavings of whole connections; decodeView on
// everything. The long run (npm run fuzz) drives the same properties a million times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import type { FramingContext } from '../../shared/msnp/types.ts';
import { fuzzParams } from './budget.ts';
import { codecArbs } from './codec-arbs.ts';
import { checkConnection, checkStream, frame } from './codec-props.ts';
import { transcriptConnections, transcriptStreams } from './corpus.ts';

const streams = transcriptStreams();
const connections = transcriptConnections();
const arbs = codecArbs(streams, connections);

describe('codec corpus', () => {
  it('the unmutated transcripts frame without a single malformed item (the seeds are real)', () => {
    expect(streams.length).toBeGreaterThanOrEqual(12);
    for (const s of streams) {
      const { items } = frame(s.bytes, { direction: s.direction, server: s.server, version: s.version }, []);
      expect({ stream: s.name, malformed: items.filter((i) => i.kind === 'malformed').length }).toEqual({ stream: s.name, malformed: 0 });
    }
    for (const c of connections) {
      const d = new ConnectionDecoder(c.server, { version: c.version });
      for (const step of c.steps) d.push(step.direction, step.bytes);
      if (c.server === 'NS') expect({ conn: c.name, version: d.version }).toEqual({ conn: c.name, version: c.version });
    }
  });
});

describe('codec fuzz (bounded)', () => {
  it('mutated real streams: never throws, every byte accounted for, round trip exact, chunking irrelevant', () => {
    fc.assert(fc.property(arbs.streamCase, (c) => checkStream(c.data, c.ctx, c.cuts, c.limits, c.viewCtx)), fuzzParams('codec-mutated-streams', 400));
  });

  it('random bytes and splices of real streams under random contexts and tiny limits', () => {
    fc.assert(fc.property(arbs.randomCase, (c) => checkStream(c.data, c.ctx, c.cuts, c.limits)), fuzzParams('codec-random-streams', 400));
  });

  it('one byte at a time equals one push, on mutated real streams', () => {
    fc.assert(
      fc.property(arbs.streamCase, (c) => {
        const data = c.data.subarray(0, 2048);
        checkStream(data, c.ctx, Array.from({ length: data.length }, (_, i) => i), c.limits);
      }),
      fuzzParams('codec-byte-at-a-time', 40),
    );
  });

  it('whole connections (both directions, VER switching versions) with mutated steps, in random pieces', () => {
    fc.assert(fc.property(arbs.connectionCase, (c) => checkConnection(c.server, c.version, c.steps, c.cuts)), fuzzParams('codec-connections', 120));
  });

  it('decodeView on real commands under every context never throws or hides an error', () => {
    const ctxs: FramingContext[] = [];
    for (const direction of ['client', 'server'] as const) for (const server of ['NS', 'SB'] as const) for (let v = 2; v <= 21; v++) ctxs.push({ direction, server, version: v });
    let views = 0;
    for (const s of streams) {
      const { items } = frame(s.bytes, { direction: s.direction, server: s.server, version: s.version }, []);
      for (const item of items) {
        if (item.kind !== 'command') continue;
        for (const ctx of ctxs) {
          checkStream(item.raw, ctx, [], undefined);
          views++;
        }
      }
    }
    expect(views).toBeGreaterThan(10_000);
  });
});
