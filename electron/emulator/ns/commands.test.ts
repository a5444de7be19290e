import { afterEach, describe, expect, it } from 'vitest';
import { challengeAnswer } from '../../../shared/msnp/challenge.ts';
import { TestClient } from '../test-support/client.ts';
import { login, makeEmulator, online } from '../test-support/setup.ts';
import type { Fixture } from '../test-support/setup.ts';

let fx: Fixture;
afterEach(async () => {
  await fx.emulator.close();
});

const ns = () => TestClient.inProcess(fx.emulator.connect, 'NS');

describe('challenges', () => {
  for (const [version, productId] of [[8, 'msmsgs@msnmsgr.com'], [11, 'PROD0090YUAUV{2B'], [15, 'PROD0119GSJUC$18']] as const) {
    it(`MSNP${version}: CHL 0 shortly after the first CHG; a right QRY gets QRY t`, async () => {
      fx = makeEmulator({ challenge: { enabled: true, firstDelayMs: 100 } });
      const c = ns();
      await online(c, fx, 'alice@example.com', version);
      const chl = await c.waitFor('CHL');
      expect(chl.line).toMatch(/^CHL 0 \d{20}$/);
      const answer = challengeAnswer(chl.args[1], version, productId);
      if (!answer.ok) throw new Error(answer.reason);
      const t = c.cmd('QRY', productId, answer.answer);
      expect((await c.next()).line).toBe(`QRY ${t}`);
      expect(c.closed).toBe(false);
    });
  }

  it('a wrong answer gets 540 and a disconnect', async () => {
    fx = makeEmulator({ challenge: { enabled: true, firstDelayMs: 100 } });
    const c = ns();
    await online(c, fx, 'alice@example.com', 9);
    await c.waitFor('CHL');
    const t = c.cmd('QRY', 'msmsgs@msnmsgr.com', '0123456789abcdef0123456789abcdef');
    expect((await c.next()).line).toBe(`540 ${t}`);
    await c.waitClosed();
  });

  it('acceptAnyAnswer lets an unknown product through', async () => {
    fx = makeEmulator({ challenge: { enabled: true, firstDelayMs: 100, acceptAnyAnswer: true } });
    const c = ns();
    await online(c, fx, 'alice@example.com', 9);
    await c.waitFor('CHL');
    const t = c.cmd('QRY', 'PRODUNKNOWN', 'ffffffffffffffffffffffffffffffff');
    expect((await c.next()).line).toBe(`QRY ${t}`);
  });

  it('an unanswered challenge disconnects after timeoutMs', async () => {
    fx = makeEmulator({ challenge: { enabled: true, firstDelayMs: 100, timeoutMs: 40 } });
    const c = ns();
    await online(c, fx, 'alice@example.com', 8);
    await c.waitFor('CHL');
    await c.waitClosed(1000);
  });

  it('MSNP5 has no challenges', async () => {
    fx = makeEmulator({ challenge: { enabled: true, firstDelayMs: 1 } });
    const c = ns();
    await online(c, fx, 'alice@example.com', 5);
    expect((await c.drain(60)).some((l) => l.verb === 'CHL')).toBe(false);
  });
});

