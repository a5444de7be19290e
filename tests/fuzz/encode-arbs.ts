// Random injection specs for encodeCommand: real verbs and junk, TrIDs in and out of range,
// arguments with and without forbidden bytes, payloads as bytes or text. Shared with the runner.
import fc from 'fast-check';
import type { EncodeCommandInput } from '../../shared/msnp/serialize.ts';
import type { FramerLimits, FramingContext } from '../../shared/msnp/types.ts';

const REAL_VERBS = [
  'MSG', 'UUX', 'UBX', 'ADL', 'RML', 'FQY', 'QRY', 'CHL', 'PNG', 'QNG', 'OUT', 'CHG', 'NLN', 'ILN', 'FLN', 'USR', 'VER', 'CVR',
  'XFR', 'RNG', 'ANS', 'CAL', 'JOI', 'IRO', 'BYE', 'ACK', 'NAK', 'SYN', 'LST', 'ADD', 'REM', 'GTC', 'BLP', 'PRP', 'SBP', 'NOT',
  'GCF', 'UUN', 'UBN', 'UUM', 'UBM', 'SDG', 'NFY', 'PUT', 'DEL', 'IPG', 'PAG', 'SDC', 'VAS', 'GET', 'URL', 'REA', 'SBS',
  '200', '201', '205', '207', '208', '241', '500', '540', '603', '710', '715', '800', '911', '913', '928', '931',
];

const verbArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...REAL_VERBS) },
  fc.string({ maxLength: 5 }),
  fc.stringMatching(/^[A-Za-z0-9]{3}$/),
  fc.constantFrom('', 'msg', 'MS', 'MSGX', 'MS G', 'M\r\n', '12', '1234', 'ÀBC'),
);

const tridArb = fc.oneof(
  { weight: 4, arbitrary: fc.nat() },
  fc.constantFrom(undefined, null, 0, -1, 1.5, 4294967295, 4294967296, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER),
  fc.integer(),
);

const safeToken = fc.stringMatching(/^[A-Za-z0-9@.%:=_\-{}]{1,24}$/);
const argArb = fc.oneof(
  { weight: 6, arbitrary: safeToken },
  fc.nat().map(String),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('', ' ', 'a b', 'x\r\ny', '\r', '\n', '\t', '\x00', '\x7f', 'é', '\u2028', '%0D%0A', '0', '-1'),
);

const payloadArb = fc.oneof(
  fc.constantFrom(undefined, null),
  fc.uint8Array({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', '\r\n', 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhi', '<ml l="1"><d n="x.com"><c n="a" l="3" t="1"/></d></ml>', 'PNG\r\n'),
);

export const encodeSpecArb: fc.Arbitrary<EncodeCommandInput> = fc.record(
  { verb: verbArb, trid: tridArb, args: fc.array(argArb, { maxLength: 6 }), payload: payloadArb },
  { requiredKeys: ['verb'] },
);

export const encodeCtxArb: fc.Arbitrary<FramingContext> = fc.record({
  direction: fc.constantFrom('client' as const, 'server' as const),
  server: fc.constantFrom('NS' as const, 'SB' as const),
  version: fc.integer({ min: 2, max: 21 }),
});

export const encodeLimitsArb: fc.Arbitrary<Partial<FramerLimits> | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  fc.record({ maxLineBytes: fc.integer({ min: 1, max: 80 }), maxPayloadBytes: fc.integer({ min: 0, max: 100 }) }),
);
