// Profiles, errors and limits over real loopback sockets.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { RawClient, sessionIdOf, startUpstream } from './__test__/raw-http.ts';
import { createGateway } from './index.ts';
import type { Gateway, GatewayOptions, InProcessConnection } from './types.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function gateway(opts: GatewayOptions) {
  const gw: Gateway = createGateway({ port: 0, quietMs: 10, ...opts });
  const events: GatewayEvent[] = [];
  gw.onEvent((e) => events.push(e));
  const { port } = await gw.listen();
  open.push(gw);
  const client = async () => {
    const c = await RawClient.open(port);
    open.push(c);
    return c;
  };
  return { gw, port, events, client };
}

async function echoGateway(extra: Partial<GatewayOptions> = {}) {
  const up = await startUpstream();
  open.push(up);
  return { up, ...(await gateway({ upstream: { kind: 'tcp', host: '127.0.0.1', port: up.port }, ...extra })) };
}

const OPEN = '/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';
const notices = (events: GatewayEvent[]) => events.filter((e) => e.type === 'notice').map((e) => (e.type === 'notice' ? e.code : ''));

describe('profiles', () => {
  it('faithful: an overlapping request gets 400 and is not forwarded', async () => {
    const { up, client, events } = await echoGateway({ profile: 'faithful', maxLifespanS: 5 });
    const a = await client();
    const id = sessionIdOf(await a.request(OPEN, 'VER 1 MSNP8\r\n'));
    a.send(`/gateway/gateway.dll?Action=poll&Lifespan=2&SessionID=${id}`);
    await new Promise((r) => setTimeout(r, 30));
    const b = await client();
    const r = await b.request(`/gateway/gateway.dll?SessionID=${id}`, 'CVR 2 x\r\n');
    expect(r.status).toBe(400);
    expect(r.body.length).toBe(0);
    expect(notices(events)).toContain('overlap-rejected');
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8\r\n');
  });

  it('lenient (BitlBee): a data request during a long poll gets its reply; the long poll stays for later data', async () => {
    const { up, client } = await echoGateway({ profile: 'lenient' });
    const a = await client();
    const open1 = await a.request('/gateway/gateway.dll?SessionID=&Action=open&Server=NS', 'VER 1 MSNP21\r\n');
    expect(open1.body.toString()).toBe('VER 1 MSNP21\r\n');
    const id = sessionIdOf(open1);
    a.send(`/gateway/gateway.dll?SessionID=${id}&Action=poll&Lifespan=60`);
    await new Promise((r) => setTimeout(r, 30));
    const b = await client();
    const data = await b.request(`/gateway/gateway.dll?SessionID=${id}&`, 'CVR 2 x\r\n');
    expect(data.status).toBe(200);
    expect(data.body.toString()).toBe('CVR 2 x\r\n');
    // Asynchronous server data goes to the pending long poll.
    up.sockets[0].write('NLN NLN a@b.c A 0\r\n');
    const lp = await a.read();
    expect(lp.status).toBe(200);
    expect(lp.body.toString()).toBe('NLN NLN a@b.c A 0\r\n');
  });

  it('a client that hangs up during a long poll loses nothing: the data waits for its next request', async () => {
    const { up, client } = await echoGateway({ profile: 'faithful' });
    const a = await client();
    const id = sessionIdOf(await a.request(OPEN, 'VER 1 MSNP8\r\n'));
    a.send(`/gateway/gateway.dll?Action=poll&Lifespan=30&SessionID=${id}`);
    await new Promise((r) => setTimeout(r, 30));
    a.close();
    await new Promise((r) => setTimeout(r, 30));
    up.sockets[0].write('RNG 1 127.0.0.1:1864 CKI 1.2 a@b.c A\r\n');
    await new Promise((r) => setTimeout(r, 30));
    const b = await client();
    const p = await b.request(`/gateway/gateway.dll?Action=poll&SessionID=${id}`);
    expect(p.status).toBe(200);
    expect(p.body.toString()).toBe('RNG 1 127.0.0.1:1864 CKI 1.2 a@b.c A\r\n');
  });

  it('lenient accepts GET on gateway.dll', async () => {
    const { client } = await echoGateway({ profile: 'lenient' });
    const c = await client();
    const r = await c.request(OPEN, '', [], 'GET');
    expect(r.status).toBe(200);
  });

  it('long poll without data answers empty after Lifespan, capped by maxLifespanS', async () => {
    const { client } = await echoGateway({ maxLifespanS: 1 });
    const c = await client();
    const id = sessionIdOf(await c.request(OPEN, 'VER 1 MSNP8\r\n'));
    const t0 = Date.now();
    const r = await c.request(`/gateway/gateway.dll?Action=poll&Lifespan=60&SessionID=${id}`);
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });
});

