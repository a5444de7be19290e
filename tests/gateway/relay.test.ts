// Where sessions are relayed: never an open relay (403 for arbitrary IP=), switchboard opens
// mapped to the address an NS announced (XFR / RNG, cookie first), and a clear bind error.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import type { GatewayBindError } from '../../electron/gateway/types.ts';
import { latin1 } from '../harness/bytes.ts';
import { HttpConnection } from '../harness/http-client.ts';
import { startScriptedUpstream } from '../harness/scripted-upstream.ts';
import { onCleanup, rawRequest, startRig } from './setup.ts';

const VER = { expect: 'VER 1 MSNP8 CVR0\r\n', reply: 'VER 1 MSNP8\r\n' } as const;

async function connect(port: number): Promise<HttpConnection> {
  const c = await HttpConnection.connect(port);
  onCleanup(() => c.close());
  return c;
}

describe('open-relay refusal', () => {
  it('passthrough refuses an arbitrary IP= with 403 and a relay-refused notice naming it', async () => {
    const target = await startScriptedUpstream({ echo: true });
    onCleanup(() => target.close());
    const rig = await startRig({}, { upstream: { kind: 'passthrough', defaultPort: target.port } });
    const c = await connect(rig.port);
    for (const ip of ['10.1.2.3', '127.0.0.1', 'evil.example.com']) {
      const res = await c.send(rawRequest(`/gateway/gateway.dll?Action=open&Server=NS&IP=${ip}`, 'VER 1 MSNP8 CVR0\r\n'));
      expect(res.status).toBe(403);
      expect(res.body.length).toBe(0);
      const notice = rig.of('notice').filter((n) => n.code === 'relay-refused').at(-1);
      expect(notice?.message).toContain(ip);
    }
    expect(target.connections).toHaveLength(0);
    expect(rig.of('session-opened')).toHaveLength(0);
  });

  it('passthrough connects to an allowlisted IP= on defaultPort', async () => {
    const target = await startScriptedUpstream({ script: [VER] });
    onCleanup(() => target.close());
    const rig = await startRig({}, { upstream: { kind: 'passthrough', defaultPort: target.port }, allowlist: [`127.0.0.1:${target.port}`] });
    const c = await connect(rig.port);
    const res = await c.send(rawRequest('/gateway/gateway.dll?Action=open&Server=NS&IP=127.0.0.1', 'VER 1 MSNP8 CVR0\r\n'));
    expect(res.status).toBe(200);
    expect(latin1(res.body)).toBe('VER 1 MSNP8\r\n');
    expect(latin1((await target.connection(0)).receivedBytes())).toBe('VER 1 MSNP8 CVR0\r\n');
  });

  it('a tcp upstream refuses an SB open to a host no NS announced', async () => {
    const rig = await startRig({ echo: true });
    const c = await connect(rig.port);
    const res = await c.send(rawRequest('/gateway/gateway.dll?Action=open&Server=SB&IP=10.9.9.9', 'USR 1 a@b.c 1.2.3\r\n'));
    expect(res.status).toBe(403);
    expect(rig.of('notice').some((n) => n.code === 'relay-refused' && n.message.includes('10.9.9.9'))).toBe(true);
  });
});

describe('switchboard address learning', () => {
  it('maps an SB open (IP= host only) to the port announced by XFR, and by cookie when RNG named another', async () => {
    const sbA = await startScriptedUpstream({ script: [{ expect: 'USR 1 alice@example.com ccc63b7e12e3084cc7b7\r\n', reply: 'USR 1 OK alice@example.com alice@example.com\r\n' }] });
    const sbB = await startScriptedUpstream({ script: [{ expect: 'ANS 1 bob@example.com 0c10fad8234557405b3f d9f2e921c237d30174d0c9dbe5207a2\r\n', reply: 'ANS 1 OK\r\n' }] });
    onCleanup(() => sbA.close());
    onCleanup(() => sbB.close());
    const rig = await startRig({
      script: [
        VER,
        { expect: 'XFR 9 SB\r\n', reply: `XFR 9 SB 127.0.0.1:${sbA.port} CKI ccc63b7e12e3084cc7b7\r\n` },
        { expect: 'CHG 10 NLN 0\r\n', reply: ['CHG 10 NLN 0\r\n', `RNG d9f2e921c237d30174d0c9dbe5207a2 127.0.0.1:${sbB.port} CKI 0c10fad8234557405b3f alice@example.com alice@example.com\r\n`] },
      ],
    });
    const ns = rig.client('libpurple', { ip: '127.0.0.1' });
    await ns.open('VER 1 MSNP8 CVR0\r\n');
    await ns.send('XFR 9 SB\r\n');
    await ns.pollUntil(`127.0.0.1:${sbA.port}`);
    await ns.send('CHG 10 NLN 0\r\n');
    await ns.pollUntil(`127.0.0.1:${sbB.port}`);

    // libpurple sends the SB host without its port, as the real client does.
    const a = rig.client('libpurple', { server: 'SB', ip: '127.0.0.1' });
    const [resA] = await a.open('USR 1 alice@example.com ccc63b7e12e3084cc7b7\r\n');
    expect(resA.status).toBe(200);
    await a.pollUntil('USR 1 OK');
    expect(latin1((await sbA.connection(0)).receivedBytes())).toBe('USR 1 alice@example.com ccc63b7e12e3084cc7b7\r\n');

    const b = rig.client('msn-official', { server: 'SB', ip: '127.0.0.1' });
    const [resB] = await b.open('ANS 1 bob@example.com 0c10fad8234557405b3f d9f2e921c237d30174d0c9dbe5207a2\r\n');
    expect(resB.status).toBe(200);
    await b.pollUntil('ANS 1 OK');
    expect(latin1((await sbB.connection(0)).receivedBytes())).toBe('ANS 1 bob@example.com 0c10fad8234557405b3f d9f2e921c237d30174d0c9dbe5207a2\r\n');
    expect(sbA.connections).toHaveLength(1);

    const sbOpens = rig.of('session-opened').filter((e) => e.server === 'SB');
    expect(sbOpens.map((e) => e.upstream.port)).toEqual([sbA.port, sbB.port]);
    expect(sbOpens.every((e) => e.requestedIp === '127.0.0.1')).toBe(true);
  });
});

describe('bind failure', () => {
  it('EADDRINUSE rejects listen() with a GatewayBindError listing remedies', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => blocker.close(() => r())));
    const port = (blocker.address() as net.AddressInfo).port;
    const gateway = createGateway({ host: '127.0.0.1', port, upstream: { kind: 'tcp', host: '127.0.0.1', port: 1 } });
    onCleanup(() => gateway.close());
    const err = (await gateway.listen().then(
      () => null,
      (e: unknown) => e,
    )) as GatewayBindError | null;
    expect(err).not.toBeNull();
    expect(err!.name).toBe('GatewayBindError');
    expect(err!.code).toBe('EADDRINUSE');
    expect(err!.host).toBe('127.0.0.1');
    expect(err!.port).toBe(port);
    expect(err!.remedies.length).toBeGreaterThan(0);
    expect(err!.message).toContain(String(port));
  });
});