describe('SYN formats', () => {
  it('MSNP7: TrIDs and list versions on every line, groups in LSG and FL', async () => {
    fx = makeEmulator();
    const c = ns();
    await login(c, fx, 'alice@example.com', 7);
    c.cmd('SYN', '0');
    const lines = (await c.drain()).map((l) => l.line);
    const ver = fx.accounts.get('alice@example.com')!.listVersion;
    expect(lines).toEqual([
      `SYN 6 ${ver}`, `GTC 6 ${ver} A`, `BLP 6 ${ver} AL`,
      `LSG 6 ${ver} 1 1 0 Other%20Contacts 0`,
      `LST 6 FL ${ver} 1 2 bob@example.com Bob 0`, `LST 6 FL ${ver} 2 2 echo@example.com Echo%20Bot 0`,
      `LST 6 AL ${ver} 1 2 bob@example.com Bob`, `LST 6 AL ${ver} 2 2 echo@example.com Echo%20Bot`,
      `LST 6 BL ${ver} 0 0`,
      `LST 6 RL ${ver} 1 2 bob@example.com Bob`, `LST 6 RL ${ver} 2 2 echo@example.com Echo%20Bot`,
    ]);
    // Up to date: the version alone.
    const t = c.cmd('SYN', String(ver));
    expect((await c.drain()).map((l) => l.line)).toEqual([`SYN ${t} ${ver}`]);
  });

  it('MSNP8: SYN t ver ncontacts ngroups, then TrID-less GTC/BLP/LSG/LST with list bits', async () => {
    fx = makeEmulator();
    const c = ns();
    await login(c, fx, 'alice@example.com', 8);
    c.cmd('SYN', '0');
    const lines = (await c.drain()).map((l) => l.line);
    const ver = fx.accounts.get('alice@example.com')!.listVersion;
    expect(lines).toEqual([
      `SYN 5 ${ver} 2 1`, 'GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0',
      'LST bob@example.com Bob 11 0', 'LST echo@example.com Echo%20Bot 11 0',
    ]);
  });

  it('MSNP12: timestamps, PRP MFN, LSG name guid, LST N= F= C= lists 1 [groups]', async () => {
    fx = makeEmulator();
    const c = ns();
    await login(c, fx, 'alice@example.com', 12);
    const g = c.cmd('ADG', 'Friends');
    const adg = await c.waitFor('ADG', g);
    expect(adg.line).toMatch(new RegExp(`^ADG ${g} Friends [0-9a-f-]{36}$`));
    const guid = adg.args[2];
    const bob = fx.accounts.get('alice@example.com')!.contacts.find((x) => x.handle === 'bob@example.com')!;
    const a = c.cmd('ADC', `FL C=${bob.contactId} ${guid}`);
    expect((await c.next()).line).toBe(`ADC ${a} FL C=${bob.contactId} ${guid}`);
    const syn = c.cmd('SYN', '2005-04-23T18:57:44.8130000-07:00 2005-04-23T18:57:44.8130000-07:00');
    const lines = (await c.drain()).map((l) => l.line);
    expect(lines[0]).toMatch(new RegExp(`^SYN ${syn} \\S+ \\S+ 2 1$`));
    expect(lines.slice(1, 5)).toEqual(['GTC A', 'BLP AL', 'PRP MFN Alice', `LSG Friends ${guid}`]);
    expect(lines[5]).toBe(`LST N=bob@example.com F=Bob C=${bob.contactId} 11 1 ${guid}`);
    expect(lines[6]).toMatch(/^LST N=echo@example.com F=Echo%20Bot C=\S+ 11 1$/);
  });
});

describe('MSNP13+ commands', () => {
  it('ADL puts contacts on lists and answers OK; FQY echoes with network ids; bad XML -> 241', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    fx.accounts.create({ handle: 'carol@example.com', password: 'carol', friendlyName: 'Carol' });
    const c = ns();
    await login(c, fx, 'alice@example.com', 15);
    const t = c.cmd('ADL', '', '<ml l="1"><d n="example.com"><c n="carol" l="3" t="1" /></d></ml>');
    expect((await c.next()).line).toBe(`ADL ${t} OK`);
    const carol = fx.accounts.get('alice@example.com')!.contacts.find((x) => x.handle === 'carol@example.com');
    expect(carol?.lists.sort()).toEqual(['AL', 'FL']);
    expect(fx.accounts.get('carol@example.com')!.contacts[0].lists).toEqual(['RL']);
    const q = c.cmd('FQY', '', '<ml><d n="example.com"><c n="carol" /></d></ml>');
    const fqy = await c.next();
    expect(new TextDecoder().decode(fqy.payload!)).toBe('<ml><d n="example.com"><c n="carol" t="1" /></d></ml>');
    expect(fqy.trid).toBe(q);
    const bad = c.cmd('ADL', '', '<ml><d n="example.com"><c n=carol></d>');
    expect((await c.next()).line).toBe(`241 ${bad}`);
    expect(c.closed).toBe(false);
  });

  it('ADL by a contact pushes ADL 0 (RL) to the other MSNP13+ party; UUN arrives as UBN', async () => {
    fx = makeEmulator({ bot: { enabled: false } });
    fx.accounts.create({ handle: 'carol@example.com', password: 'carol', friendlyName: 'Carol' });
    const a = ns();
    const carol = ns();
    await online(a, fx, 'alice@example.com', 15);
    await online(carol, fx, 'carol@example.com', 15);
    a.cmd('ADL', '', '<ml><d n="example.com"><c n="carol" l="1" t="1" /></d></ml>');
    const push = await carol.waitFor('ADL');
    expect(push.trid).toBe(0);
    expect(new TextDecoder().decode(push.payload!)).toBe('<ml><d n="example.com"><c n="alice" t="1" l="8" f="Alice" /></d></ml>');
    const u = a.cmd('UUN', 'carol@example.com 5', '<State>1</State>');
    expect((await a.waitFor('UUN', u)).line).toBe(`UUN ${u} OK`);
    const ubn = await carol.waitFor('UBN');
    expect(ubn.line).toBe('UBN alice@example.com 5 16');
  });
});

