// Slow (slowloris) clients: heads trickled byte by byte, heads that never end, many trickling
// sockets at once. The gateway must bound the time and the memory a trickler can hold, and keep
// answering everyone else. The gateway's HTTP front does the timing (headersTimeout,
// requestTimeout, checked every connectionsCheckingInterval); these tests read what the gateway
// configured, since waiting out the real 10 s timeout does not belong in every run
// (`npm run fuzz -- --slowloris` does wait it out; electron/gateway/http/front.test.ts checks
// the same timeouts on a front with short limits).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { latin1, sleep } from '../harness/bytes.ts';
import { HttpConnection } from '../harness/http-client.ts';
import { OPEN_NS, dataTarget, onCleanup, rawRequest, sessionIdOf, startRig } from '../gateway/setup.ts';
import { connectionCount, serverOn, settleConnections } from './probe.ts';

const VER = 'VER 1 MSNP8 CVR0\r\n';

function rawSocket(port: number): Promise<net.Socket & { received: () => string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('error', () => {});
    onCleanup(() => {
      s.destroy();
    });
    s.once('connect', () => resolve(Object.assign(s, { received: () => got })));
    s.once('error', reject);
  });
}

describe('slowloris', () => {
  it('the server bounds header and request time (finite timeouts), and the head size', async () => {
    const rig = await startRig({ echo: true });
    const server = await serverOn(rig.port);
    expect(server.headersTimeout).toBeGreaterThan(0);
    expect(server.headersTimeout).toBeLessThanOrEqual(60_000);
    expect(server.requestTimeout).toBeGreaterThan(0);
    expect(server.requestTimeout).toBeLessThanOrEqual(300_000);
    expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
    // A head limit of 16 KiB (Node's default) or less: a head cannot grow a buffer without bound.
    expect((server as { maxHeaderSize?: number }).maxHeaderSize ?? 16 * 1024).toBeLessThanOrEqual(64 * 1024);
  });

  it('a Vector A head trickled one byte at a time is still answered exactly', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5 });
    const s = await rawSocket(rig.port);
    const req = rawRequest(OPEN_NS, VER);
    for (let i = 0; i < req.length; i++) {
      s.write(req.subarray(i, i + 1));
      if (i % 8 === 0) await sleep(1);
    }
    const deadline = Date.now() + 2000;
    while (!s.received().endsWith(VER) && Date.now() < deadline) await sleep(5);
    expect(s.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(s.received().endsWith('\r\n\r\n' + VER)).toBe(true);
    const up = await rig.upstream.connection(0);
    expect(latin1(up.receivedBytes())).toBe(VER);
  });

  it('a head that never ends is cut at the head size limit with an error status and a closed socket', async () => {
    const rig = await startRig({ echo: true });
    const server = await serverOn(rig.port);
    const s = await rawSocket(rig.port);
    const closed = new Promise<void>((r) => s.once('close', () => r()));
    s.write(`POST ${OPEN_NS} HTTP/1.1\r\nHost: x\r\n`);
    const line = `X-Pad: ${'a'.repeat(1000)}\r\n`;
    // 64 KiB of headers in 1 KiB pieces: far beyond any sane head.
    for (let i = 0; i < 64 && !s.destroyed; i++) {
      s.write(line);
      await sleep(1);
    }
    await Promise.race([closed, sleep(3000)]);
    expect(s.destroyed || s.readableEnded).toBe(true);
    expect(s.received()).toMatch(/^HTTP\/1\.1 (400|431) /);
    expect(rig.gateway.sessionCount()).toBe(0);
    expect(rig.upstream.connections).toHaveLength(0);
    expect(await settleConnections(server, 0)).toBe(0);
  });

  it('a hundred trickling sockets do not delay an honest client; closing them returns the server to baseline', async () => {
    const rig = await startRig({ echo: true }, { quietMs: 5 });
    const server = await serverOn(rig.port);
    const baseline = await settleConnections(server, 0);
    const tricklers = await Promise.all(Array.from({ length: 100 }, () => rawSocket(rig.port)));
    const head = `POST ${OPEN_NS} HTTP/1.1\r\nHost: gateway.messenger.hotmail.com\r\nContent-Length: 18\r\n`;
    let stop = false;
    let trickleFinished = false;
    const trickle = (async () => {
      for (let i = 0; !stop && i < head.length; i++) {
        for (const t of tricklers) t.write(head[i]);
        await sleep(20);
      }
      trickleFinished = !stop;
    })();
    await sleep(50);
    const honest = await HttpConnection.connect(rig.port);
    onCleanup(() => honest.close());
    const open = await honest.send(rawRequest(OPEN_NS, VER));
    const res = await honest.send(rawRequest(dataTarget(sessionIdOf(open)), 'CHG 2 NLN 0\r\n'));
    // Served while every trickler was still mid-head: they hold sockets, not the event loop.
    const servedDuringTrickle = !trickleFinished;
    stop = true;
    await trickle;
    expect(open.status).toBe(200);
    expect(latin1(res.body)).toBe('CHG 2 NLN 0\r\n');
    expect(servedDuringTrickle).toBe(true);
    expect(await connectionCount(server)).toBe(baseline + 101);
    // No trickler got a session or reached the upstream.
    expect(rig.gateway.sessionCount()).toBe(1);
    expect(rig.upstream.connections).toHaveLength(1);
    for (const t of tricklers) t.destroy();
    honest.close();
    expect(await settleConnections(server, baseline)).toBe(baseline);
  });
});
