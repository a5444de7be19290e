// The per-request shortcuts of the hot path keep their answers: bodies on either side of the
// small-body write path come back byte for byte, and the quiet window a lone data request left
// unarmed still closes on time when that request goes away without the data.
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, sessionIdOf, startUpstream, type TestUpstream } from './__test__/raw-http.ts';
import { createGateway } from './index.ts';
import type { Gateway, GatewayOptions } from './types.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function gateway(up: TestUpstream, extra: Partial<GatewayOptions>): Promise<number> {
  const gw: Gateway = createGateway({ port: 0, upstream: { kind: 'tcp', host: '127.0.0.1', port: up.port }, ...extra });
  gw.onEvent(() => {});
  const { port } = await gw.listen();
  open.push(gw);
  return port;
}

async function client(port: number): Promise<RawClient> {
  const c = await RawClient.open(port);
  open.push(c);
  return c;
}

const OPEN = '/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';

describe('response bodies around the small-body write path', () => {
  it.each([1, 255, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 70_000])('%i server bytes of every value come back unchanged', async (size) => {
    const blob = Buffer.alloc(size);
    for (let i = 0; i < size; i++) blob[i] = (i * 131 + (i >> 8)) & 0xff;
    const up = await startUpstream((s) => s.write(blob));
    open.push(up);
    const c = await client(await gateway(up, { quietMs: 5, replyCapMs: 300 }));
    let r = await c.request(OPEN, 'VER 1 MSNP8 CVR0\r\n');
    const back = [r.body];
    for (let i = 0; i < 50 && Buffer.concat(back).length < size; i++) {
      await new Promise((res) => setTimeout(res, 5));
      r = await c.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(r)}`);
      back.push(r.body);
    }
    expect(Buffer.concat(back).equals(blob)).toBe(true);
    expect(r.statusLine).toBe('HTTP/1.1 200 OK');
  });
});

describe('quiet window after a lone data request', () => {
  it('a long poll still takes the data when the quiet window closes, after the data request that would have taken it is abandoned', async () => {
    const up = await startUpstream();
    open.push(up);
    const port = await gateway(up, { profile: 'lenient', quietMs: 300, replyCapMs: 3000 });
    const a = await client(port);
    const b = await client(port);
    const opened = await a.request(OPEN, '');
    const id = sessionIdOf(opened);
    // `MSG trid N` gets no reply, so its own timer (300 ms) would answer it with the echo.
    const msg = 'MSG 2 N 3\r\nabc';
    a.send(`/gateway/gateway.dll?SessionID=${id}`, msg);
    await new Promise((res) => setTimeout(res, 60));
    const t0 = Date.now();
    b.send(`/gateway/gateway.dll?Action=poll&Lifespan=5&SessionID=${id}`);
    await new Promise((res) => setTimeout(res, 40));
    a.close();
    const r = await b.read(6000);
    expect(r.body.toString('latin1')).toBe(msg);
    // The rest of the quiet window (about 200 ms), not the 5 s Lifespan.
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('request bodies that do not arrive with their head', () => {
  it('a body trickled in pieces after the head is read whole and relayed once', async () => {
    const up = await startUpstream();
    open.push(up);
    const c = await client(await gateway(up, { quietMs: 5, replyCapMs: 300 }));
    const id = sessionIdOf(await c.request(OPEN, 'VER 1 MSNP8 CVR0\r\n'));
    const body = Buffer.from('MSG 2 N 20\r\n0123456789abcdefghij', 'latin1');
    c.socket.write(`POST /gateway/gateway.dll?SessionID=${id} HTTP/1.1\r\nHost: gw\r\nContent-Length: ${body.length}\r\n\r\n`);
    for (const piece of [body.subarray(0, 5), body.subarray(5, 17), body.subarray(17)]) {
      await new Promise((res) => setTimeout(res, 25));
      c.socket.write(piece);
    }
    const r = await c.read();
    expect(r.status).toBe(200);
    expect(r.body.equals(body)).toBe(true);
    expect(up.receivedAll().subarray(-body.length).equals(body)).toBe(true);
  });

  it('a client gone in the middle of a body leaves the session usable for its next connection', async () => {
    const up = await startUpstream();
    open.push(up);
    const port = await gateway(up, { quietMs: 5, replyCapMs: 300 });
    const a = await client(port);
    const id = sessionIdOf(await a.request(OPEN, 'VER 1 MSNP8 CVR0\r\n'));
    a.socket.write(`POST /gateway/gateway.dll?SessionID=${id} HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\nCHG 2 N`);
    await new Promise((res) => setTimeout(res, 30));
    a.close();
    await new Promise((res) => setTimeout(res, 30));
    const b = await client(port);
    const r = await b.request(`/gateway/gateway.dll?SessionID=${id}`, 'CHG 3 NLN 0\r\n');
    expect(r.status).toBe(200);
    expect(r.body.toString('latin1')).toBe('CHG 3 NLN 0\r\n');
  });
});
