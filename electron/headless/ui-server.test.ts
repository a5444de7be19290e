// The UI listener over real loopback sockets with a fake inspector: the WebSocket transport,
// its guards (token, Origin, Host), its limits, and the static files.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { CommandRecord } from '../../shared/api/contract.ts';
import { waitFor } from '../../tests/harness/bytes.ts';
import { ApiClient, FakeApi, emptyBatch, refusalOf } from './__test__/api-client.ts';
import { startUiServer } from './ui-server.ts';
import type { UiServer, UiServerOptions } from './ui-server.ts';
import { CLOSE_SLOW_CLIENT, NO_ID } from './ws-transport.ts';

let dir: string;
let api: FakeApi;
const servers: UiServer[] = [];
const clients: ApiClient[] = [];
const sockets: net.Socket[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ui-server-'));
  await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1);');
  await writeFile(join(dir, 'secret.txt'), 'SECRET');
  api = new FakeApi();
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(options: Partial<UiServerOptions> = {}): Promise<UiServer> {
  const ui = await startUiServer({ api, rendererDir: join(dir, 'renderer'), ...options });
  servers.push(ui);
  return ui;
}

function apiUrl(ui: UiServer, token: string | null = ui.token, host = `127.0.0.1:${ui.port}`): string {
  return `ws://${host}/api${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
}

async function connect(ui: UiServer, headers: Record<string, string> = { Origin: ui.origin }): Promise<ApiClient> {
  const client = await ApiClient.connect(apiUrl(ui), headers);
  clients.push(client);
  return client;
}

/** A raw HTTP exchange, so paths and Host reach the server exactly as written. */
function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write(request);
  });
}

function command(id: number, pad = 0): CommandRecord {
  return {
    id, sessionId: '123456789', exchangeId: null, direction: 'client', time: id, verb: 'MSG', trid: id,
    args: ['x'.repeat(pad)], payloadLength: null, errorCode: null, malformed: null, size: 10, pairId: null,
    findingIds: [], origin: 'wire',
  };
}

describe('the WebSocket API', () => {
  it('carries every operation of the contract, request and response intact', async () => {
    const ui = await start();
    const client = await connect(ui);
    for (const op of OPERATION_NAMES) {
      const request = { probe: op, n: 1, nested: { list: [1, 'two'] } };
      const result = await client.call(op, request);
      expect(result).toEqual({ kind: 'result', id: expect.any(Number), ok: true, response: { op, request } });
    }
    expect(api.calls.map((c) => c.op)).toEqual([...OPERATION_NAMES]);
  });

  it('answers calls out of order when the inspector does, matched by id', async () => {
    const ui = await start();
    let release!: () => void;
    api.handlers['sessions.list'] = () => new Promise((resolve) => (release = () => resolve(['slow'])));
    const client = await connect(ui);
    const slow = client.call('sessions.list');
    const fast = await client.call('status.get');
    expect(fast.ok).toBe(true);
    release();
    expect(await slow).toMatchObject({ ok: true, response: ['slow'] });
  });

  it('fans batches out to every connected client, in order', async () => {
    const ui = await start();
    const a = await connect(ui);
    const b = await connect(ui, {});
    for (let seq = 1; seq <= 3; seq++) api.emit(emptyBatch(seq, { commands: [command(seq)] }));
    for (const c of [a, b]) {
      await c.until(() => c.batches.length === 3);
      expect(c.batches.map((x) => x.seq)).toEqual([1, 2, 3]);
      expect(c.batches[2].commands[0]).toEqual(command(3));
    }
    await a.close();
    await waitFor(() => ui.clientCount() === 1, 2000, 'the closed client to be gone');
    api.emit(emptyBatch(4));
    await b.until(() => b.batches.length === 4);
  });

  it('answers bad messages with an error result and keeps the connection', async () => {
    const ui = await start();
    const client = await connect(ui);
    client.sendRaw('{not json');
    client.sendRaw('[1,2]');
    client.sendRaw(JSON.stringify({ kind: 'call', id: 'seven', op: 'status.get' }));
    client.sendRaw(Buffer.from([1, 2, 3]), true);
    await client.until(() => client.messages.length === 4);
    for (const m of client.messages) expect(m).toMatchObject({ kind: 'result', id: NO_ID, ok: false, error: expect.any(String) });
    expect(client.messages.map((m) => (m.kind === 'result' && !m.ok ? m.error : ''))).toEqual([
      expect.stringMatching(/invalid JSON/),
      expect.stringMatching(/JSON object/),
      expect.stringMatching(/id must be/),
      expect.stringMatching(/binary/),
    ]);
    expect(await client.call('no.such.op')).toMatchObject({ ok: false, error: 'unknown operation "no.such.op"' });
    client.sendRaw(JSON.stringify({ kind: 'subscribe', id: 77, op: 'status.get' }));
    expect(await client.result(77)).toMatchObject({ ok: false, error: expect.stringMatching(/unknown message kind/) });
    api.handlers['status.get'] = () => Promise.reject(new Error('boom'));
    expect(await client.call('status.get')).toMatchObject({ ok: false, error: 'status.get failed: boom' });
    api.handlers['status.get'] = () => Promise.resolve({ big: 10n });
    expect(await client.call('status.get')).toMatchObject({ ok: false, error: expect.stringMatching(/could not be serialized/) });
    delete api.handlers['status.get'];
    expect(await client.call('status.get')).toMatchObject({ ok: true });
    expect(api.calls.filter((c) => c.op === 'status.get')).toHaveLength(3);
  });

  it('passes a missing request as an empty object', async () => {
    const ui = await start();
    const client = await connect(ui);
    client.sendRaw(JSON.stringify({ kind: 'call', id: 5, op: 'sessions.list' }));
    expect(await client.result(5)).toMatchObject({ ok: true, response: { op: 'sessions.list', request: {} } });
  });

  it('closes the socket with 1009 on a message over the size limit', async () => {
    const ui = await start({ limits: { maxMessageBytes: 4096 } });
    const client = await connect(ui);
    client.sendRaw(JSON.stringify({ kind: 'call', id: 1, op: 'status.get', request: { pad: 'x'.repeat(5000) } }));
    await client.until(() => client.closeInfo);
    expect(client.closeInfo!.code).toBe(1009);
    expect(api.calls).toHaveLength(0);
    // The server lives on for others.
    const other = await connect(ui);
    expect(await other.call('status.get')).toMatchObject({ ok: true });
  });

  it('the default size limit is 1 MiB', async () => {
    const ui = await start();
    const client = await connect(ui);
    const fits = JSON.stringify({ kind: 'call', id: 1, op: 'status.get', request: { pad: 'x'.repeat(1024 * 1024 - 100) } });
    client.sendRaw(fits);
    expect(await client.result(1)).toMatchObject({ ok: true });
    client.sendRaw(JSON.stringify({ kind: 'call', id: 2, op: 'status.get', request: { pad: 'x'.repeat(1024 * 1024) } }));
    await client.until(() => client.closeInfo);
    expect(client.closeInfo!.code).toBe(1009);
  });

  it('limits calls in flight and calls per second per connection', async () => {
    const ui = await start({ limits: { maxInFlight: 2, callsPerSecond: 1, callBurst: 4 } });
    api.handlers['sessions.list'] = () => new Promise(() => {});
    const client = await connect(ui);
    for (let id = 1; id <= 5; id++) client.sendRaw(JSON.stringify({ kind: 'call', id, op: 'sessions.list', request: {} }));
    expect(await client.result(3)).toMatchObject({ ok: false, error: expect.stringMatching(/in flight/) });
    expect(await client.result(4)).toMatchObject({ ok: false, error: expect.stringMatching(/in flight/) });
    expect(await client.result(5)).toMatchObject({ ok: false, error: expect.stringMatching(/rate limit/) });
    expect(api.calls).toHaveLength(2);
  });

  it('refuses more clients than the limit with 503', async () => {
    const ui = await start({ limits: { maxClients: 1 } });
    await connect(ui);
    expect(await refusalOf(apiUrl(ui))).toMatchObject({ status: 503, body: expect.stringMatching(/Too many API clients/) });
  });

  it('coalesces batches for a client that is not reading, losing nothing', async () => {
    const ui = await start({ limits: { softBufferedBytes: 0 } });
    const client = await connect(ui);
    const socket = (client.ws as unknown as { _socket: net.Socket })._socket;
    socket.pause();
    const total = 40;
    const per = 400;
    for (let b = 0; b < total; b++) {
      api.emit(emptyBatch(b + 1, { commands: Array.from({ length: per }, (_, i) => command(b * per + i + 1, 1000)) }));
    }
    socket.resume();
    await client.until(() => client.batches.at(-1)?.seq === total, 10_000);
    const ids = client.batches.flatMap((x) => x.commands.map((c) => c.id));
    expect(ids).toEqual(Array.from({ length: total * per }, (_, i) => i + 1));
    expect(client.batches.length).toBeLessThan(total);
  });

  it('drops a client whose backlog passes the limit, with a clear close reason', async () => {
    const ui = await start({ limits: { softBufferedBytes: 0, maxBacklogRecords: 2000 } });
    const client = await connect(ui);
    const socket = (client.ws as unknown as { _socket: net.Socket })._socket;
    socket.pause();
    for (let b = 0; b < 60 && ui.clientCount() > 0; b++) {
      api.emit(emptyBatch(b + 1, { commands: Array.from({ length: 400 }, (_, i) => command(b * 400 + i + 1, 1000)) }));
    }
    expect(ui.clientCount()).toBe(0);
    socket.resume();
    await client.until(() => client.closeInfo, 5000);
    // The close frame may lose the race with the cut socket; either way it is no longer served.
    expect([CLOSE_SLOW_CLIENT, 1006]).toContain(client.closeInfo!.code);
    if (client.closeInfo!.code === CLOSE_SLOW_CLIENT) expect(client.closeInfo!.reason).toMatch(/slow client: event backlog/);
  });
});

describe('hostile input', () => {
  it('answers any text message with exactly one result and never calls the inspector with a bad one', async () => {
    const ui = await start({ limits: { callsPerSecond: 10_000, callBurst: 10_000 } });
    const client = await connect(ui);
    const message = fc.oneof(
      fc.json(),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.record({ kind: fc.constantFrom('call', 'result', 'events'), id: fc.oneof(fc.integer(), fc.double(), fc.string()), op: fc.oneof(fc.constantFrom(...OPERATION_NAMES), fc.string()), request: fc.anything() }, { requiredKeys: [] }),
    );
    const sent = fc.sample(message, { numRuns: 300, seed: 9 }).map((m) => (typeof m === 'string' ? m : JSON.stringify(m) ?? 'null'));
    for (const text of sent) client.sendRaw(text);
    await client.until(() => client.messages.length >= sent.length, 5000);
    expect(client.messages).toHaveLength(sent.length);
    for (const m of client.messages) expect(m.kind).toBe('result');
    const valid = sent.filter((t) => {
      try {
        const v = JSON.parse(t);
        return v?.kind === 'call' && Number.isSafeInteger(v.id) && v.id >= 0 && (OPERATION_NAMES as readonly string[]).includes(v.op);
      } catch {
        return false;
      }
    });
    expect(api.calls).toHaveLength(valid.length);
    expect(await client.call('status.get')).toMatchObject({ ok: true });
  });

  it('cuts a client that stops answering pings', async () => {
    const ui = await start({ limits: { heartbeatMs: 50 } });
    // A raw handshake, then silence: no pong ever comes back.
    const socket = net.connect(ui.port, '127.0.0.1');
    sockets.push(socket);
    socket.write(`GET /api?token=${ui.token} HTTP/1.1\r\nHost: 127.0.0.1:${ui.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await waitFor(() => ui.clientCount() === 1, 2000, 'the raw client to be accepted');
    await waitFor(() => ui.clientCount() === 0, 2000, 'the silent client to be cut');
    // The server cut the TCP connection too.
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.resume();
    await closed;
  });
});

