import { describe, expect, it } from 'vitest';
import { parseGatewayQuery, parseTarget } from './query.ts';

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
