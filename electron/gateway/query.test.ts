import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GATEWAY_PATH, parseGatewayQuery, parseTarget, type QueryResult } from './query.ts';

const q = (target: string) => {
  const t = parseTarget(target);
  if (!t) throw new Error('bad target');
  return parseGatewayQuery(t.search);
};

describe('parseTarget', () => {
  it('accepts origin-form and absolute-form with any authority', () => {
    expect(parseTarget('/gateway/gateway.dll?Action=poll')?.isGateway).toBe(true);
    expect(parseTarget('http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open')?.isGateway).toBe(true);
    expect(parseTarget('http://207.46.110.18/gateway/gateway.dll?Action=poll&SessionID=1')?.isGateway).toBe(true);
    expect(parseTarget('/GATEWAY/Gateway.DLL')?.isGateway).toBe(true);
    expect(parseTarget('/gateway/other.dll')?.isGateway).toBe(false);
    expect(parseTarget('/')?.isGateway).toBe(false);
  });
});

describe('parseGatewayQuery', () => {
  it('reads the official open (Vector A) and SB open (Vector C)', () => {
    expect(q('http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com')).toEqual({
      ok: true,
      request: { action: 'open', server: 'NS', ip: 'messenger.hotmail.com' },
    });
    expect(q('/gateway/gateway.dll?Action=open&Server=SB&IP=207.46.108.13')).toEqual({ ok: true, request: { action: 'open', server: 'SB', ip: '207.46.108.13' } });
  });

  it("treats BitlBee's empty SessionID as an open and defaults Server to NS without IP", () => {
    expect(q('/gateway/gateway.dll?SessionID=&Action=open&Server=NS')).toEqual({ ok: true, request: { action: 'open', server: 'NS', ip: '' } });
    expect(q('/gateway/gateway.dll?Action=open')).toEqual({ ok: true, request: { action: 'open', server: 'NS', ip: '' } });
  });

  it('reads data requests with or without a trailing &', () => {
    expect(q('/gateway/gateway.dll?SessionID=954547325.13160')).toEqual({ ok: true, request: { action: 'send', sessionId: '954547325.13160' } });
    expect(q('/gateway/gateway.dll?SessionID=954547325.13160&')).toEqual({ ok: true, request: { action: 'send', sessionId: '954547325.13160' } });
  });

  it('reads polls, long polls and close, whatever the parameter order and case', () => {
    expect(q('/gateway/gateway.dll?Action=poll&SessionID=954547325.32498')).toEqual({ ok: true, request: { action: 'poll', sessionId: '954547325.32498', lifespanS: null } });
    expect(q('/gateway/gateway.dll?Action=poll&Lifespan=3&SessionID=1.2')).toEqual({ ok: true, request: { action: 'poll', sessionId: '1.2', lifespanS: 3 } });
    expect(q('/gateway/gateway.dll?SessionID=1.2&Action=poll&Lifespan=60')).toEqual({ ok: true, request: { action: 'poll', sessionId: '1.2', lifespanS: 60 } });
    expect(q('/gateway/gateway.dll?sessionid=1.2&action=CLOSE')).toEqual({ ok: true, request: { action: 'close', sessionId: '1.2' } });
  });

  it('rejects malformed queries with a reason', () => {
    const bad = [
      '/gateway/gateway.dll?Action=dance',
      '/gateway/gateway.dll?Action=open&Server=XX',
      '/gateway/gateway.dll?Action=poll',
      '/gateway/gateway.dll?Action=close&SessionID=',
      '/gateway/gateway.dll?Action=poll&SessionID=1.2&Lifespan=abc',
      '/gateway/gateway.dll?Action=open&SessionID=1.2',
      '/gateway/gateway.dll?SessionID=%0d%0a',
      '/gateway/gateway.dll?Action=open&IP=a%0d%0ab',
    ];
    for (const t of bad) {
      const r = q(t);
      expect(r.ok, t).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(5);
    }
  });
});

// The URL/URLSearchParams reading the hand-written fast paths must equal, kept here as the oracle.
function referenceTarget(target: string) {
  let url: URL;
  try {
    url = new URL(target, 'http://gateway.invalid');
  } catch {
    return null;
  }
  return { isGateway: url.pathname.toLowerCase() === GATEWAY_PATH, pathname: url.pathname, search: url.search };
}

function referenceParams(search: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(search)) {
    const key = name.toLowerCase();
    if (!params.has(key)) params.set(key, value);
  }
  return params;
}

