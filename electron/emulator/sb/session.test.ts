import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../test-support/client.ts';
import { login, makeEmulator, online } from '../test-support/setup.ts';
import type { Fixture } from '../test-support/setup.ts';

let fx: Fixture;
afterEach(async () => {
  await fx.emulator.close();
});

const text = (s: string) => new TextEncoder().encode(s);
const message = (body: string) => `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\n${body}`;
const typing = 'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: alice@example.com\r\n\r\n\r\n';

/** XFR on the NS, then USR on a new SB connection; returns the SB client. */
async function openSwitchboard(ns: TestClient, handle: string, sb: () => Promise<TestClient>): Promise<TestClient> {
  const t = ns.cmd('XFR', 'SB');
  const xfr = await ns.waitFor('XFR', t);
  const [, , address, cki, cookie] = xfr.args;
  expect(cki).toBe('CKI');
  expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
  const client = await sb();
  const u = client.cmd('USR', `${handle} ${cookie}`);
  expect((await client.next()).line).toMatch(new RegExp(`^USR ${u} OK ${handle} \\S+$`));
  return client;
}

describe('switchboard', () => {
  it('MSNP8 chat over TCP: CAL/RNG/ANS/IRO/JOI, MSG relay with ACK/NAK per mode, BYE', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const addr = await fx.emulator.listen({ nsPort: 0, sbPort: 0 });
    const aNs = await TestClient.tcp(addr.ns.port, 'NS');
    const bNs = await TestClient.tcp(addr.ns.port, 'NS');
    await online(aNs, fx, 'alice@example.com', 8);
    await online(bNs, fx, 'bob@example.com', 8);
    const aSb = await openSwitchboard(aNs, 'alice@example.com', () => TestClient.tcp(addr.sb.port, 'SB'));
    expect(fx.emulator.hub.sbAddress()).toBe(`127.0.0.1:${addr.sb.port}`);

    const cal = aSb.cmd('CAL', 'bob@example.com');
    const ringing = await aSb.next();
    expect(ringing.line).toMatch(new RegExp(`^CAL ${cal} RINGING \\d+$`));
    const sessionId = ringing.args[2];
    const rng = await bNs.waitFor('RNG');
    expect(rng.line).toMatch(new RegExp(`^RNG ${sessionId} 127\\.0\\.0\\.1:${addr.sb.port} CKI \\S+ alice@example.com Alice$`));

    const bSb = await TestClient.tcp(addr.sb.port, 'SB');
    const ans = bSb.cmd('ANS', `bob@example.com ${rng.args[3]} ${sessionId}`);
    expect((await bSb.next()).line).toBe(`IRO ${ans} 1 1 alice@example.com Alice`);
    expect((await bSb.next()).line).toBe(`ANS ${ans} OK`);
    expect((await aSb.next()).line).toBe('JOI bob@example.com Bob');

    // A: delivered -> ACK; the body keeps its bytes (multi-byte UTF-8 counted in bytes).
    const hello = message('Hello Bob — ünïcödé ✓');
    const m1 = aSb.cmd('MSG', 'A', hello);
    const got = await bSb.next();
    expect(got.line).toBe(`MSG alice@example.com Alice ${text(hello).length}`);
    expect(new TextDecoder().decode(got.payload!)).toBe(hello);
    expect((await aSb.next()).line).toBe(`ACK ${m1}`);
    // U: relayed, never acknowledged. N: no reply on success.
    bSb.cmd('MSG', 'U', typing);
    bSb.cmd('MSG', 'N', message('Hi Alice!'));
    expect((await aSb.next()).line).toBe(`MSG bob@example.com Bob ${text(typing).length}`);
    expect((await aSb.next()).line).toBe(`MSG bob@example.com Bob ${text(message('Hi Alice!')).length}`);
    expect(await bSb.drain(50)).toEqual([]);
    // D (MSNP9+ only) is a syntax error in MSNP8.
    const d = aSb.cmd('MSG', 'D', hello);
    expect((await aSb.next()).line).toBe(`200 ${d}`);

    bSb.line('OUT');
    await bSb.waitClosed();
    expect((await aSb.next()).line).toBe('BYE bob@example.com');
    // Alone: A gets NAK, N gets NAK, U gets nothing.
    const m2 = aSb.cmd('MSG', 'A', hello);
    expect((await aSb.next()).line).toBe(`NAK ${m2}`);
    const m3 = aSb.cmd('MSG', 'N', hello);
    expect((await aSb.next()).line).toBe(`NAK ${m3}`);
    aSb.cmd('MSG', 'U', typing);
    expect(await aSb.drain(50)).toEqual([]);
  });

  it('MSNP12 IRO/JOI carry capabilities; MSNP9 D mode is acknowledged', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const aNs = TestClient.inProcess(fx.emulator.connect, 'NS');
    const bNs = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(aNs, fx, 'alice@example.com', 12);
    await online(bNs, fx, 'bob@example.com', 12);
    const aSb = await openSwitchboard(aNs, 'alice@example.com', async () => TestClient.inProcess(fx.emulator.connect, 'SB'));
    aSb.cmd('CAL', 'bob@example.com');
    const sessionId = (await aSb.next()).args[2];
    const rng = await bNs.waitFor('RNG');
    const bSb = TestClient.inProcess(fx.emulator.connect, 'SB');
    const ans = bSb.cmd('ANS', `bob@example.com ${rng.args[3]} ${sessionId}`);
    expect((await bSb.next()).line).toBe(`IRO ${ans} 1 1 alice@example.com Alice 0`);
    expect((await bSb.next()).line).toBe(`ANS ${ans} OK`);
    expect((await aSb.next()).line).toBe('JOI bob@example.com Bob 0');
    const m = aSb.cmd('MSG', 'D', new Uint8Array([0, 13, 10, 255, 1]));
    expect(Array.from((await bSb.next()).payload!)).toEqual([0, 13, 10, 255, 1]);
    expect((await aSb.next()).line).toBe(`ACK ${m}`);
  });

  it('CAL errors: 217 for an offline contact, 208 for a malformed handle, 215 for someone already there', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const aNs = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(aNs, fx, 'alice@example.com', 8);
    const aSb = await openSwitchboard(aNs, 'alice@example.com', async () => TestClient.inProcess(fx.emulator.connect, 'SB'));
    const off = aSb.cmd('CAL', 'bob@example.com');
    expect((await aSb.next()).line).toBe(`217 ${off}`);
    const bad = aSb.cmd('CAL', '@@a');
    expect((await aSb.next()).line).toBe(`208 ${bad}`);
    const self = aSb.cmd('CAL', 'alice@example.com');
    expect((await aSb.next()).line).toBe(`215 ${self}`);
  });

  it('XFR before the first CHG is refused with 913', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const ns = TestClient.inProcess(fx.emulator.connect, 'NS');
    await login(ns, fx, 'alice@example.com', 8);
    const t = ns.cmd('XFR', 'SB');
    expect((await ns.next()).line).toBe(`913 ${t}`);
  });

  it('a bad or reused cookie gets 911 and a disconnect', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const ns = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(ns, fx, 'alice@example.com', 8);
    const xfr = await ns.waitFor('XFR', ns.cmd('XFR', 'SB'));
    const good = TestClient.inProcess(fx.emulator.connect, 'SB');
    good.cmd('USR', `alice@example.com ${xfr.args[4]}`);
    await good.next();
    const reuse = TestClient.inProcess(fx.emulator.connect, 'SB');
    const t = reuse.cmd('USR', `alice@example.com ${xfr.args[4]}`);
    expect((await reuse.next()).line).toBe(`911 ${t}`);
    await reuse.waitClosed();
    const other = TestClient.inProcess(fx.emulator.connect, 'SB');
    const u = other.cmd('USR', 'bob@example.com 1.2.3');
    expect((await other.next()).line).toBe(`911 ${u}`);
    await other.waitClosed();
  });

  it('the echo bot joins on CAL and echoes plain text (not typing notices)', async () => {
    fx = makeEmulator();
    const ns = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(ns, fx, 'alice@example.com', 9);
    const sb = await openSwitchboard(ns, 'alice@example.com', async () => TestClient.inProcess(fx.emulator.connect, 'SB'));
    const cal = sb.cmd('CAL', 'echo@example.com');
    expect((await sb.next()).line).toMatch(new RegExp(`^CAL ${cal} RINGING \\d+$`));
    expect((await sb.next()).line).toBe('JOI echo@example.com Echo%20Bot');
    sb.cmd('MSG', 'U', typing);
    const body = message('echo me ✓');
    const m = sb.cmd('MSG', 'A', body);
    expect((await sb.next()).line).toBe(`ACK ${m}`);
    const echo = await sb.next();
    expect(echo.line).toBe(`MSG echo@example.com Echo%20Bot ${text(body).length}`);
    expect(new TextDecoder().decode(echo.payload!)).toBe(body);
    expect(await sb.drain(50)).toEqual([]);
    sb.line('OUT');
    await sb.waitClosed();
    expect(fx.emulator.hub.roomCount).toBe(0);
  });

  it('MSNP18: handle;{guid} accepted in USR and echoed back', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const ns = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(ns, fx, 'alice@example.com', 18);
    const xfr = await ns.waitFor('XFR', ns.cmd('XFR', 'SB'));
    expect(xfr.args.slice(5)).toEqual(['U', 'messenger.msn.com', '1']);
    const sb = TestClient.inProcess(fx.emulator.connect, 'SB');
    const who = 'alice@example.com;{f52973b6-c926-4bad-9ba8-7c1e840e4ab0}';
    const u = sb.cmd('USR', `${who} ${xfr.args[4]}`);
    expect((await sb.next()).line).toBe(`USR ${u} OK ${who} Alice`);
  });

  it('commands before USR/ANS get 302; unknown commands 200', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const sb = TestClient.inProcess(fx.emulator.connect, 'SB');
    const c = sb.cmd('CAL', 'bob@example.com');
    expect((await sb.next()).line).toBe(`302 ${c}`);
    const x = sb.cmd('ZZZ', 'what');
    expect((await sb.next()).line).toBe(`200 ${x}`);
  });
});
