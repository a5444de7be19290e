// Logins through the gateway (upstream: the in-process emulator) for every MD5/TWN/SSO dialect,
// each in a real client's request style, with the Passport legs done over HTTPS against the
// emulator's Passport and its generated CA.
import { describe, expect, it } from 'vitest';
import type { ClientProfileName } from '../harness/legacy-clients.ts';
import { gatewayShapeProblems } from './support/gw-client.ts';
import { goOnline, loginOverGateway, type Auth } from './support/login.ts';
import { twnViaNexus } from './support/passport-client.ts';
import { startRig } from './support/rig.ts';

interface Case {
  version: number;
  profile: ClientProfileName;
  auth: Auth;
  batched?: boolean;
}

// Request styles: the official client (absolute-form, Vector A headers) for most; libpurple's
// absolute-form for 7/9/15; aMSN opens empty and sends after (5); Kopete one command per request
// (10); MSNPSharp batches VER+CVR+USR into the open (11).
const CASES: Case[] = [
  { version: 2, profile: 'msn-official', auth: 'md5' },
  { version: 5, profile: 'amsn', auth: 'md5' },
  { version: 7, profile: 'libpurple', auth: 'md5' },
  { version: 8, profile: 'msn-official', auth: 'nexus' },
  { version: 9, profile: 'libpurple', auth: 'nexus' },
  { version: 10, profile: 'kopete', auth: 'nexus' },
  { version: 11, profile: 'msnpsharp', auth: 'nexus', batched: true },
  { version: 12, profile: 'msn-official', auth: 'nexus' },
  { version: 12, profile: 'libpurple', auth: 'rst' },
  { version: 15, profile: 'libpurple', auth: 'sso' },
  { version: 15, profile: 'msnpsharp', auth: 'sso', batched: true },
  // Beyond the brief's list: the newest dialect the emulator offers (machine GUID, `1:handle`).
  { version: 18, profile: 'msn-official', auth: 'sso' },
];

/** `USR t OK ...` per dialect (reference 6.2-6.4): friendly below 10, verified from 6, restricted from 8. */
function okPattern(v: number, trid: number): RegExp {
  const friendly = v < 10 ? ' Alice' : '';
  const verified = v >= 6 ? ' 1' : '';
  const restricted = v >= 8 ? ' 0' : '';
  return new RegExp(`^USR ${trid} OK alice@example\\.com${friendly}${verified}${restricted}$`);
}

