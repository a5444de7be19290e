// Injected commands: encodeCommand with random specs either refuses with an EncodeError or makes
// bytes that frame back to exactly the one command asked for (and keep the stream in sync).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParams, replaying } from './budget.ts';
import { checkEncode } from './codec-props.ts';
import { encodeCtxArb, encodeLimitsArb, encodeSpecArb } from './encode-arbs.ts';

describe('encodeCommand fuzz (bounded)', () => {
  it('random specs: EncodeError or exactly one well-formed command, never anything else', () => {
    const outcomes = { encoded: 0, refused: 0 };
    fc.assert(
      fc.property(encodeSpecArb, encodeCtxArb, encodeLimitsArb, (spec, ctx, limits) => {
        outcomes[checkEncode(spec, ctx, limits)]++;
      }),
      fuzzParams('encode-random-specs', 3000),
    );
    // Both outcomes are exercised, so the property is not vacuous.
    if (!replaying) {
      expect(outcomes.encoded).toBeGreaterThan(300);
      expect(outcomes.refused).toBeGreaterThan(300);
    }
  });

  it('payload commands with well-formed arguments encode in every context that carries them', () => {
    const payloadVerbs = fc.constantFrom('MSG', 'UUX', 'ADL', 'RML', 'FQY', 'QRY', 'UUN', 'UBX', 'NOT', 'GCF', 'SDG', 'NFY');
    let encoded = 0;
    fc.assert(
      fc.property(
        payloadVerbs,
        fc.nat({ max: 1_000_000 }),
        fc.array(fc.stringMatching(/^[A-Za-z0-9@.]{1,12}$/), { maxLength: 3 }),
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 80 })),
        encodeCtxArb,
        (verb, trid, args, payload, ctx) => {
          if (checkEncode({ verb, trid, args, payload }, ctx) === 'encoded') encoded++;
        },
      ),
      fuzzParams('encode-payload-commands', 1500),
    );
    if (!replaying) expect(encoded).toBeGreaterThan(100);
  });
});
