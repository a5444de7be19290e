// Clients that vanish: half a body then a destroyed socket (open and data requests, both
// profiles), and a long poll abandoned just as data arrives. Nothing of a half body goes
// upstream, the session keeps working, no server byte is lost or repeated, no socket is left.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { latin1, sleep, waitFor } from '../harness/bytes.ts';
import { HttpConnection } from '../harness/http-client.ts';
import { OPEN_NS, dataTarget, onCleanup, pollTarget, rawRequest, sessionIdOf, startRig } from '../gateway/setup.ts';
import { serverOn, settleConnections } from './probe.ts';

const VER = 'VER 1 MSNP8 CVR0\r\n';

async function connect(port: number): Promise<HttpConnection> {
  const c = await HttpConnection.connect(port);
  onCleanup(() => c.close());
  return c;
}

/** Writes the head and the first half of the body of `req`, then destroys the socket. */
async function halfThenVanish(port: number, req: Uint8Array, bodyLength: number): Promise<void> {
  const s = net.connect({ port, host: '127.0.0.1' });
  await new Promise((r) => s.once('connect', r));
  s.on('error', () => {});
  s.write(req.subarray(0, req.length - Math.ceil(bodyLength / 2)));
  await sleep(30);
  s.destroy();
  await sleep(30);
}

