import { describe, expect, it } from 'vitest';
import { parseHostPort } from './address.ts';
import { Allowlist } from './allowlist.ts';
import { routeOpen, type RouteContext } from './route.ts';
import { sbAnnouncementOf, sbLoginCookieOf } from './sb-announce.ts';
import { SwitchboardDirectory } from './sb-directory.ts';

const cmd = (line: string) => {
  const [verb, ...args] = line.split(' ');
  return { verb, args };
};

describe('addresses', () => {
  it('parses host, host:port and IPv6 forms', () => {
    expect(parseHostPort('207.46.108.13')).toEqual({ host: '207.46.108.13', port: null });
    expect(parseHostPort('64.4.61.27:1863')).toEqual({ host: '64.4.61.27', port: 1863 });
    expect(parseHostPort('SB.Example.com:1864')).toEqual({ host: 'sb.example.com', port: 1864 });
    expect(parseHostPort('[::1]:1864')).toEqual({ host: '::1', port: 1864 });
    expect(parseHostPort('::1')).toEqual({ host: '::1', port: null });
    expect(parseHostPort('')).toBeNull();
    expect(parseHostPort('host:0')).toBeNull();
    expect(parseHostPort('host:99999')).toBeNull();
    expect(parseHostPort('a/b')).toBeNull();
  });
});

describe('SB announcements', () => {
  it('reads XFR SB and RNG in every version shape', () => {
    expect(sbAnnouncementOf(cmd('XFR 10 SB 207.46.108.13:1863 CKI 214963.1047973248.28908'))).toEqual({
      address: { host: '207.46.108.13', port: 1863 },
      cookie: '214963.1047973248.28908',
    });
    expect(sbAnnouncementOf(cmd('XFR 22 SB 64.4.61.27:1864 CKI 229374259.2195180.591125 U messenger.msn.com 1'))?.address).toEqual({ host: '64.4.61.27', port: 1864 });
    expect(sbAnnouncementOf(cmd('RNG 797997072 65.54.189.181:1863 CKI 5920759.122183168 a@live.com a@live.com U messenger.msn.com 1'))).toEqual({
      address: { host: '65.54.189.181', port: 1863 },
      cookie: '5920759.122183168',
    });
  });

  it('ignores XFR NS, other verbs and malformed addresses', () => {
    expect(sbAnnouncementOf(cmd('XFR 3 NS 207.46.106.118:1863 0 207.46.104.20:1863'))).toBeNull();
    expect(sbAnnouncementOf(cmd('USR 1 OK a@b.c Name'))).toBeNull();
    expect(sbAnnouncementOf(cmd('XFR 10 SB nohost CKI x'))).toBeNull();
  });

  it('reads the cookie of USR and ANS logins', () => {
    expect(sbLoginCookieOf(cmd('USR 3 phil_sayers@hotmail.com 214963.1047973248.28908'))).toBe('214963.1047973248.28908');
    expect(sbLoginCookieOf(cmd('ANS 1 me@hotmail.com 849102291.520491113 11752013'))).toBe('849102291.520491113');
    expect(sbLoginCookieOf(cmd('VER 1 MSNP8'))).toBeNull();
  });
});

describe('SwitchboardDirectory', () => {
  it('maps cookies and hosts to announced addresses, most recent port first', () => {
    const d = new SwitchboardDirectory();
    d.learn({ host: '10.0.0.1', port: 1864 }, 'c1');
    d.learn({ host: '10.0.0.1', port: 1865 }, 'c2');
    expect(d.byCookie('c1')).toEqual({ host: '10.0.0.1', port: 1864 });
    expect(d.portsFor('10.0.0.1')).toEqual([1865, 1864]);
    expect(d.isKnown('10.0.0.1', 1864)).toBe(true);
    expect(d.isKnown('10.0.0.1', 1863)).toBe(false);
    expect(d.byCookie('nope')).toBeNull();
  });

  it('is bounded and expires entries', () => {
    let t = 0;
    const d = new SwitchboardDirectory({ maxEntries: 3, ttlMs: 100, now: () => t });
    for (let i = 0; i < 10; i++) d.learn({ host: `h${i}`, port: 1864 }, `c${i}`);
    expect(d.size).toBe(3);
    expect(d.byCookie('c0')).toBeNull();
    expect(d.byCookie('c9')).not.toBeNull();
    t = 101;
    expect(d.byCookie('c9')).toBeNull();
    expect(d.isKnown('h9', 1864)).toBe(false);
  });
});

