// Security of the HTTP front: loopback by default, never an open relay (in any upstream mode and
// for tricky IP= spellings), no CORS, and nothing a client sends can inject response headers.
import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import type { Gateway, GatewayOptions } from '../../electron/gateway/types.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { sleep } from '../harness/bytes.ts';
import { HttpConnection, headerValue, type RawResponse } from '../harness/http-client.ts';
import { createInProcessUpstream, startScriptedUpstream } from '../harness/scripted-upstream.ts';
import { OPEN_NS, expectGatewayShape, onCleanup, rawRequest, sessionIdOf, startRig } from '../gateway/setup.ts';

const VER = 'VER 1 MSNP8 CVR0\r\n';

/** A TCP listener standing for a host the gateway must never reach; counts connection attempts. */
async function victim(): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const server = net.createServer((s) => {
    hits++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as net.AddressInfo).port, hits: () => hits };
}

async function gatewayWith(opts: GatewayOptions): Promise<{ gw: Gateway; port: number; events: GatewayEvent[]; conn: HttpConnection }> {
  const gw = createGateway({ port: 0, quietMs: 5, ...opts });
  const events: GatewayEvent[] = [];
  gw.onEvent((e) => events.push(e));
  const { port } = await gw.listen();
  const conn = await HttpConnection.connect(port);
  onCleanup(async () => {
    conn.close();
    await gw.close();
  });
  return { gw, port, events, conn };
}

/** Spellings of "the victim" a naive allowlist or parser might let through. */
function hostileIps(port: number): string[] {
  return [
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `127.1:${port}`,
    `2130706433:${port}`,
    `0x7f000001:${port}`,
    `[::ffff:127.0.0.1]:${port}`,
    `127.0.0.1:${port}%00`,
    `127.0.0.1%3A${port}`,
    `evil.example@127.0.0.1:${port}`,
    ` 127.0.0.1:${port}`,
    `127.0.0.1:0${port}`,
    `169.254.169.254`,
  ];
}

const relayRefused = (events: GatewayEvent[]): number => events.filter((e) => e.type === 'notice' && e.code === 'relay-refused').length;

