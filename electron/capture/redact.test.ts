import { beforeAll, describe, expect, it } from 'vitest';
import type { BytesEvent, GatewayEvent, HttpRequestEvent, HttpResponseEvent } from '../../shared/api/gateway-events.ts';
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import type { Direction, ServerKind } from '../../shared/msnp/types.ts';
import { RNG_COOKIE, TWN_TICKET, XFR_COOKIE, runGateway, type GatewayRun } from './__test__/gateway-run.ts';
import { headerOf, latin1, parseHead } from './http-head.ts';
import { redactEvents } from './redact.ts';

const enc = new TextEncoder();
// From the recorded profile MSG in tests/fixtures/transcripts/msnp8-tcp.txt.
const MSPAUTH_START = 'MSPAuth: 6df4928be7ef451d90b2Y6+H31sTUOFkqjNTDY';
const PROFILE_SECRETS = [MSPAUTH_START, 'sid: 507', 'ClientIP: 127.0.0.1', 'ClientPort: 55706', 'MemberIdHigh: 2300179748', 'MemberIdLow: 981335465'];

function allText(events: readonly GatewayEvent[]): string {
  return events
    .map((e) => (e.type === 'bytes' ? latin1(e.bytes) : e.type === 'http-request' || e.type === 'http-response' ? latin1(e.head) + latin1(e.body) : ''))
    .join('\n');
}

function streamOf(events: readonly GatewayEvent[], sessionId: string, direction: Direction): Uint8Array {
  const parts = events.filter((e): e is BytesEvent => e.type === 'bytes' && e.sessionId === sessionId && e.direction === direction).map((e) => e.bytes);
  return new Uint8Array(Buffer.concat(parts));
}

function frame(bytes: Uint8Array, server: ServerKind, direction: Direction) {
  const d = new ConnectionDecoder(server);
  return [...d.push(direction, bytes), ...d.end(direction)];
}

let run: GatewayRun;
let redacted: GatewayEvent[];
beforeAll(async () => {
  run = await runGateway();
  redacted = redactEvents(run.events);
});

describe('redaction of a real gateway run (default)', () => {
  it('the secrets were in the run, and none is left in any byte field', () => {
    const before = allText(run.events);
    const after = allText(redacted);
    for (const secret of [TWN_TICKET, XFR_COOKIE, RNG_COOKIE, ...PROFILE_SECRETS]) {
      expect(before, secret).toContain(secret);
      expect(after, secret).not.toContain(secret);
    }
    expect(after).toContain('USR 4 TWN S [redacted]\r\n');
    expect(after).toMatch(/XFR 9 SB 127\.0\.0\.1:\d+ CKI \[redacted\]\r\n/);
    expect(after).toMatch(/RNG a81a9271db03441275007f2c6577f66 127\.0\.0\.1:\d+ CKI \[redacted\] bob@example\.com/);
    expect(after).toContain('USR 1 alice@example.com [redacted]\r\n');
    expect(after).toContain('ANS 1 bob@example.com [redacted] a81a9271db03441275007f2c6577f66\r\n');
    expect(after).toContain('MSPAuth: [redacted]\r\n');
    // Not secrets: the server's TWN policy, the login names, the chat.
    expect(after).toContain('USR 3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1');
    expect(after).toContain('USR 4 OK alice@example.com');
  });

  it('every redacted stream still frames as the same commands, with byte-correct payload lengths', () => {
    const sessions = run.events.filter((e) => e.type === 'session-opened');
    expect(sessions).toHaveLength(3);
    for (const s of sessions) {
      for (const dir of ['client', 'server'] as const) {
        const orig = frame(streamOf(run.events, s.sessionId, dir), s.server, dir);
        const red = frame(streamOf(redacted, s.sessionId, dir), s.server, dir);
        expect(red.map((i) => i.kind)).toEqual(orig.map(() => 'command'));
        expect(red.map((i) => (i.kind === 'command' ? i.verb : ''))).toEqual(orig.map((i) => (i.kind === 'command' ? i.verb : '')));
        for (const item of red) if (item.kind === 'command' && item.payload) expect(item.payloadLength).toBe(item.payload.length);
      }
    }
    const profile = frame(streamOf(redacted, sessions[0].sessionId, 'server'), 'NS', 'server').find((i) => i.kind === 'command' && i.verb === 'MSG');
    expect(profile?.kind === 'command' && profile.payloadLength).toBeLessThan(1441);
  });

  it('HTTP bodies are redacted too and every Content-Length matches its new body', () => {
    const http = redacted.filter((e): e is HttpRequestEvent | HttpResponseEvent => e.type === 'http-request' || e.type === 'http-response');
    expect(http.length).toBeGreaterThan(20);
    for (const e of http) {
      const cl = headerOf(parseHead(e.head).headers, 'Content-Length');
      expect(cl, latin1(e.head)).toBe(String(e.body.length));
    }
    const bodies = http.map((e) => latin1(e.body)).join('');
    expect(bodies).toContain('USR 4 TWN S [redacted]');
    expect(bodies).not.toContain(TWN_TICKET);
  });

  it('unredacted: true keeps every byte', () => {
    const kept = redactEvents(run.events, { unredacted: true });
    expect(kept).toEqual(run.events);
    expect(allText(kept)).toContain(TWN_TICKET);
  });

  it('does not touch the input events', () => {
    expect(allText(run.events)).toContain(XFR_COOKIE);
  });
});