describe('Allowlist', () => {
  it('allows exact and wildcard-port entries only', () => {
    const a = new Allowlist(['msnp.example.org:1863', '10.1.2.3:*']);
    expect(a.allows('MSNP.example.org', 1863)).toBe(true);
    expect(a.allows('msnp.example.org', 1864)).toBe(false);
    expect(a.allows('10.1.2.3', 4444)).toBe(true);
    expect(a.allows('10.1.2.4', 1863)).toBe(false);
  });

  it('rejects invalid entries', () => {
    expect(() => new Allowlist(['nohost'])).toThrow(TypeError);
    expect(() => new Allowlist(['h:port'])).toThrow(TypeError);
    expect(() => new Allowlist([':1863'])).toThrow(TypeError);
  });
});

describe('routeOpen', () => {
  const ctx = (over: Partial<RouteContext> = {}): RouteContext => ({
    upstream: { kind: 'tcp', host: '127.0.0.1', port: 1863 },
    directory: new SwitchboardDirectory(),
    allowlist: new Allowlist(),
    defaultSbPort: 1863,
    ...over,
  });

  it('sends NS opens to the configured upstream whatever IP= says', () => {
    const r = routeOpen({ server: 'NS', requestedIp: 'messenger.hotmail.com', cookie: null }, ctx());
    expect(r).toMatchObject({ ok: true, target: { kind: 'tcp', host: '127.0.0.1', port: 1863 } });
  });

  it('maps an SB host without port to the learned port, preferring the cookie', () => {
    const c = ctx();
    c.directory.learn({ host: '127.0.0.1', port: 1864 }, 'cookie-a');
    c.directory.learn({ host: '127.0.0.2', port: 1870 }, 'cookie-b');
    expect(routeOpen({ server: 'SB', requestedIp: '127.0.0.1', cookie: null }, c)).toMatchObject({ ok: true, via: 'learned', target: { host: '127.0.0.1', port: 1864 } });
    expect(routeOpen({ server: 'SB', requestedIp: '127.0.0.1', cookie: 'cookie-b' }, c)).toMatchObject({ ok: true, via: 'cookie', target: { host: '127.0.0.2', port: 1870 } });
  });

  it('refuses SB targets nobody announced (never an open relay), unless allowlisted', () => {
    const r = routeOpen({ server: 'SB', requestedIp: '203.0.113.9', cookie: null }, ctx());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.target).toBe('203.0.113.9:1863');
    const allowed = routeOpen({ server: 'SB', requestedIp: '203.0.113.9', cookie: null }, ctx({ allowlist: new Allowlist(['203.0.113.9:*']) }));
    expect(allowed).toMatchObject({ ok: true, via: 'default-port', target: { host: '203.0.113.9', port: 1863 } });
  });

  it('passthrough connects to IP= only when allowlisted', () => {
    const up = { kind: 'passthrough' as const, defaultPort: 1863 };
    expect(routeOpen({ server: 'NS', requestedIp: 'evil.example', cookie: null }, ctx({ upstream: up })).ok).toBe(false);
    expect(routeOpen({ server: 'NS', requestedIp: '', cookie: null }, ctx({ upstream: up })).ok).toBe(false);
    const ok = routeOpen({ server: 'NS', requestedIp: 'msnp.example.org', cookie: null }, ctx({ upstream: up, allowlist: new Allowlist(['msnp.example.org:1863']) }));
    expect(ok).toMatchObject({ ok: true, target: { kind: 'tcp', host: 'msnp.example.org', port: 1863 } });
  });

  it('emulator upstream takes NS and SB opens in-process', () => {
    const up = { kind: 'emulator' as const, connect: () => { throw new Error('unused'); } };
    expect(routeOpen({ server: 'NS', requestedIp: '', cookie: null }, ctx({ upstream: up }))).toMatchObject({ ok: true, target: { kind: 'emulator', server: 'NS' } });
    expect(routeOpen({ server: 'SB', requestedIp: '10.9.9.9', cookie: null }, ctx({ upstream: up }))).toMatchObject({ ok: true, target: { kind: 'emulator', server: 'SB', host: '10.9.9.9', port: 1863 } });
  });

  it('rejects an unparseable IP=', () => {
    expect(routeOpen({ server: 'SB', requestedIp: 'a b', cookie: null }, ctx()).ok).toBe(false);
  });
});
