// The front alone, on a real loopback socket, with small limits: its timeouts, the bound on
// requests read ahead of their answers, and answers kept in request order.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpFront, type FrontLimits, type HttpFront, type HttpRequest, type HttpResponder } from './front.ts';

const LIMITS: FrontLimits = { maxHeadBytes: 1024, maxBodyBytes: 64, maxPipelined: 4, headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 };
const fronts: HttpFront[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const f of fronts.splice(0)) await f.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(onRequest: (req: HttpRequest, res: HttpResponder) => void, limits = LIMITS): Promise<{ port: number; refusals: string[] }> {
  const refusals: string[] = [];
  const front = createHttpFront(limits, {
    request: onRequest,
    refused: (r) => {
      refusals.push(`${r.status} ${r.code}`);
      return `HTTP/1.1 ${r.status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;
    },
  });
  fronts.push(front);
  const a = await front.listen(0, '127.0.0.1', 16);
  return { port: a.port, refusals };
}

function connect(port: number): Promise<{ s: net.Socket; got: () => string; closed: () => boolean }> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    sockets.push(s);
    let got = '';
    let closed = false;
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('close', () => (closed = true));
    s.on('error', () => {});
    s.once('connect', () => resolve({ s, got: () => got, closed: () => closed }));
  });
}

async function until(check: () => boolean, ms = 4000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await sleep(10);
}

const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`;

describe('HTTP front', () => {
  it('answers pipelined requests in request order even when later ones are answered first', async () => {
    const held: Array<{ req: HttpRequest; res: HttpResponder }> = [];
    const { port } = await start((req, res) => held.push({ req, res }));
    const c = await connect(port);
    c.s.write(['/a', '/b', '/c'].map((t) => `GET ${t} HTTP/1.1\r\n\r\n`).join(''));
    await until(() => held.length === 3);
    for (const { req, res } of [...held].reverse()) res.send(ok(req.target), Buffer.from(req.target), true);
    await until(() => c.got().length >= 3 * (ok('/a').length + 2));
    expect(c.got()).toBe(['/a', '/b', '/c'].map((t) => ok(t) + t).join(''));
  });

  it('reads no more than maxPipelined requests ahead of their answers, then the rest as answers go', async () => {
    const held: HttpResponder[] = [];
    const { port } = await start((_req, res) => held.push(res));
    const c = await connect(port);
    c.s.write(Array.from({ length: 10 }, (_, i) => `GET /${i} HTTP/1.1\r\n\r\n`).join(''));
    await until(() => held.length >= LIMITS.maxPipelined);
    await sleep(100);
    expect(held).toHaveLength(LIMITS.maxPipelined);
    for (let i = 0; i < 10; i++) {
      await until(() => held.length > i);
      held[i].send(ok(''), new Uint8Array(0), true);
    }
    await until(() => c.got().split('HTTP/1.1 200').length - 1 === 10);
    expect(c.got().split('HTTP/1.1 200').length - 1).toBe(10);
  });

  it('a head still incomplete after headersTimeout gets 408 and a closed socket', async () => {
    const { port, refusals } = await start(() => {});
    const c = await connect(port);
    c.s.write('GET / HTTP/1.1\r\nHost: x\r\n');
    await until(c.closed);
    expect(c.got()).toMatch(/^HTTP\/1\.1 408 /);
    expect(refusals).toEqual(['408 http-timeout']);
  });

  it('a body still incomplete after requestTimeout gets 408; its request is told the body failed', async () => {
    const results: string[] = [];
    const { port } = await start((req) => req.readBody((r) => results.push(r.ok ? 'ok' : r.tooLarge ? 'too large' : 'failed')));
    const c = await connect(port);
    c.s.write('POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    await until(c.closed);
    expect(c.got()).toMatch(/^HTTP\/1\.1 408 /);
    expect(results).toEqual(['failed']);
  });

  it('an idle keep-alive connection is closed after keepAliveTimeout; a busy one is not', async () => {
    const { port } = await start((_req, res) => res.send(ok(''), new Uint8Array(0), true));
    const idle = await connect(port);
    const busy = await connect(port);
    idle.s.write('GET / HTTP/1.1\r\n\r\n');
    const t0 = Date.now();
    while (Date.now() - t0 < 1800) {
      busy.s.write('GET / HTTP/1.1\r\n\r\n');
      await sleep(100);
    }
    expect(idle.closed()).toBe(true);
    expect(busy.closed()).toBe(false);
  });

  it('a declared body over maxBodyBytes is refused unread, and the connection ends after the answer', async () => {
    const results: string[] = [];
    const { port } = await start((req, res) =>
      req.readBody((r) => {
        results.push(r.ok ? 'ok' : r.tooLarge ? 'too large' : 'failed');
        res.send('HTTP/1.1 413 X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', new Uint8Array(0), res.keepAlive);
      }),
    );
    const c = await connect(port);
    c.s.write('POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n' + 'x'.repeat(65) + 'GET / HTTP/1.1\r\n\r\n');
    await until(c.closed);
    expect(results).toEqual(['too large']);
    expect(c.got()).toBe('HTTP/1.1 413 X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });

  it('a client gone before its answer abandons the responder; a late send is refused', async () => {
    let responder: HttpResponder | null = null;
    let abandoned = false;
    const { port } = await start((_req, res) => {
      responder = res;
      res.onAbandon(() => (abandoned = true));
    });
    const c = await connect(port);
    c.s.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => responder !== null);
    c.s.destroy();
    await until(() => abandoned);
    expect(abandoned).toBe(true);
    expect(responder!.send(ok(''), new Uint8Array(0), true)).toBe(false);
  });
});