describe('logins through the gateway', () => {
  for (const tc of CASES) {
    it(`MSNP${tc.version} ${tc.auth.toUpperCase()} as ${tc.profile}${tc.batched ? ' (batched open)' : ''}`, async () => {
      const rig = await startRig();
      const c = rig.client(tc.profile);
      const trace = await loginOverGateway(c, rig.passport, { handle: 'alice@example.com', version: tc.version, auth: tc.auth, batched: tc.batched });
      const v = tc.version;

      expect(trace.lines[0].line).toBe(`VER 1 MSNP${v}`);
      expect(trace.ok.line).toMatch(okPattern(v, trace.ok.trid!));
      const after = trace.lines.slice(trace.lines.indexOf(trace.ok) + 1).map((l) => l.verb);
      // MSNP11+: SBS 0 null; MSNP5+: the profile MSG from Hotmail.
      expect(after).toEqual([...(v >= 11 ? ['SBS'] : []), ...(v >= 18 ? ['UBX'] : []), ...(v >= 5 ? ['MSG'] : [])]);
      if (v >= 18) expect(trace.lines.find((l) => l.verb === 'UBX')!.line).toBe('UBX 1:alice@example.com 0');
      if (v >= 5) {
        const profile = trace.lines.at(-1)!;
        expect(profile.line).toMatch(/^MSG Hotmail Hotmail \d+$/);
        const text = new TextDecoder().decode(profile.payload!);
        expect(text).toContain('Content-Type: text/x-msmsgsprofile');
        // Over HTTP the real service reported ClientPort 0 (reference 6.3): no TCP port to show.
        expect(text).toContain('\r\nClientPort: 0\r\n');
      }
      if (v >= 13) expect(trace.lines.some((l) => l.line.startsWith('GCF 0 '))).toBe(true);

      if (tc.auth === 'nexus') {
        // DALogin is host:port/path, no scheme, pointing at the HTTPS listener.
        expect(trace.passport.daLogin).toBe(`127.0.0.1:${rig.passport.port}/login2.srf`);
        expect(trace.passport.ticket).toMatch(/^t=[\w-]+&p=[\w-]+$/);
      }
      if (tc.auth === 'rst') {
        // RST0 (Passport.NET/tb) is the DA token; the TWN request is a legacy PPToken, no proof key.
        expect(trace.passport.tokens!.map((t) => t.id)).toEqual(['BinaryDAToken0', 'PPToken1']);
        expect(trace.passport.tokens![1].binarySecret).toBeNull();
      }
      if (tc.auth === 'sso') {
        expect(trace.passport.tokens!.map((t) => t.id)).toEqual(['BinaryDAToken0', 'Compact1']);
        expect(trace.passport.ticket).toMatch(/^t=[\w-]+&p=[\w-]+$/);
        // 28-byte header + IV + SHA-1 + 72 bytes of 3DES = 128 bytes.
        expect(Buffer.from(trace.passport.mbi!, 'base64')).toHaveLength(128);
      }

      // Online: the echo bot (always online) is announced with ILN echoing the CHG TrID.
      const [chg, ...rest] = await goOnline(c, v, 'NLN', ['bob@example.com', 'echo@example.com']);
      expect(chg.line).toBe(v >= 8 ? `CHG ${chg.trid} NLN 0` : `CHG ${chg.trid} NLN`);
      const iln = rest.find((l) => l.verb === 'ILN') ?? (await c.waitFor('ILN'));
      expect(iln.trid).toBe(chg.trid);
      expect(iln.args[2]).toBe(v >= 18 ? '1:echo@example.com' : 'echo@example.com');

      // Every answer had the gateway's shape, and no client would have choked on one.
      for (const res of c.responses()) expect(gatewayShapeProblems(res)).toEqual([]);
      expect(c.http.problems).toEqual([]);
      expect(c.malformed).toEqual([]);
      expect(c.sessionClosed).toBe(false);
      expect(rig.of('notice').filter((n) => n.severity !== 'info')).toEqual([]);
    });
  }

  it('the wrong password fails at Passport (401) and a forged ticket gets 911 and Session=close', async () => {
    const rig = await startRig();
    const c = rig.client('msn-official');
    await expect(loginOverGateway(c, rig.passport, { handle: 'alice@example.com', version: 8, password: 'wrong' })).rejects.toThrow(/login2\.srf answered 401/);
    // The client gives up on Passport; a made-up ticket is refused by the NS.
    const usr = await c.cmd('USR', 'TWN S t=forged&p=forged');
    const closing = await c.untilClosed();
    expect(closing.map((l) => l.line)).toEqual([`911 ${usr}`]);
    expect(c.sessionClosed).toBe(true);
  });

  it('SSO with the wrong password: RST.srf answers a SOAP fault, a made-up ticket gets 911 and Session=close', async () => {
    const rig = await startRig();
    const c = rig.client('libpurple');
    await expect(loginOverGateway(c, rig.passport, { handle: 'alice@example.com', version: 15, password: 'wrong' })).rejects.toThrow(/RST\.srf answered 200, fault wsse:FailedAuthentication/);
    const usr = await c.cmd('USR', 'SSO S t=forged&p=forged AQAAAA==');
    expect((await c.untilClosed()).map((l) => l.line)).toEqual([`911 ${usr}`]);
  });

  it('a ticket issued to Bob does not log Alice in', async () => {
    const rig = await startRig();
    const c = rig.client('msn-official');
    await c.cmd('VER', 'MSNP8 CVR0');
    await c.cmd('CVR', '0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS alice@example.com');
    const i = await c.cmd('USR', 'TWN I alice@example.com');
    const challenge = await c.waitFor('USR', i);
    const bobs = await twnViaNexus(rig.passport, 'bob@example.com', 'bob', challenge.args[3]);
    const s = await c.cmd('USR', `TWN S ${bobs.ticket}`);
    expect((await c.untilClosed()).map((l) => l.line)).toEqual([`911 ${s}`]);
  });

  it('open mode: six new users in mixed dialects and request styles log in at the same time', async () => {
    const rig = await startRig();
    rig.accounts.open = true;
    const plans: Array<[ClientProfileName, number]> = [
      ['msn-official', 7], ['libpurple', 8], ['kopete', 10], ['amsn', 12], ['msnpsharp', 15], ['msn-official', 15],
    ];
    const results = await Promise.all(plans.map(async ([profile, version], i) => {
      const handle = `user${i}@example.org`;
      const c = rig.client(profile);
      const trace = await loginOverGateway(c, rig.passport, { handle, version, password: `pw ${i}, with a comma`, batched: profile === 'msnpsharp' });
      return { handle, ok: trace.ok };
    }));
    for (const { handle, ok } of results) expect(ok.args.slice(1, 3)).toEqual(['OK', handle]);
    expect(new Set(rig.of('session-opened').map((e) => e.sessionId)).size).toBe(plans.length);
    for (const { handle } of results) expect(rig.accounts.has(handle)).toBe(true);
  });
});
