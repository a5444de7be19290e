// Sign-out through the gateway: the client's OUT is relayed and the session ends with
// Session=close; a second login of the same account elsewhere boots the first with `OUT OTH`,
// which the gateway delivers together with Session=close.
import { describe, expect, it } from 'vitest';
import { TestClient } from '../../electron/emulator/test-support/client.ts';
import { online } from '../../electron/emulator/test-support/setup.ts';
import { latin1 } from '../harness/bytes.ts';
import { headerValue } from '../harness/http-client.ts';
import { goOnline, loginOverGateway } from './support/login.ts';
import { onCleanup, startRig } from './support/rig.ts';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

describe('sign-out through the gateway', () => {
  it('MSNP8: OUT is relayed, the answer says Session=close, the contact sees FLN, the old SessionID gets 400', async () => {
    const rig = await startRig({ emulator: { bot: { enabled: false } } });
    const a = rig.client('msn-official');
    await loginOverGateway(a, rig.passport, { handle: ALICE, version: 8 });
    await goOnline(a, 8);
    const b = rig.client('libpurple');
    await loginOverGateway(b, rig.passport, { handle: BOB, version: 8 });
    await goOnline(b, 8);
    await a.waitFor('NLN');

    await a.line('OUT');
    await a.untilClosed();
    const aSession = rig.of('session-opened')[0].sessionId;
    // The OUT went upstream as the client sent it.
    const sent = rig.of('bytes').filter((e) => e.sessionId === aSession && e.direction === 'client').map((e) => latin1(e.bytes));
    expect(sent.at(-1)).toBe('OUT\r\n');
    expect(headerValue(a.responses().at(-1)!, 'X-MSN-Messenger')).toMatch(/^SessionID=\d{9}\.\d{5}; GW-IP=127\.0\.0\.1; Session=close$/);
    expect(rig.of('session-closed').find((e) => e.sessionId === aSession)?.reason).toBe('client-out');
    expect((await a.http.poll()).status).toBe(400);

    expect((await b.waitFor('FLN')).line).toBe(`FLN ${ALICE}`);
    expect(b.sessionClosed).toBe(false);
  });

  it('MSNP8: a second login through the gateway gives the first OUT OTH and Session=close', async () => {
    const rig = await startRig();
    const first = rig.client('msn-official');
    await loginOverGateway(first, rig.passport, { handle: ALICE, version: 8 });
    await goOnline(first, 8);

    const second = rig.client('libpurple');
    await loginOverGateway(second, rig.passport, { handle: ALICE, version: 8 });
    const closing = await first.untilClosed();
    expect(closing.map((l) => l.line)).toEqual(['OUT OTH']);
    expect(headerValue(first.responses().at(-1)!, 'X-MSN-Messenger')).toMatch(/; Session=close$/);
    expect((await first.http.poll()).status).toBe(400);
    const firstSession = rig.of('session-opened')[0].sessionId;
    expect(rig.of('session-closed').find((e) => e.sessionId === firstSession)?.reason).toBe('upstream-closed');

    // The new login is the live one.
    const [chg] = await goOnline(second, 8);
    expect(chg.verb).toBe('CHG');
    expect(second.sessionClosed).toBe(false);
  });

  it('the emulator shutting down sends OUT SSD, which the gateway delivers with Session=close', async () => {
    const rig = await startRig();
    const a = rig.client('libpurple');
    await loginOverGateway(a, rig.passport, { handle: ALICE, version: 12 });
    await goOnline(a, 12);
    await rig.emulator.close();
    expect((await a.untilClosed()).map((l) => l.line)).toEqual(['OUT SSD']);
    expect((await a.http.poll()).status).toBe(400);
  });

  it('MSNP15: a second login on the direct TCP listener boots the gateway session with OUT OTH', async () => {
    const rig = await startRig({ listen: true });
    const viaGateway = rig.client('msn-official');
    await loginOverGateway(viaGateway, rig.passport, { handle: ALICE, version: 15 });
    await goOnline(viaGateway, 15, 'NLN', [BOB]);

    const direct = await TestClient.tcp(rig.tcp!.ns.port, 'NS', 15);
    onCleanup(() => direct.end());
    await online(direct, rig, ALICE, 15);
    const closing = await viaGateway.untilClosed();
    expect(closing.map((l) => l.line)).toEqual(['OUT OTH']);
    expect((await viaGateway.http.poll()).status).toBe(400);
    expect(direct.closed).toBe(false);
  });
});
