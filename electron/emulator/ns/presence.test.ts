import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../test-support/client.ts';
import { login, makeEmulator, online } from '../test-support/setup.ts';
import type { Fixture } from '../test-support/setup.ts';

let fx: Fixture;
afterEach(async () => {
  await fx.emulator.close();
});

const lines = (cmds: { line: string }[]): string[] => cmds.map((c) => c.line);

describe('presence between two users', () => {
  it('MSNP8: ILN on the first CHG (with its TrID), NLN on changes, FLN on logout', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const a = TestClient.inProcess(fx.emulator.connect, 'NS');
    const b = TestClient.inProcess(fx.emulator.connect, 'NS');
    const aOnline = await online(a, fx, 'alice@example.com', 8);
    expect(lines(aOnline)).toEqual(['CHG 6 NLN 0']);
    const bOnline = await online(b, fx, 'bob@example.com', 8);
    expect(lines(bOnline)).toEqual(['CHG 6 NLN 0', 'ILN 6 NLN alice@example.com Alice 0']);
    expect((await a.waitFor('NLN')).line).toBe('NLN NLN bob@example.com Bob 0');
    b.cmd('CHG', 'AWY 268435492');
    expect((await a.waitFor('NLN')).line).toBe('NLN AWY bob@example.com Bob 268435492');
    b.cmd('CHG', 'HDN 0');
    expect((await a.waitFor('FLN')).line).toBe('FLN bob@example.com');
    b.cmd('CHG', 'BSY 0');
    expect((await a.waitFor('NLN')).line).toBe('NLN BSY bob@example.com Bob 0');
    b.line('OUT');
    await b.waitClosed();
    expect((await a.waitFor('FLN')).line).toBe('FLN bob@example.com');
  });

  it('MSNP7 and MSNP12 side by side: each gets its own dialect', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const a = TestClient.inProcess(fx.emulator.connect, 'NS');
    const b = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(a, fx, 'alice@example.com', 7);
    const bOnline = await online(b, fx, 'bob@example.com', 12);
    expect(lines(bOnline)).toContain('ILN 6 NLN alice@example.com Alice 0');
    expect((await a.waitFor('NLN')).line).toBe('NLN NLN bob@example.com Bob');
    // MSNP12 PRP MFN -> the MSNP7 watcher sees the new name.
    b.cmd('PRP', 'MFN Bobby%20B');
    expect((await b.waitFor('PRP')).line).toBe('PRP 7 MFN Bobby%20B');
    expect((await a.waitFor('NLN')).line).toBe('NLN NLN bob@example.com Bobby%20B');
  });

  it('MSNP11: UUX is answered with UUX t 0 and watchers get UBX', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const a = TestClient.inProcess(fx.emulator.connect, 'NS');
    const b = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(a, fx, 'alice@example.com', 11);
    await online(b, fx, 'bob@example.com', 15);
    await a.drain(30);
    const psm = '<Data><PSM>out to lunch é</PSM><CurrentMedia></CurrentMedia></Data>';
    const t = b.cmd('UUX', '', psm);
    const reply = await b.waitFor('UUX', t);
    expect(reply.line).toBe(`UUX ${t} 0`);
    const ubx = await a.waitFor('UBX');
    expect(ubx.line).toBe(`UBX bob@example.com ${Buffer.byteLength(psm)}`);
    expect(new TextDecoder().decode(ubx.payload!)).toBe(psm);
  });

  it('MSNP15: network ids in NLN/FLN; initial mail notification after the first CHG', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const a = TestClient.inProcess(fx.emulator.connect, 'NS');
    const b = TestClient.inProcess(fx.emulator.connect, 'NS');
    const aOnline = await online(a, fx, 'alice@example.com', 15);
    expect(aOnline.map((c) => c.line.split(' ').slice(0, 3).join(' '))).toEqual(['CHG 5 NLN', 'MSG Hotmail Hotmail']);
    await online(b, fx, 'bob@example.com', 8);
    expect((await a.waitFor('NLN')).line).toBe('NLN NLN bob@example.com 1 Bob 0');
    b.line('OUT');
    expect((await a.waitFor('FLN')).line).toBe('FLN bob@example.com 1');
  });

  it('privacy: a contact on our BL sees us offline', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    const a = TestClient.inProcess(fx.emulator.connect, 'NS');
    const b = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(a, fx, 'alice@example.com', 8);
    await online(b, fx, 'bob@example.com', 8);
    await a.drain(30);
    a.cmd('REM', 'AL bob@example.com');
    await a.waitFor('REM');
    const t = a.cmd('ADD', 'BL bob@example.com bob@example.com');
    expect((await a.waitFor('ADD', t)).line).toMatch(new RegExp(`^ADD ${t} BL \\d+ bob@example.com bob@example.com$`));
    expect((await b.waitFor('FLN')).line).toBe('FLN alice@example.com');
  });

  it('the echo bot is online for everyone who lists it, and its moods reach watchers', async () => {
    fx = makeEmulator();
    const a = TestClient.inProcess(fx.emulator.connect, 'NS');
    const aOnline = await online(a, fx, 'alice@example.com', 9);
    expect(lines(aOnline)).toContain('ILN 6 NLN echo@example.com Echo%20Bot 0');
    fx.emulator.bot!.setStatus('AWY');
    expect((await a.waitFor('NLN')).line).toBe('NLN AWY echo@example.com Echo%20Bot 0');
  });

  it('the echo bot changes presence on its own when an interval is set', async () => {
    fx = makeEmulator({ bot: { presenceIntervalMs: 150 } });
    const a = TestClient.inProcess(fx.emulator.connect, 'NS');
    // The bot may already have changed while alice logged in (on a slow machine its first change
    // can come before her CHG): the last of its ILN/NLN lines seen so far gives its status, and
    // the next NLN must be a change from that one.
    const seen = (await online(a, fx, 'alice@example.com', 8)).filter((c) => c.line.includes(' echo@example.com '));
    expect(seen[0]?.line).toMatch(/^ILN \d+ (NLN|AWY|BSY) echo@example.com Echo%20Bot 0$/);
    const before = /^(?:ILN \d+|NLN) (NLN|AWY|BSY) echo@example.com /.exec(seen.at(-1)?.line ?? '')?.[1];
    expect(before, `the bot's last line: ${seen.at(-1)?.line}`).toBeDefined();
    const nln = await a.waitFor('NLN', undefined, 1000);
    const after = /^NLN (NLN|AWY|BSY) echo@example.com Echo%20Bot 0$/.exec(nln.line)?.[1];
    expect(after, nln.line).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('list changes reach the other party: ADD FL -> ADD 0 RL (MSNP8), ADC 0 RL (MSNP11)', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    fx.accounts.create({ handle: 'carol@example.com', password: 'carol', friendlyName: 'Carol' });
    const a = TestClient.inProcess(fx.emulator.connect, 'NS');
    const c = TestClient.inProcess(fx.emulator.connect, 'NS');
    await online(a, fx, 'alice@example.com', 8);
    await login(c, fx, 'carol@example.com', 11);
    const t = a.cmd('ADD', 'FL carol@example.com Carol%20C 0');
    expect((await a.waitFor('ADD', t)).line).toMatch(new RegExp(`^ADD ${t} FL \\d+ carol@example.com Carol%20C 0$`));
    expect((await c.waitFor('ADC')).line).toBe('ADC 0 RL N=alice@example.com F=Alice');
    const r = a.cmd('REM', 'FL carol@example.com');
    expect((await a.waitFor('REM', r)).line).toMatch(new RegExp(`^REM ${r} FL \\d+ carol@example.com$`));
    expect((await c.waitFor('REM')).line).toBe('REM 0 RL alice@example.com');
  });
});