describe('error paths', () => {
  it('a command before login gets 302; before VER the connection is closed', async () => {
    fx = makeEmulator();
    const c = ns();
    c.cmd('VER', 'MSNP8 CVR0');
    await c.next();
    const t = c.cmd('SYN', '0');
    expect((await c.next()).line).toBe(`302 ${t}`);
    const d = ns();
    d.cmd('CHG', 'NLN 0');
    await d.waitClosed();
  });

  it('unknown command -> 200; command of another dialect -> 502; bad argument -> 201; USR twice -> 207', async () => {
    fx = makeEmulator();
    const c = ns();
    await online(c, fx, 'alice@example.com', 8);
    const u = c.cmd('ZZZ', '1 2');
    expect((await c.next()).line).toBe(`200 ${u}`);
    const adc = c.cmd('ADC', 'FL N=bob@example.com');
    expect((await c.next()).line).toBe(`502 ${adc}`);
    const chg = c.cmd('CHG', 'FLN 0');
    expect((await c.next()).line).toBe(`201 ${chg}`);
    const add = c.cmd('ADD', 'FL nobody@example.com nobody');
    expect((await c.next()).line).toBe(`205 ${add}`);
    const dup = c.cmd('ADD', 'FL bob@example.com Bob');
    expect((await c.next()).line).toBe(`215 ${dup}`);
    const usr = c.cmd('USR', 'TWN I alice@example.com');
    expect((await c.next()).line).toBe(`207 ${usr}`);
    expect(c.closed).toBe(false);
  });

  it('a garbled TrID, a malformed line and a client MSG to the NS each end the connection', async () => {
    fx = makeEmulator();
    const a = ns();
    await online(a, fx, 'alice@example.com', 8);
    a.raw('CHG x1 NLN 0\r\n');
    await a.waitClosed();
    const b = ns();
    await online(b, fx, 'bob@example.com', 8);
    b.raw('hello there\r\n');
    await b.waitClosed();
    const c = ns();
    await online(c, fx, 'alice@example.com', 8);
    c.cmd('MSG', 'N', 'hi');
    await c.waitClosed();
  });

  it('limits: a line over maxLineBytes and a payload over maxPayloadBytes end the connection', async () => {
    fx = makeEmulator({ maxLineBytes: 256, maxPayloadBytes: 1024 });
    const a = ns();
    await online(a, fx, 'alice@example.com', 11);
    a.raw(`PRP 9 MFN ${'x'.repeat(400)}\r\n`);
    await a.waitClosed();
    const b = ns();
    await online(b, fx, 'bob@example.com', 11);
    b.cmd('UUX', '', 'x'.repeat(2000));
    await b.waitClosed();
  });

  it('connection limit: connect throws once maxConnections are open', async () => {
    fx = makeEmulator({ maxConnections: 2 });
    ns();
    ns();
    expect(() => ns()).toThrow(/2 connections/);
  });

  it('PNG -> QNG (MSNP8) and QNG 50 (MSNP9+); OUT closes', async () => {
    fx = makeEmulator();
    const a = ns();
    await login(a, fx, 'alice@example.com', 8);
    a.line('PNG');
    expect((await a.next()).line).toBe('QNG');
    const b = ns();
    await login(b, fx, 'bob@example.com', 9);
    b.line('PNG');
    expect((await b.next()).line).toBe('QNG 50');
    b.line('OUT');
    await b.waitClosed();
  });

  it('close() sends OUT SSD to everyone logged in', async () => {
    fx = makeEmulator();
    const a = ns();
    await login(a, fx, 'alice@example.com', 8);
    await fx.emulator.close();
    expect((await a.next()).line).toBe('OUT SSD');
    await a.waitClosed();
  });
});
