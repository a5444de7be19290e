// An upstream that stops reading: client bytes must not pile up in the gateway without bound.
// Once more than maxQueuedBytes wait to be written to it, further data requests get 503 (not
// forwarded) with a notice, and nothing accepted before is lost.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { HttpConnection, buildRequest, headerValue } from '../harness/http-client.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function request(target: string, body: Uint8Array | string): Uint8Array {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return buildRequest({ target, headers: [['Host', '127.0.0.1'], ['Content-Length', String(bytes.length)]], body: bytes });
}

describe('an upstream that stops reading', () => {
  it('gets no more than maxQueuedBytes buffered for it: later requests are refused with 503', async () => {
    let received = 0;
    const sockets: net.Socket[] = [];
    const upstream = net.createServer((s) => {
      sockets.push(s);
      s.once('data', (d) => {
        received += d.length;
        s.write('VER 1 MSNP8\r\n');
        s.pause(); // from now on it reads nothing
      });
      s.on('error', () => {});
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); upstream.close(() => r()); }) });
    const port = (upstream.address() as net.AddressInfo).port;
    const maxQueuedBytes = 256 * 1024;
    const gw = createGateway({ port: 0, quietMs: 5, replyCapMs: 20, maxQueuedBytes, upstream: { kind: 'tcp', host: '127.0.0.1', port } });
    const events: GatewayEvent[] = [];
    gw.onEvent((e) => events.push(e));
    const gwPort = (await gw.listen()).port;
    open.push(gw);
    const c = await HttpConnection.connect(gwPort);
    open.push(c);

    const first = await c.send(request('/gateway/gateway.dll?Action=open&Server=NS&IP=x', 'VER 1 MSNP8 CVR0\r\n'));
    let id = /SessionID=([^;]+)/.exec(headerValue(first, 'X-MSN-Messenger') ?? '')![1];
    const body = new Uint8Array(512 * 1024).fill(0x41); // not MSNP: relayed as bytes all the same
    const statuses: number[] = [];
    for (let i = 0; i < 60 && !statuses.includes(503); i++) {
      const r = await c.send(request(`/gateway/gateway.dll?SessionID=${id}`, body));
      statuses.push(r.status);
      const next = /SessionID=([^;]+)/.exec(headerValue(r, 'X-MSN-Messenger') ?? '')?.[1];
      if (next) id = next;
    }
    expect(statuses.at(-1)).toBe(503);
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    const notice = events.find((e) => e.type === 'notice' && e.code === 'limit-upstream-write');
    expect(notice).toBeDefined();
    // Every byte that was accepted is reported as relayed; the refused request is not.
    const relayed = events.filter((e) => e.type === 'bytes' && e.direction === 'client').reduce((n, e) => n + (e.type === 'bytes' ? e.bytes.length : 0), 0);
    expect(relayed).toBe(18 + body.length * (statuses.length - 1));
    expect(received).toBeGreaterThan(0);
  });
});
