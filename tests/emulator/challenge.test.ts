// CHL/QRY through the gateway: the emulator challenges shortly after the first CHG; a right answer
// keeps the session going, a wrong one gets 540, the gateway then delivers Session=close, and the
// old SessionID gets 400.
import { describe, expect, it } from 'vitest';
import { qryChallengeAnswer } from '../../shared/msnp/challenge.ts';
import type { ClientProfileName } from '../harness/legacy-clients.ts';
import { requestSwitchboard } from './support/chat.ts';
import type { GwClient } from './support/gw-client.ts';
import { goOnline, loginOverGateway, md5Hex } from './support/login.ts';
import { startRig, type Rig } from './support/rig.ts';

const CHALLENGE = { enabled: true, firstDelayMs: 20, intervalMs: 0 };

interface Dialect {
  version: number;
  productId: string;
  answer(challenge: string): string;
}

// Answers computed on the client side: basic MD5 with node:crypto, the MSNP11+ hash with the shared
// implementation; both are first checked against vectors from the reference (section 3.4).
const DIALECTS: Dialect[] = [
  { version: 8, productId: 'msmsgs@msnmsgr.com', answer: (c) => md5Hex(c + 'Q1P7W2E4J9R8U3S5') },
  { version: 11, productId: 'PROD0090YUAUV{2B', answer: (c) => qryChallengeAnswer(c, 'PROD0090YUAUV{2B', 'YMM8C_H7KCQ2S_KL') },
  { version: 15, productId: 'PROD0113H11T8$X_', answer: (c) => qryChallengeAnswer(c, 'PROD0113H11T8$X_', 'RG@XY*28Q5QHS%Q5') },
];

const VECTORS: Array<[number, string, string]> = [
  [8, '22299241447072743325', '20dba7e6e9817826b9cd5240cc8add99'],
  [11, '22210219642164014968', '85ecb0db8f32113df79ce0892b9a102c'],
  [15, '237191752526424888127371168', '65b6b623c649c25629af048d34066040'],
];

async function signedIn(rig: Rig, profile: ClientProfileName, version: number): Promise<{ c: GwClient; chl: string }> {
  const c = rig.client(profile);
  await loginOverGateway(c, rig.passport, { handle: 'alice@example.com', version });
  await goOnline(c, version, 'NLN', ['bob@example.com']);
  const chl = await c.waitFor('CHL', 0);
  expect(chl.args[1]).toMatch(/^\d{20,27}$/);
  return { c, chl: chl.args[1] };
}

describe('CHL/QRY through the gateway', () => {
  it('the client-side answers match the reference vectors', () => {
    for (const [version, challenge, expected] of VECTORS) {
      expect(DIALECTS.find((d) => d.version === version)!.answer(challenge)).toBe(expected);
    }
  });

  for (const d of DIALECTS) {
    it(`MSNP${d.version}: the right answer gets QRY and the session continues`, async () => {
      const rig = await startRig({ emulator: { challenge: CHALLENGE } });
      const { c, chl } = await signedIn(rig, 'msn-official', d.version);
      const qry = await c.cmd('QRY', d.productId, d.answer(chl));
      expect((await c.waitFor('QRY', qry)).line).toBe(`QRY ${qry}`);
      // Still signed in: the NS serves a switchboard request.
      const { cookie } = await requestSwitchboard(c);
      expect(cookie.length).toBeGreaterThan(0);
      expect(c.sessionClosed).toBe(false);
    });
  }

  it('MSNP8 (libpurple style): a wrong answer gets 540, then Session=close, then 400 for the old SessionID', async () => {
    const rig = await startRig({ emulator: { challenge: CHALLENGE } });
    const { c, chl } = await signedIn(rig, 'libpurple', 8);
    const wrong = md5Hex(chl + 'not the key');
    const qry = await c.cmd('QRY', 'msmsgs@msnmsgr.com', wrong);
    const closing = await c.untilClosed();
    expect(closing.map((l) => l.line)).toEqual([`540 ${qry}`]);
    const last = c.responses().at(-1)!;
    expect(last.headers.find(([n]) => n === 'X-MSN-Messenger')?.[1]).toMatch(/; Session=close$/);
    // The session is gone: the next request with the last SessionID is refused.
    const after = await c.http.poll();
    expect(after.status).toBe(400);
    expect(rig.of('session-closed').map((e) => e.reason)).toEqual(['upstream-closed']);
  });

  it('MSNP11: an upper-case answer is wrong too (servers compare lower-case hex)', async () => {
    const rig = await startRig({ emulator: { challenge: CHALLENGE } });
    const { c, chl } = await signedIn(rig, 'msn-official', 11);
    const qry = await c.cmd('QRY', 'PROD0090YUAUV{2B', qryChallengeAnswer(chl, 'PROD0090YUAUV{2B', 'YMM8C_H7KCQ2S_KL').toUpperCase());
    expect((await c.untilClosed()).map((l) => l.line)).toEqual([`540 ${qry}`]);
    expect((await c.http.poll()).status).toBe(400);
  });
});
