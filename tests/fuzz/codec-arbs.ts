// fast-check generators for the codec fuzzers, built over the real corpus (no vitest: shared with
// the long runner).
import fc from 'fast-check';
import type { Direction, FramerLimits, FramingContext, ServerKind } from '../../shared/msnp/types.ts';
import type { ConnectionSeed, StreamSeed } from './corpus.ts';
import { applyMutations, mutationsArb } from './mutate.ts';

export interface StreamCase {
  name: string;
  data: Uint8Array;
  ctx: FramingContext;
  /** Context decodeView is asked with (sometimes not the framing one: the inspector may guess wrong). */
  viewCtx: FramingContext;
  cuts: number[];
  limits: Partial<FramerLimits> | undefined;
}

export interface ConnectionCase {
  name: string;
  server: ServerKind;
  version: number;
  steps: Array<{ direction: Direction; bytes: Uint8Array }>;
  cuts: number[];
}

const ctxArb: fc.Arbitrary<FramingContext> = fc.record({
  direction: fc.constantFrom('client' as const, 'server' as const),
  server: fc.constantFrom('NS' as const, 'SB' as const),
  version: fc.integer({ min: 2, max: 21 }),
});

const limitsArb: fc.Arbitrary<Partial<FramerLimits> | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  fc.record({ maxLineBytes: fc.integer({ min: 1, max: 64 }), maxPayloadBytes: fc.integer({ min: 0, max: 256 }) }),
  fc.record({ maxLineBytes: fc.integer({ min: 64, max: 2048 }), maxPayloadBytes: fc.integer({ min: 0, max: 4096 }) }),
);

const cutsArb = fc.array(fc.nat(), { maxLength: 16 });

export function codecArbs(streams: StreamSeed[], connections: ConnectionSeed[]) {
  /** A window of a real stream (whole or a slice), mutated, with its recorded context (or a random one). */
  const streamCase: fc.Arbitrary<StreamCase> = fc
    .record({
      index: fc.nat({ max: streams.length - 1 }),
      window: fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 4096 })), { nil: undefined }),
      mutations: mutationsArb(8),
      randomCtx: fc.option(ctxArb, { freq: 4, nil: undefined }),
      viewCtx: fc.option(ctxArb, { freq: 4, nil: undefined }),
      cuts: cutsArb,
      limits: limitsArb,
    })
    .map((r) => {
      const seed = streams[r.index];
      let data = seed.bytes;
      if (r.window) {
        const start = r.window[0] % data.length;
        data = data.subarray(start, start + r.window[1]);
      }
      data = applyMutations(data, r.mutations);
      const ctx = r.randomCtx ?? { direction: seed.direction, server: seed.server, version: seed.version };
      return { name: seed.name, data, ctx, viewCtx: r.viewCtx ?? ctx, cuts: r.cuts, limits: r.limits };
    });

  /** Random bytes, random pieces of several streams glued together, any context, any limits. */
  const randomCase: fc.Arbitrary<StreamCase> = fc
    .record({
      parts: fc.array(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.tuple(fc.nat({ max: streams.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 300 })).map(([i, at, n]) => {
            const b = streams[i].bytes;
            const s = at % b.length;
            return b.subarray(s, s + n);
          }),
        ),
        { maxLength: 12 },
      ),
      ctx: ctxArb,
      cuts: cutsArb,
      limits: limitsArb,
    })
    .map((r) => {
      let n = 0;
      for (const p of r.parts) n += p.length;
      const data = new Uint8Array(n);
      let at = 0;
      for (const p of r.parts) {
        data.set(p, at);
        at += p.length;
      }
      return { name: 'random', data, ctx: r.ctx, viewCtx: r.ctx, cuts: r.cuts, limits: r.limits };
    });

  /** A whole recorded connection, some steps mutated, each step pushed in pieces. */
  const connectionCase: fc.Arbitrary<ConnectionCase> = fc
    .record({
      index: fc.nat({ max: connections.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), mutationsArb(3)), { maxLength: 4 }),
      cuts: cutsArb,
    })
    .map((r) => {
      const seed = connections[r.index];
      const steps = seed.steps.map((s) => ({ direction: s.direction, bytes: s.bytes }));
      for (const [at, ms] of r.edits) {
        const k = at % steps.length;
        steps[k] = { direction: steps[k].direction, bytes: applyMutations(steps[k].bytes, ms) };
      }
      return { name: seed.name, server: seed.server, version: seed.version, steps, cuts: r.cuts };
    });

  return { streamCase, randomCase, connectionCase };
}