describe('redaction rules, one secret kind at a time', () => {
  let seq = 0;
  const opened = (sessionId: string, server: ServerKind): GatewayEvent => ({
    type: 'session-opened', seq: ++seq, time: seq, sessionId, server, requestedIp: '', clientAddress: '127.0.0.1', clientPort: 1, upstream: { host: 'h', port: 1863, kind: 'tcp' },
  });
  const bytes = (sessionId: string, direction: Direction, text: string | Uint8Array): BytesEvent => ({
    type: 'bytes', seq: ++seq, time: seq, sessionId, direction, exchangeId: null, bytes: typeof text === 'string' ? enc.encode(text) : text,
  });
  const out = (events: GatewayEvent[]) => redactEvents(events).filter((e): e is BytesEvent => e.type === 'bytes').map((e) => latin1(e.bytes));

  it('MSNP2-7 MD5 login hash (client), not the server salt', () => {
    const got = out([opened('1', 'NS'), bytes('1', 'server', 'USR 3 MD5 S 1013928519.693957190\r\n'), bytes('1', 'client', 'USR 4 MD5 S 0f9d8a0b1c2d3e4f5a6b7c8d9e0f1a2b\r\n')]);
    expect(got).toEqual(['USR 3 MD5 S 1013928519.693957190\r\n', 'USR 4 MD5 S [redacted]\r\n']);
  });

  it('TWN ticket in the t=...&p=... form', () => {
    expect(out([opened('1', 'NS'), bytes('1', 'client', 'USR 4 TWN S t=5kQ2Xw!Abc*&p=9zz*\r\n')])).toEqual(['USR 4 TWN S [redacted]\r\n']);
  });

  it('SSO ticket and challenge response (machine GUID kept); the server nonce is not a secret', () => {
    const got = out([
      opened('1', 'NS'),
      bytes('1', 'server', 'USR 3 SSO S MBI_KEY_OLD 8CLhG/xfgYZ7TyRQ/jIAWyDmd/w4R4GF2yKLS6tYrnjzi4cFag/Nr+hxsfg5zlCf\r\n'),
      bytes('1', 'client', 'USR 4 SSO S t=EwCoAk+hAAAU2n/SECRET AQAAAAIAAABnAAAAHUAAAA== {7535ef7c-ff92-11e0-8b1f-001e37f1d66e}\r\n'),
    ]);
    expect(got[0]).toContain('MBI_KEY_OLD 8CLhG');
    expect(got[1]).toBe('USR 4 SSO S [redacted] [redacted] {7535ef7c-ff92-11e0-8b1f-001e37f1d66e}\r\n');
  });

  it('a secret split across two chunks is redacted and moves into the chunk where its command starts', () => {
    const got = out([opened('1', 'NS'), bytes('1', 'client', 'CHG 5 NLN 0\r\nUSR 4 TWN S t=abc'), bytes('1', 'client', 'def&p=ghi\r\nSYN 6 0\r\n')]);
    expect(got).toEqual(['CHG 5 NLN 0\r\nUSR 4 TWN S [redacted]\r\n', 'SYN 6 0\r\n']);
  });

  it('a stream cut in the middle of a secret still loses it', () => {
    const got = out([opened('1', 'SB'), bytes('1', 'client', 'USR 1 a@b.c 1234.5678.99')]);
    expect(got).toEqual(['USR 1 a@b.c [redacted]']);
  });

  it('Passport and cookie headers in HTTP heads, and QRY/CHL are left alone', () => {
    const head = enc.encode('POST /gateway/gateway.dll?SessionID=1.2 HTTP/1.1\r\nAuthorization: Passport1.4 OrgVerb=GET,pwd=hunter2\r\nCookie: MSPAuth=abc\r\nContent-Length: 30\r\n\r\n');
    const body = enc.encode('QRY 7 msmsgs@msnmsgr.com 32\r\n');
    const rhead = enc.encode('HTTP/1.1 200 OK\r\nAuthentication-Info: Passport1.4 da-status=success,from-PP=\'t=x&p=y\'\r\nSet-Cookie: MSPProf=z\r\nContent-Length: 0\r\n\r\n');
    const events: GatewayEvent[] = [
      opened('1', 'NS'),
      { type: 'http-request', seq: ++seq, time: seq, exchangeId: 1, sessionId: '1', kind: 'send', method: 'POST', target: '/gateway/gateway.dll?SessionID=1.2', clientAddress: '127.0.0.1', clientPort: 1, head, body: body.subarray(0, 29) },
      { type: 'http-response', seq: ++seq, time: seq, exchangeId: 1, sessionId: '1', status: 200, head: rhead, body: new Uint8Array(0), timings: { received: 1, forwarded: 1, firstUpstreamByte: null, answered: 2 } },
    ];
    const [, req, res] = redactEvents(events) as [GatewayEvent, HttpRequestEvent, HttpResponseEvent];
    expect(latin1(req.head)).toBe('POST /gateway/gateway.dll?SessionID=1.2 HTTP/1.1\r\nAuthorization: [redacted]\r\nCookie: [redacted]\r\nContent-Length: 30\r\n\r\n');
    expect(latin1(res.head)).toBe('HTTP/1.1 200 OK\r\nAuthentication-Info: [redacted]\r\nSet-Cookie: [redacted]\r\nContent-Length: 0\r\n\r\n');
    expect(latin1(req.body)).toBe('QRY 7 msmsgs@msnmsgr.com 32\r\n');
  });
});