describe('bind address', () => {
  it('binds to 127.0.0.1 by default and is not reachable on other interfaces', async () => {
    const up = await startScriptedUpstream({ echo: true });
    onCleanup(() => up.close());
    const gw = createGateway({ port: 0, upstream: { kind: 'tcp', host: up.host, port: up.port } });
    onCleanup(() => gw.close());
    const { host, port } = await gw.listen();
    expect(host).toBe('127.0.0.1');
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      const err = await new Promise<string>((resolve) => {
        const s = net.connect({ host: external.address, port });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(err).toBe('ECONNREFUSED');
    }
  });
});

describe('never an open relay', () => {
  it('passthrough: every spelling of an unlisted host is refused with 403, NS and SB, and nothing connects', async () => {
    const v = await victim();
    const { conn, events } = await gatewayWith({ upstream: { kind: 'passthrough', defaultPort: v.port }, allowlist: ['127.0.0.1:1'] });
    const ips = hostileIps(v.port);
    for (const ip of ips) {
      for (const server of ['NS', 'SB']) {
        const body = server === 'NS' ? VER : 'USR 1 a@b.c 1.2.3\r\n';
        const r = await conn.send(rawRequest(`/gateway/gateway.dll?Action=open&Server=${server}&IP=${encodeURIComponent(ip).replace(/%25/g, '%')}`, body));
        expect({ ip, server, status: r.status }).toEqual({ ip, server, status: r.status === 400 ? 400 : 403 });
        expect(headerValue(r, 'X-MSN-Messenger')).toBeUndefined();
      }
    }
    await sleep(50);
    expect(v.hits()).toBe(0);
    expect(relayRefused(events)).toBeGreaterThanOrEqual(ips.length);
  });

  it('tcp: NS opens go to the configured upstream whatever IP= says; SB opens to the victim are refused', async () => {
    const v = await victim();
    const rig = await startRig({ echo: true });
    const c = await HttpConnection.connect(rig.port);
    onCleanup(() => c.close());
    let accepted = 0;
    for (const ip of hostileIps(v.port)) {
      const ns = await c.send(rawRequest(`/gateway/gateway.dll?Action=open&Server=NS&IP=${encodeURIComponent(ip)}`, VER));
      // Accepted opens go to the configured upstream; an IP= that is not a host at all is refused.
      expect({ ip, status: ns.status }).toEqual({ ip, status: ns.status === 403 ? 403 : 200 });
      if (ns.status === 200) accepted++;
      const sb = await c.send(rawRequest(`/gateway/gateway.dll?Action=open&Server=SB&IP=${encodeURIComponent(ip)}`, 'USR 1 a@b.c 1.2.3\r\n'));
      expect({ ip, status: sb.status }).toEqual({ ip, status: sb.status === 400 ? 400 : 403 });
    }
    await sleep(50);
    expect(v.hits()).toBe(0);
    expect(accepted).toBeGreaterThanOrEqual(8);
    expect(rig.upstream.connections.length).toBe(accepted);
  });

  it('emulator: IP= is only a label for the in-process connection; no socket is opened anywhere', async () => {
    const v = await victim();
    const upstream = createInProcessUpstream({ echo: true });
    onCleanup(() => upstream.close());
    const { conn } = await gatewayWith({ upstream: { kind: 'emulator', connect: upstream.connect } });
    const r = await conn.send(rawRequest(`/gateway/gateway.dll?Action=open&Server=SB&IP=127.0.0.1:${v.port}`, 'USR 1 a@b.c 1.2.3\r\n'));
    expect(r.status).toBe(200);
    expect((await upstream.connection(0)).target).toEqual({ server: 'SB', host: '127.0.0.1', port: v.port });
    await sleep(50);
    expect(v.hits()).toBe(0);
  });
});

describe('no CORS', () => {
  it('no Access-Control-* header on any status, and a preflight is a plain 405', async () => {
    const rig = await startRig({ echo: true }, { maxBodyBytes: 64, maxSessions: 1 });
    const c = await HttpConnection.connect(rig.port);
    onCleanup(() => c.close());
    const origin = (req: Uint8Array): Uint8Array => {
      const s = Buffer.from(req).toString('latin1').replace('\r\n', '\r\nOrigin: http://evil.example\r\n');
      return Buffer.from(s, 'latin1');
    };
    const responses: RawResponse[] = [];
    responses.push(await c.send(origin(rawRequest(OPEN_NS, VER)))); // 200
    responses.push(await c.send(origin(rawRequest(OPEN_NS, VER)))); // 503
    responses.push(await c.send(origin(rawRequest('/gateway/gateway.dll?Action=bogus')))); // 400
    responses.push(await c.send(origin(rawRequest('/index.html')))); // 404
    responses.push(await c.send(origin(rawRequest(OPEN_NS, '', 'GET')))); // 405
    const preflight = Buffer.from(
      `OPTIONS ${OPEN_NS} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\nContent-Length: 0\r\n\r\n`,
      'latin1',
    );
    responses.push(await c.send(preflight)); // 405
    const big = await HttpConnection.connect(rig.port);
    onCleanup(() => big.close());
    responses.push(await big.send(origin(rawRequest(OPEN_NS, 'X'.repeat(100))))); // 413
    expect(responses.map((r) => r.status)).toEqual([200, 503, 400, 404, 405, 405, 413]);
    for (const r of responses) expect(r.headers.filter(([n]) => /^access-control-/i.test(n))).toEqual([]);
  });
});

describe('no header injection', () => {
  it('CR/LF (raw or encoded) in IP= is refused with 400 and injects nothing', async () => {
    const rig = await startRig({ echo: true });
    const c = await HttpConnection.connect(rig.port);
    onCleanup(() => c.close());
    for (const ip of ['1.2.3.4%0D%0ASet-Cookie:%20x=1', '1.2.3.4%0ASet-Cookie:x', '%0D%0A%0D%0AHTTP/1.1%20200%20OK', '1.2.3.4%00']) {
      const r = await c.send(rawRequest(`/gateway/gateway.dll?Action=open&Server=NS&IP=${ip}`, VER));
      expect(r.status).toBe(400);
      expect(r.headers.map(([n]) => n.toLowerCase())).toEqual(['content-length', 'connection']);
    }
    expect(rig.gateway.sessionCount()).toBe(0);
    // A raw CR or LF inside the request line never reaches the gateway's code as one request.
    const raw = await HttpConnection.connect(rig.port);
    onCleanup(() => raw.close());
    const r = await raw.send(`POST /gateway/gateway.dll?Action=open&Server=NS&IP=1.2.3.4\rSet-Cookie:x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`);
    expect(r.status).toBe(400);
    expect(headerValue(r, 'Set-Cookie')).toBeUndefined();
  });

  it('a hostile Host header or absolute-form authority never reaches GW-IP or any header', async () => {
    const rig = await startRig({ echo: true });
    const hosts = ['evil.example; Session=close', 'a"b', '1.2.3.4, 5.6.7.8', 'x'.repeat(2000), '[::1]:80', 'GW-IP=6.6.6.6'];
    const targets = (host: string) => [OPEN_NS, `http://${host}/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com`];
    for (const host of hosts) {
      for (const target of targets(host)) {
        const c = await HttpConnection.connect(rig.port);
        onCleanup(() => c.close());
        const r = await c.send(rawRequest(target, VER, 'POST', host));
        if (target !== OPEN_NS && r.status === 400) {
          // An authority the URL parser rejects is an unparseable target: refused, nothing echoed.
          expect(r.headers.map(([n]) => n)).toEqual(['Content-Length', 'Connection']);
          continue;
        }
        expect({ host, target, status: r.status }).toEqual({ host, target, status: 200 });
        expect(expectGatewayShape(r)).toEqual([]);
        expect(headerValue(r, 'X-MSN-Messenger')).toMatch(/^SessionID=\d{9}\.\d{5}; GW-IP=127\.0\.0\.1$/);
        expect(r.headers.map(([n]) => n)).toEqual(['X-MSN-Messenger', 'Content-Type', 'Content-Length', 'Connection']);
        expect(sessionIdOf(r)).toMatch(/^\d{9}\.\d{5}$/);
      }
    }
  });

  it('gwIp is validated: CR/LF, spaces, ";" and over-long values are refused at creation', () => {
    const upstream = { kind: 'tcp' as const, host: '127.0.0.1', port: 1 };
    for (const gwIp of ['1.2.3.4\r\nSet-Cookie: x', '1.2.3.4; Session=close', 'a b', 'x'.repeat(40), '']) {
      expect(() => createGateway({ port: 0, upstream, gwIp })).toThrow(TypeError);
    }
    expect(() => createGateway({ port: 0, upstream, gwIp: '[2001:db8::1]' })).not.toThrow();
  });
});