describe('who may connect', () => {
  it('refuses a missing or wrong token with 403', async () => {
    const ui = await start();
    expect(await refusalOf(apiUrl(ui, null))).toMatchObject({ status: 403, body: expect.stringMatching(/missing or wrong token/) });
    expect(await refusalOf(apiUrl(ui, 'x'.repeat(ui.token.length)))).toMatchObject({ status: 403 });
    expect(await refusalOf(apiUrl(ui, ui.token.slice(1)))).toMatchObject({ status: 403 });
    expect(await refusalOf(apiUrl(ui, ''))).toMatchObject({ status: 403 });
    expect(ui.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a foreign Origin, accepts our own (by address or localhost) and none', async () => {
    const ui = await start();
    for (const origin of ['http://evil.example', `http://evil.example:${ui.port}`, 'null', `https://127.0.0.1:${ui.port}`, `http://127.0.0.1:${ui.port + 1}`, `http://127.0.0.1:${ui.port}.evil.example`]) {
      const refusal = await refusalOf(apiUrl(ui), { Origin: origin });
      expect(refusal, origin).toMatchObject({ status: 403, body: expect.stringMatching(/Origin/) });
    }
    await connect(ui, { Origin: `http://127.0.0.1:${ui.port}` });
    await connect(ui, { Origin: `http://localhost:${ui.port}` });
    await connect(ui, {});
  });

  it('refuses a foreign Host (DNS rebinding) on the API and on the page', async () => {
    const ui = await start();
    for (const host of [`evil.example:${ui.port}`, `127.0.0.1:${ui.port + 1}`, 'evil.example', `127.0.0.2:${ui.port}`]) {
      const refusal = await refusalOf(apiUrl(ui), { Host: host, Origin: `http://${host}` });
      expect(refusal, host).toMatchObject({ status: 403, body: expect.stringMatching(/DNS rebinding/) });
      const page = await rawHttp(ui.port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(page).toMatch(/^HTTP\/1\.1 403 /);
      expect(page).not.toContain('<title>');
    }
    const none = await rawHttp(ui.port, 'GET / HTTP/1.0\r\n\r\n');
    expect(none).toMatch(/^HTTP\/1\.1 403 /);
    const ok = await rawHttp(ui.port, `GET / HTTP/1.1\r\nHost: localhost:${ui.port}\r\nConnection: close\r\n\r\n`);
    expect(ok).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses upgrades to any other path', async () => {
    const ui = await start();
    const refusal = await refusalOf(`ws://127.0.0.1:${ui.port}/other?token=${ui.token}`);
    expect(refusal.status).toBe(404);
  });
});

describe('the static files', () => {
  it('serves the renderer with CSP, nosniff and no-store; the URL carries the token in the fragment', async () => {
    const ui = await start();
    expect(ui.url).toBe(`http://127.0.0.1:${ui.port}/#token=${ui.token}`);
    const res = await fetch(`http://127.0.0.1:${ui.port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>t</title>');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${ui.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const js = await fetch(`http://127.0.0.1:${ui.port}/assets/app.js?v=1`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1);');
    const head = await fetch(`http://127.0.0.1:${ui.port}/index.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it('never serves a file outside the renderer folder', async () => {
    const ui = await start();
    await symlink(join(dir, 'secret.txt'), join(dir, 'renderer', 'link.txt'));
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/link.txt', '/%00', '/%E0%A4%A']) {
      const res = await rawHttp(ui.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${ui.port}\r\nConnection: close\r\n\r\n`);
      expect(res, path).toMatch(/^HTTP\/1\.1 (404|400) /);
      expect(res, path).not.toContain('SECRET');
    }
  });

  it('answers other methods with 405, /api over plain HTTP with 426, missing files with 404', async () => {
    const ui = await start();
    expect((await fetch(`http://127.0.0.1:${ui.port}/`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetch(`http://127.0.0.1:${ui.port}/api?token=${ui.token}`)).status).toBe(426);
    expect((await fetch(`http://127.0.0.1:${ui.port}/nope.js`)).status).toBe(404);
  });

  it('says how to build the UI when out/renderer is missing, and the API still works', async () => {
    const ui = await start({ rendererDir: join(dir, 'not-built') });
    const res = await fetch(`http://127.0.0.1:${ui.port}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
    const client = await connect(ui);
    expect(await client.call('status.get')).toMatchObject({ ok: true });
  });

  it('closes cleanly with clients connected, telling them why', async () => {
    const ui = await start();
    const client = await connect(ui);
    await ui.close();
    await client.until(() => client.closeInfo);
    expect(client.closeInfo).toEqual({ code: 1001, reason: 'inspector shutting down' });
  });
});