const PREFIXES = [
  '', '/', '//', 'http://', 'HTTP://', 'http://gw.example', 'http://1.2.3.4:80', 'http://1.2.3.999', 'http://[::1]:1863', 'http://a:b', 'http://a\\b',
  'http://a@b', 'http://a%41', 'http://\u0000', 'http://\u0000\u0000', 'http://:80', 'http://x:99999', 'http://gateway.messenger.hotmail.com', 'https://h', 'http://h ', 'http:/', '*',
];
const PATHS = ['/gateway/gateway.dll', '/GATEWAY/Gateway.DLL', '/gateway/gateway.dll/', '/gateway/../gateway/gateway.dll', '/gateway/gateway%2Edll', '/gateway\\gateway.dll', '/gateway/gateway.dl', '', '/gateway/gateway.dll\t', '/gatew\u212Ay/gateway.dll'];
const QUERY_PIECES = ['?', '&', '=', 'Action', 'action', 'SessionID', 'sessionid', 'Server', 'IP', 'Lifespan', 'open', 'poll', 'close', 'NS', '123456789.12345', '1.2', '60', '%', '%41', '+', ' ', '#', '"', "'", '<', '>', '\t', '\n', '\0', '\u00e9', '\ud800', '\u212A', 'x'];

describe('fast paths equal URL and URLSearchParams', () => {
  const pieces = fc.array(fc.constantFrom(...QUERY_PIECES), { maxLength: 14 }).map((q) => q.join(''));
  const targetArb = fc.oneof(
    // Mostly the shapes the fast path takes, so every character class it lets through is tried.
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('', 'http://gw.example', 'http://1.2.3.4:80', 'http://[::1]:1863', 'http://', 'http://\u0000', 'http://a'), fc.constantFrom(PATHS[0], PATHS[1]), pieces).map(([a, p, q]) => `${a}${p}?${q}`) },
    fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...PATHS), pieces, fc.string({ maxLength: 6 })).map(([a, p, q, junk]) => a + p + q + junk),
  );

  it('parseTarget answers exactly as new URL() does', () => {
    fc.assert(
      fc.property(targetArb, (t) => {
        expect(parseTarget(t)).toEqual(referenceTarget(t));
      }),
      { numRuns: 2000 },
    );
    for (const t of ['/gateway/gateway.dll?', "/gateway/gateway.dll?a'b", 'http://h/gateway/gateway.dll?Action=poll&SessionID=1.2', 'http:///gateway/gateway.dll', '/gateway/gateway.dll?a b', 'http://1.2.3.999/gateway/gateway.dll']) {
      expect(parseTarget(t), t).toEqual(referenceTarget(t));
    }
  });

  it('parseGatewayQuery answers exactly as the URLSearchParams reading does', () => {
    const queryArb = fc.oneof(fc.array(fc.constantFrom(...QUERY_PIECES), { maxLength: 16 }).map((q) => q.join('')), fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }));
    fc.assert(
      fc.property(queryArb, (q) => {
        expect(parseGatewayQuery(q)).toEqual(referenceQuery(q));
      }),
      { numRuns: 2000 },
    );
  });
});

/** The reading before the fast path (URLSearchParams into a Map), decision for decision. */
function referenceQuery(search: string): QueryResult {
  const params = referenceParams(search);
  const sessionId = params.get('sessionid') ?? '';
  const actionRaw = params.get('action');
  const action = actionRaw?.toLowerCase();
  if (actionRaw !== undefined && action !== 'open' && action !== 'poll' && action !== 'close') return { ok: false, reason: `unknown Action "${actionRaw}"` };
  if (sessionId === '') {
    if (action === 'poll' || action === 'close') return { ok: false, reason: `Action=${actionRaw} without a SessionID` };
    const serverRaw = params.get('server');
    let server: 'NS' | 'SB';
    if (serverRaw === undefined || serverRaw === '') server = 'NS';
    else if (serverRaw.toUpperCase() === 'NS' || serverRaw.toUpperCase() === 'SB') server = serverRaw.toUpperCase() as 'NS' | 'SB';
    else return { ok: false, reason: `Server must be NS or SB, got "${serverRaw}"` };
    const ip = params.get('ip') ?? '';
    if (/[\x00-\x1f\x7f]/.test(ip)) return { ok: false, reason: 'IP contains control characters' };
    return { ok: true, request: { action: 'open', server, ip } };
  }
  if (!(sessionId.length <= 64 && /^[0-9A-Za-z.\-]+$/.test(sessionId))) return { ok: false, reason: 'malformed SessionID' };
  if (action === 'open') return { ok: false, reason: 'Action=open with a SessionID' };
  if (action === 'close') return { ok: true, request: { action: 'close', sessionId } };
  if (action === 'poll') {
    const lifespanRaw = params.get('lifespan');
    let lifespanS: number | null = null;
    if (lifespanRaw !== undefined && lifespanRaw !== '') {
      if (!/^\d{1,9}$/.test(lifespanRaw)) return { ok: false, reason: `Lifespan must be a whole number of seconds, got "${lifespanRaw}"` };
      lifespanS = Number(lifespanRaw);
    }
    return { ok: true, request: { action: 'poll', sessionId, lifespanS } };
  }
  return { ok: true, request: { action: 'send', sessionId } };
}