describe('errors and limits', () => {
  it('413 for a body over maxBodyBytes, without buffering it', async () => {
    const { client, events } = await echoGateway({ maxBodyBytes: 64 });
    const c = await client();
    const r = await c.request(OPEN, 'X'.repeat(65));
    expect(r.status).toBe(413);
    expect(r.header('Connection')).toBe('close');
    expect(notices(events)).toContain('limit-body');
  });

  it('503 when maxSessions are open', async () => {
    const { client, events } = await echoGateway({ maxSessions: 1 });
    const c = await client();
    expect((await c.request(OPEN, '')).status).toBe(200);
    expect((await c.request(OPEN, '')).status).toBe(503);
    expect(notices(events)).toContain('limit-sessions');
  });

  it('400 for a malformed query and for Server other than NS/SB', async () => {
    const { client } = await echoGateway();
    const c = await client();
    expect((await c.request('/gateway/gateway.dll?Action=bogus')).status).toBe(400);
    expect((await c.request('/gateway/gateway.dll?Action=open&Server=XX')).status).toBe(400);
  });

  it('reaps idle sessions with idle-timeout', async () => {
    const { client, events, gw } = await echoGateway({ idleTimeoutMs: 80 });
    const c = await client();
    const id = sessionIdOf(await c.request(OPEN, 'VER 1 MSNP8\r\n'));
    await new Promise((r) => setTimeout(r, 250));
    expect(gw.sessionCount()).toBe(0);
    const closed = events.find((e) => e.type === 'session-closed');
    expect(closed && closed.type === 'session-closed' && closed.reason).toBe('idle-timeout');
    expect((await c.request(`/gateway/gateway.dll?Action=poll&SessionID=${id}`)).status).toBe(400);
  });

  it('403 relay-refused for an arbitrary IP= in passthrough, and for an unannounced SB', async () => {
    const { client, events } = await gateway({ upstream: { kind: 'passthrough', defaultPort: 1863 } });
    const c = await client();
    const r = await c.request('/gateway/gateway.dll?Action=open&Server=NS&IP=169.254.169.254', 'VER 1 MSNP8\r\n');
    expect(r.status).toBe(403);
    const sb = await c.request('/gateway/gateway.dll?Action=open&Server=SB&IP=10.0.0.1', 'USR 1 a@b.c 1.2.3\r\n');
    expect(sb.status).toBe(403);
    const refused = events.filter((e) => e.type === 'notice' && e.code === 'relay-refused');
    expect(refused).toHaveLength(2);
    expect(refused[0].type === 'notice' && refused[0].message).toMatch(/169\.254\.169\.254:1863/);
  });

  it('an upstream that refuses the connection ends the session with Session=close and events', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const deadPort = (blocker.address() as { port: number }).port;
    await new Promise<void>((r) => blocker.close(() => r()));
    const { client, events } = await gateway({ upstream: { kind: 'tcp', host: '127.0.0.1', port: deadPort } });
    const c = await client();
    const r = await c.request(OPEN, 'VER 1 MSNP8\r\n');
    expect(r.status).toBe(200);
    expect(r.header('X-MSN-Messenger')).toMatch(/; Session=close$/);
    const err = events.find((e) => e.type === 'upstream-error');
    expect(err && err.type === 'upstream-error' && err.code).toBe('ECONNREFUSED');
    const closed = events.find((e) => e.type === 'session-closed');
    expect(closed && closed.type === 'session-closed' && closed.reason).toBe('upstream-error');
  });

  it('an upstream reset ends the session: queued data, Session=close, upstream-error ECONNRESET', async () => {
    const { up, client, events } = await echoGateway();
    const c = await client();
    const id = sessionIdOf(await c.request(OPEN, 'VER 1 MSNP8\r\n'));
    up.sockets[0].write('NLN NLN a@b.c A 0\r\n');
    await new Promise((r) => setTimeout(r, 30));
    up.sockets[0].resetAndDestroy();
    await new Promise((r) => setTimeout(r, 30));
    const p = await c.request(`/gateway/gateway.dll?Action=poll&SessionID=${id}`);
    expect(p.body.toString()).toBe('NLN NLN a@b.c A 0\r\n');
    expect(p.header('X-MSN-Messenger')).toMatch(/; Session=close$/);
    const err = events.find((e) => e.type === 'upstream-error');
    expect(err?.type === 'upstream-error' && err.code).toBe('ECONNRESET');
    const closed = events.find((e) => e.type === 'session-closed');
    expect(closed?.type === 'session-closed' && closed.reason).toBe('upstream-error');
    expect((await c.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(p)}`)).status).toBe(400);
  });

  it('garbage HTTP gets a 400 and a notice, and the gateway keeps serving', async () => {
    const { client, events } = await echoGateway();
    const bad = await client();
    bad.socket.write('THIS IS NOT HTTP\r\n\r\n');
    const r = await bad.read();
    expect(r.status).toBe(400);
    expect(notices(events)).toContain('http-parse-error');
    const good = await client();
    expect((await good.request(OPEN, 'VER 1 MSNP8\r\n')).status).toBe(200);
  });

  it('bind failure: EADDRINUSE rejects listen() with a GatewayBindError', async () => {
    const { port } = await echoGateway();
    const second = createGateway({ port, upstream: { kind: 'tcp', host: '127.0.0.1', port: 1 } });
    const err = await second.listen().then(
      () => null,
      (e: unknown) => e,
    );
    await second.close();
    expect(err).toMatchObject({ name: 'GatewayBindError', code: 'EADDRINUSE', port });
    expect((err as { remedies: string[] }).remedies.length).toBeGreaterThan(0);
  });
});

describe('emulator upstream, injection, close', () => {
  function inProcessEcho() {
    const conns: Array<{ target: { server: string; host: string; port: number }; ended: boolean; push(b: string): void; end(): void }> = [];
    const connect = (target: { server: 'NS' | 'SB'; host: string; port: number }): InProcessConnection => {
      let onData: (b: Uint8Array) => void = () => {};
      let onEnd: () => void = () => {};
      const rec = { target, ended: false, push: (b: string) => onData(Buffer.from(b)), end: () => onEnd() };
      conns.push(rec);
      return {
        write: (b) => onData(b),
        end: () => {
          rec.ended = true;
        },
        onData: (l) => {
          onData = l;
        },
        onEnd: (l) => {
          onEnd = l;
        },
        pause: () => {},
        resume: () => {},
      };
    };
    return { conns, connect };
  }

  it('relays through an in-process connection, injects both ways, and Action=close ends the session', async () => {
    const emu = inProcessEcho();
    const { client, gw, events } = await gateway({ upstream: { kind: 'emulator', connect: emu.connect } });
    const c = await client();
    const r = await c.request(OPEN, 'VER 1 MSNP8\r\n');
    expect(r.body.toString()).toBe('VER 1 MSNP8\r\n');
    expect(emu.conns[0].target).toEqual({ server: 'NS', host: 'messenger.hotmail.com', port: 1863 });
    const sid = sessionIdOf(r).split('.')[0];
    expect(gw.injectToClient(sid, Buffer.from('NLN NLN x@y.z X 0\r\n'))).toBe(true);
    const p = await c.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(r)}`);
    expect(p.body.toString()).toBe('NLN NLN x@y.z X 0\r\n');
    expect(gw.injectToServer(sid, Buffer.from('PNG\r\n'))).toBe(true); // echoed back by the fake
    const p2 = await c.request(`/gateway/gateway.dll?Action=poll&SessionID=${sessionIdOf(p)}`);
    expect(p2.body.toString()).toBe('PNG\r\n');
    const injected = events.filter((e) => e.type === 'bytes' && e.origin === 'injected');
    expect(injected.map((e) => e.type === 'bytes' && e.direction)).toEqual(['server', 'client']);
    const cl = await c.request(`/gateway/gateway.dll?Action=close&SessionID=${sessionIdOf(p2)}`);
    expect(cl.status).toBe(200);
    expect(cl.header('X-MSN-Messenger')).toMatch(/; Session=close$/);
    expect(emu.conns[0].ended).toBe(true);
    expect(gw.sessionCount()).toBe(0);
    const closed = events.find((e) => e.type === 'session-closed');
    expect(closed && closed.type === 'session-closed' && closed.reason).toBe('client-close');
  });

  it('emits http-request with the raw head and body, and http-response with the head sent', async () => {
    const emu = inProcessEcho();
    const { client, events } = await gateway({ upstream: { kind: 'emulator', connect: emu.connect } });
    const c = await client();
    const r = await c.request(OPEN, 'VER 1 MSNP8\r\n', ['User-Agent: MSMSGS']);
    const req = events.find((e) => e.type === 'http-request');
    const res = events.find((e) => e.type === 'http-response');
    if (req?.type !== 'http-request' || res?.type !== 'http-response') throw new Error('missing events');
    expect(Buffer.from(req.head).toString('latin1')).toBe(`POST ${OPEN} HTTP/1.1\r\nHost: gateway.messenger.hotmail.com\r\nUser-Agent: MSMSGS\r\nContent-Length: 13\r\n\r\n`);
    expect(Buffer.from(req.body).toString()).toBe('VER 1 MSNP8\r\n');
    expect(Buffer.from(res.head).toString('latin1')).toBe(r.head);
    expect(res.exchangeId).toBe(req.exchangeId);
    expect(res.timings.forwarded).not.toBeNull();
    const types = events.map((e) => e.type);
    expect(types.indexOf('session-opened')).toBeLessThan(types.indexOf('http-response'));
    expect(types).toContain('session-id-issued');
  });
});
