// Query parsing fuzz: generators of gateway request targets (real parameter names and values,
// re-cased, duplicated, percent-encoded, junk) and the invariants parseTarget/parseGatewayQuery
// must keep. No vitest: shared with the long runner.
import fc from 'fast-check';
import { GATEWAY_PATH, parseGatewayQuery, parseTarget, type QueryResult } from '../../electron/gateway/query.ts';
import { PropertyViolation } from './codec-props.ts';

function fail(m: string): never {
  throw new PropertyViolation(m);
}

const NAMES = ['Action', 'SessionID', 'Server', 'IP', 'Lifespan', 'action', 'SESSIONID', 'server', 'ip', 'lifespan', 'Foo', ''];
const VALUES = [
  'open', 'poll', 'close', 'OPEN', 'Poll', 'bogus', '', 'NS', 'SB', 'ns', 'XX', 'messenger.hotmail.com', '207.46.108.13:1863',
  '[::1]:1863', '123456789.12345', '954547325.13160', '0', '60', '-1', '1e3', '99999999999', '%0D%0A', '%00', '%', '%zz', '+', '%2B',
  'a%20b', '%E2%80%A8', 'x'.repeat(70), '1.2.3.4%0D%0ASet-Cookie:%20x',
];

const param = fc.tuple(
  fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...NAMES) }, fc.string({ maxLength: 8 })),
  fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...VALUES) }, fc.string({ maxLength: 16 }), fc.string({ unit: 'grapheme', maxLength: 6 })),
  fc.boolean(), // encodeURIComponent the value
);

export const queryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(param, { maxLength: 7 }).map((ps) => '?' + ps.map(([n, v, e]) => `${n}=${e ? encodeURIComponent(v) : v}`).join('&')) },
  fc.string({ maxLength: 60 }).map((s) => '?' + s),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constant(''),
);

export const targetArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(GATEWAY_PATH, '/GATEWAY/Gateway.DLL', 'http://gw.example/gateway/gateway.dll', 'http://1.2.3.4:80/gateway/gateway.dll', '/gateway/gateway.dll/', '/gateway/../gateway/gateway.dll', '//gateway/gateway.dll', '/', '*'), queryArb).map(([p, q]) => p + q) },
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** The shape every accepted request must have; every refusal must say why. */
export function checkQueryResult(search: string, r: QueryResult): void {
  if (!r.ok) {
    if (typeof r.reason !== 'string' || r.reason.length === 0) fail(`refusal without a reason for ${JSON.stringify(search)}`);
    // Reasons echo the client's values into notices (never into HTTP headers); keep them bounded.
    if (r.reason.length > 200 + search.length) fail(`reason of ${r.reason.length} characters for ${JSON.stringify(search)}`);
    return;
  }
  const q = r.request;
  switch (q.action) {
    case 'open':
      if (q.server !== 'NS' && q.server !== 'SB') fail(`open with server ${q.server}`);
      if (/[\x00-\x1f\x7f]/.test(q.ip)) fail(`open accepted with control characters in IP ${JSON.stringify(q.ip)}`);
      break;
    case 'poll':
    case 'send':
    case 'close':
      if (!/^[0-9A-Za-z.\-]{1,64}$/.test(q.sessionId)) fail(`${q.action} accepted with SessionID ${JSON.stringify(q.sessionId)}`);
      if (q.action === 'poll' && q.lifespanS !== null && (!Number.isInteger(q.lifespanS) || q.lifespanS < 0)) fail(`poll with Lifespan ${q.lifespanS}`);
      break;
    default:
      fail(`unknown action in ${JSON.stringify(q)}`);
  }
}

/** Flips the case of every parameter name (the parser must not care). */
export function recaseNames(search: string, flips: readonly boolean[]): string {
  if (!search.startsWith('?')) return search;
  return '?' + search.slice(1).split('&').map((pair, i) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const rest = eq < 0 ? '' : pair.slice(eq);
    return (flips[i % Math.max(1, flips.length)] ? name.toUpperCase() : name.toLowerCase()) + rest;
  }).join('&');
}

export function checkTarget(target: string): void {
  let t: ReturnType<typeof parseTarget>;
  try {
    t = parseTarget(target);
  } catch (err) {
    fail(`parseTarget threw on ${JSON.stringify(target)}: ${String(err)}`);
  }
  if (t === null) return;
  if (t.isGateway !== (t.pathname.toLowerCase() === GATEWAY_PATH)) fail(`isGateway ${t.isGateway} for path ${t.pathname}`);
  if (t.search !== '' && !t.search.startsWith('?')) fail(`search ${JSON.stringify(t.search)}`);
  let r: QueryResult;
  try {
    r = parseGatewayQuery(t.search);
  } catch (err) {
    fail(`parseGatewayQuery threw on ${JSON.stringify(t.search)}: ${String(err)}`);
  }
  checkQueryResult(t.search, r);
}
