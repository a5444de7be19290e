import { afterEach, describe, expect, it } from 'vitest';
import { TestClient, show } from '../test-support/client.ts';
import { login, makeEmulator } from '../test-support/setup.ts';
import type { Fixture } from '../test-support/setup.ts';

let fx: Fixture;
let port = 0;
afterEach(async () => {
  await fx.emulator.close();
});

async function tcpClient(): Promise<TestClient> {
  const addr = await fx.emulator.listen({ nsPort: 0, sbPort: 0 });
  port = addr.ns.port;
  return TestClient.tcp(port, 'NS');
}

describe('NS login per version', () => {
  it('MSNP2: MD5, USR OK with the friendly name only, no profile', async () => {
    fx = makeEmulator();
    const c = await tcpClient();
    const { lines, ok } = await login(c, fx, 'alice@example.com', 2);
    expect(lines[0].line).toBe('VER 1 MSNP2');
    expect(lines[2].line).toBe('INF 3 MD5');
    expect(lines[3].line).toMatch(/^USR 4 MD5 S \d+\.\d+$/);
    expect(ok.line).toBe('USR 5 OK alice@example.com Alice');
    expect(lines.some((l) => l.verb === 'MSG')).toBe(false);
  });

  it('MSNP5: MD5, profile MSG after USR OK', async () => {
    fx = makeEmulator();
    const c = await tcpClient();
    const { lines, ok } = await login(c, fx, 'alice@example.com', 5);
    expect(ok.line).toBe('USR 5 OK alice@example.com Alice');
    const msg = lines.at(-1)!;
    expect(msg.line).toMatch(/^MSG Hotmail Hotmail \d+$/);
    expect(show(msg)).toContain('Content-Type: text/x-msmsgsprofile; charset=UTF-8');
  });

  it('MSNP7: MD5 with the verified bit, as in the Escargot transcript', async () => {
    fx = makeEmulator();
    const c = await tcpClient();
    const { ok } = await login(c, fx, 'bob@example.com', 7);
    expect(ok.line).toBe('USR 5 OK bob@example.com Bob 1');
  });

  it('MSNP7: a wrong MD5 hash gets 911 and a disconnect', async () => {
    fx = makeEmulator();
    const c = await tcpClient();
    c.cmd('VER', 'MSNP7 CVR0');
    await c.next();
    c.cmd('USR', 'MD5 I alice@example.com');
    await c.next();
    const t = c.cmd('USR', 'MD5 S 00000000000000000000000000000000');
    expect((await c.next()).line).toBe(`911 ${t}`);
    await c.waitClosed();
  });

  for (const version of [8, 9]) {
    it(`MSNP${version}: TWN with friendly, verified and restricted bits`, async () => {
      fx = makeEmulator();
      const c = await tcpClient();
      const { lines, ok } = await login(c, fx, 'alice@example.com', version);
      expect(lines[2].line).toMatch(/^USR 3 TWN S lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=\d+,kpp=1,kv=5,ver=2\.1\.0173\.1,tpf=[0-9a-f]{32}$/);
      expect(ok.line).toBe('USR 4 OK alice@example.com Alice 1 0');
      expect(lines.at(-1)!.line).toMatch(/^MSG Hotmail Hotmail \d+$/);
    });
  }

  for (const version of [10, 11, 12]) {
    it(`MSNP${version}: TWN, friendly name moved out of USR OK${version >= 11 ? ', SBS 0 null' : ''}`, async () => {
      fx = makeEmulator();
      const c = TestClient.inProcess(fx.emulator.connect, 'NS');
      const { lines, ok } = await login(c, fx, 'bob@example.com', version);
      expect(ok.line).toBe('USR 4 OK bob@example.com 1 0');
      const after = lines.slice(lines.indexOf(ok) + 1).map((l) => l.line.split(' ').slice(0, 2).join(' '));
      expect(after).toEqual(version >= 11 ? ['SBS 0', 'MSG Hotmail'] : ['MSG Hotmail']);
    });
  }

  it('MSNP15: SSO with GCF 0 before the MBI challenge, then USR OK, SBS, profile', async () => {
    fx = makeEmulator();
    const c = await tcpClient();
    const { lines, ok } = await login(c, fx, 'alice@example.com', 15);
    const verbs = lines.map((l) => l.verb);
    expect(verbs).toEqual(['VER', 'CVR', 'GCF', 'USR', 'USR', 'SBS', 'MSG']);
    expect(lines[2].line).toMatch(/^GCF 0 \d+$/);
    expect(lines[3].line).toMatch(/^USR 3 SSO S MBI_KEY_OLD [A-Za-z0-9+/]{64}$/);
    expect(ok.line).toBe('USR 4 OK alice@example.com 1 0');
    expect(lines[5].line).toBe('SBS 0 null');
  });

  it('MSNP18: SSO with a machine GUID, UBX 1:handle 0 after SBS', async () => {
    fx = makeEmulator();
    const c = TestClient.inProcess(fx.emulator.connect, 'NS');
    const { lines } = await login(c, fx, 'alice@example.com', 18);
    expect(lines.map((l) => l.line.split(' ').slice(0, 3).join(' '))).toContain('UBX 1:alice@example.com 0');
  });

  it('a ticket issued to someone else is refused (911, disconnect)', async () => {
    fx = makeEmulator();
    const c = TestClient.inProcess(fx.emulator.connect, 'NS');
    c.cmd('VER', 'MSNP8 CVR0');
    await c.next();
    c.cmd('USR', 'TWN I alice@example.com');
    await c.next();
    const t = c.cmd('USR', `TWN S ${fx.tickets.issue('bob@example.com').ticket}`);
    expect((await c.next()).line).toBe(`911 ${t}`);
    await c.waitClosed();
  });

  it('no common version: VER t 0 and a disconnect', async () => {
    fx = makeEmulator();
    const c = await tcpClient();
    c.cmd('VER', 'MSNP21 MSNP20 CVR0');
    expect((await c.next()).line).toBe('VER 1 0');
    await c.waitClosed();
  });

  it('picks the highest common version', async () => {
    fx = makeEmulator({ maxVersion: 12 });
    const c = TestClient.inProcess(fx.emulator.connect, 'NS');
    c.cmd('VER', 'MSNP15 MSNP12 MSNP11 CVR0');
    expect((await c.next()).line).toBe('VER 1 MSNP12');
  });

  it('a second login of the same handle boots the first with OUT OTH', async () => {
    fx = makeEmulator();
    const first = TestClient.inProcess(fx.emulator.connect, 'NS');
    await login(first, fx, 'alice@example.com', 8);
    const second = TestClient.inProcess(fx.emulator.connect, 'NS');
    await login(second, fx, 'alice@example.com', 8);
    expect((await first.waitFor('OUT')).line).toBe('OUT OTH');
    await first.waitClosed();
    expect(second.closed).toBe(false);
    expect(fx.emulator.hub.session('alice@example.com')).not.toBeNull();
  });
});