describe('client disappears mid-request', () => {
  it('half an open body: no session, nothing upstream, no socket left', async () => {
    const rig = await startRig({ echo: true });
    const server = await serverOn(rig.port);
    const body = 'VER 1 MSNP8 CVR0\r\nCVR 2 0x0409 winnt 5.1 i386 MSMSGS 6.0.0602 MSMSGS a@b.c\r\n';
    await halfThenVanish(rig.port, rawRequest(OPEN_NS, body), body.length);
    expect(rig.gateway.sessionCount()).toBe(0);
    expect(rig.upstream.connections).toHaveLength(0);
    expect(rig.of('session-opened')).toHaveLength(0);
    expect(await settleConnections(server, 0)).toBe(0);
    // The gateway still serves.
    const c = await connect(rig.port);
    expect((await c.send(rawRequest(OPEN_NS, VER))).status).toBe(200);
  });

  for (const profile of ['faithful', 'lenient'] as const) {
    it(`${profile}: half a data body: nothing of it goes upstream, the next request is not an overlap and arrives whole`, async () => {
      const rig = await startRig({ echo: true }, { profile, quietMs: 10 });
      const server = await serverOn(rig.port);
      const c = await connect(rig.port);
      const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
      const half = 'MSG 3 N 40\r\n' + 'x'.repeat(40);
      await halfThenVanish(rig.port, rawRequest(dataTarget(id), half), half.length);
      const next = await c.send(rawRequest(dataTarget(id), 'CHG 4 NLN 0\r\n'));
      expect(next.status).toBe(200);
      expect(latin1(next.body)).toBe('CHG 4 NLN 0\r\n');
      const up = await rig.upstream.connection(0);
      expect(latin1(up.receivedBytes())).toBe(VER + 'CHG 4 NLN 0\r\n');
      expect(rig.of('notice').filter((n) => n.code === 'overlap-rejected')).toHaveLength(0);
      c.close();
      expect(await settleConnections(server, 0)).toBe(0);
      expect(rig.gateway.sessionCount()).toBe(1);
    });
  }

  it('lenient: a request that arrived after a half body is held back only until the half body fails, then forwarded', async () => {
    const rig = await startRig({ echo: true }, { profile: 'lenient', quietMs: 10 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const s = net.connect({ port: rig.port, host: '127.0.0.1' });
    s.on('error', () => {});
    await new Promise((r) => s.once('connect', r));
    const half = rawRequest(dataTarget(id), 'MSG 3 N 40\r\n' + 'x'.repeat(40));
    s.write(half.subarray(0, half.length - 20));
    await sleep(30);
    // Arrives second; the half body is first in the session's order, so this waits for it.
    const second = c.send(rawRequest(dataTarget(id), 'CHG 4 NLN 0\r\n'));
    await sleep(30);
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe(VER);
    s.destroy();
    const res = await second;
    expect(latin1(res.body)).toBe('CHG 4 NLN 0\r\n');
    expect(latin1(up.receivedBytes())).toBe(VER + 'CHG 4 NLN 0\r\n');
  });

  it('a long poll abandoned while its quiet window runs: the data comes on the next poll, exactly once', async () => {
    const rig = await startRig({ script: [{ expect: VER, reply: 'VER 1 MSNP8\r\n' }] }, { quietMs: 150, maxLifespanS: 5 });
    const server = await serverOn(rig.port);
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const up = await rig.upstream.connection(0);
    await up.scriptDone;
    const lp = await connect(rig.port);
    const held = lp.send(rawRequest(`/gateway/gateway.dll?Action=poll&Lifespan=5&SessionID=${id}`, '')).catch((e: Error) => e);
    await sleep(30);
    up.write('NLN NLN a@b.c A 0\r\n');
    await sleep(40); // inside the 150 ms quiet window
    lp.close();
    expect(await held).toBeInstanceOf(Error);
    await sleep(200); // the quiet window would have closed by now
    const p = await c.send(rawRequest(pollTarget(id), ''));
    expect(p.status).toBe(200);
    expect(latin1(p.body)).toBe('NLN NLN a@b.c A 0\r\n');
    const again = await c.send(rawRequest(pollTarget(sessionIdOf(p)), ''));
    expect(again.body.length).toBe(0);
    c.close();
    expect(await settleConnections(server, 0)).toBe(0);
  });

  it('fifty clients vanish mid-long-poll: no socket and no waiting request is left, the session still answers', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5, maxLifespanS: 5 });
    const server = await serverOn(rig.port);
    const c = await connect(rig.port);
    let id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    for (let i = 0; i < 50; i++) {
      const lp = await HttpConnection.connect(rig.port);
      const held = lp.send(rawRequest(`/gateway/gateway.dll?Action=poll&Lifespan=5&SessionID=${id}`, '')).catch(() => null);
      await waitFor(() => rig.of('http-request').length >= i + 2, 2000, 'long poll arrived');
      lp.close();
      await held;
    }
    // Faithful: a leftover waiting request would make this an overlap (400).
    await sleep(20);
    const r = await c.send(rawRequest(dataTarget(id), 'CHG 2 NLN 0\r\n'));
    expect(r.status).toBe(200);
    expect(latin1(r.body)).toBe('CHG 2 NLN 0\r\n');
    id = sessionIdOf(r);
    c.close();
    expect(await settleConnections(server, 0)).toBe(0);
    expect(rig.gateway.sessionCount()).toBe(1);
  });

  it('a client that half-closes right after its request loses no server byte: the next poll has it', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 20 });
    const c = await connect(rig.port);
    const id = sessionIdOf(await c.send(rawRequest(OPEN_NS, VER)));
    const s = net.connect({ port: rig.port, host: '127.0.0.1', allowHalfOpen: true });
    s.on('error', () => {});
    onCleanup(() => {
      s.destroy();
    });
    await new Promise((r) => s.once('connect', r));
    let received = '';
    s.on('data', (d: Buffer) => (received += d.toString('latin1')));
    // Request, then FIN: the gateway takes a FIN as the client leaving (as node:http did), so no
    // answer comes here.
    s.end(rawRequest(dataTarget(id), 'CHG 2 NLN 0\r\n'));
    const up = await rig.upstream.connection(0);
    await up.waitForText('CHG 2 NLN 0\r\n');
    await sleep(100);
    const poll = await c.send(rawRequest(pollTarget(id), ''));
    const copies = (received + latin1(poll.body)).split('CHG 2 NLN 0\r\n').length - 1;
    expect({ received, poll: latin1(poll.body), copies }).toMatchObject({ copies: 1 });
  });
});
