// The desktop core with its inspector on its own thread (the default) and on the main thread:
// real gateways on 127.0.0.1, a real TCP upstream, a real worker and capture log. Only the
// Electron shell is absent (tests/shell/app.test.ts runs it on this core with Electron faked).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings, Status } from '../../shared/api/contract.ts';
import { RawClient, sessionIdOf, startUpstream } from '../gateway/__test__/raw-http.ts';
import type { TestUpstream } from '../gateway/__test__/raw-http.ts';
import { DEFAULT_SETTINGS } from '../inspector/settings.ts';
import { startCore } from './compose.ts';
import type { CoreStartOptions, DesktopCore } from './compose.ts';

const OPEN = '/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const open: Array<{ close(): unknown }> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function until<T>(what: string, get: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

async function busyServer(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  open.push({ close: () => new Promise<void>((r) => server.close(() => r())) });
  return { server, port: (server.address() as { port: number }).port };
}

interface Rig {
  core: DesktopCore;
  up: TestUpstream;
  dataDir: string;
  warnings: string[];
  saved: Settings[];
  statuses: Status['gateway'][];
}

async function start(extra: { port?: number; thread?: CoreStartOptions['inspectorThread']; capture?: string | false } = {}): Promise<Rig> {
  const up = await startUpstream(); // echoes, like a server acknowledging each command
  open.push(up);
  const dataDir = mkdtempSync(join(tmpdir(), 'core-'));
  dirs.push(dataDir);
  const warnings: string[] = [];
  const saved: Settings[] = [];
  const statuses: Status['gateway'][] = [];
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    gateway: { host: '127.0.0.1', port: extra.port ?? (await freePort()), profile: 'faithful', gwIp: null },
    upstream: { kind: 'tcp', host: '127.0.0.1', port: up.port },
    retention: { ...DEFAULT_SETTINGS.retention, diskMegabytes: 64 },
  };
  const core = await startCore({
    dataDir,
    settings,
    fallbackPort: 0,
    env: { platform: 'linux', execPath: '/opt/app/app' },
    emulator: false,
    gatewayTuning: { quietMs: 10, replyCapMs: 500 },
    ...(extra.capture !== undefined ? { capture: extra.capture } : {}),
    ...(extra.thread !== undefined ? { inspectorThread: extra.thread } : {}),
    onSettingsChange: (s) => saved.push(s),
    onGatewayStatus: (s) => statuses.push(s),
    warn: (m) => warnings.push(m),
  });
  open.push(core);
  return { core, up, dataDir, warnings, saved, statuses };
}

/** Opens a session on the gateway at `port` and waits until the inspector has decoded it. */
async function decodedSession(core: DesktopCore, port: number): Promise<string> {
  const client = await RawClient.open(port);
  open.push(client);
  const r = await client.request(OPEN, 'VER 1 MSNP8 CVR0\r\n');
  expect(r.body.toString()).toBe('VER 1 MSNP8 CVR0\r\n');
  const id = sessionIdOf(r);
  // The model keeps its own session id and lists the gateway's SessionIDs with it.
  const session = await until('the session decoded', async () =>
    (await core.api.call('sessions.list', {})).find((s) => s.gatewaySessionIds.includes(id) && s.version === 8),
  );
  return session.id;
}

/** Threads of this process (Linux): the inspector's thread has its own kernel id. */
const threadAlive = (tid: number): boolean => existsSync(`/proc/${process.pid}/task/${tid}`);

describe('the desktop core with the inspector on its own thread (default)', () => {
  it('decodes a real gateway session on the thread and records it in the capture log; close() ends the thread', async () => {
    const { core, dataDir, warnings } = await start();
    const thread = core.inspectorThread;
    expect(thread).not.toBeNull();
    expect(core.api).toBe(thread);
    const tid = thread!.priority.ok ? thread!.priority.tid : null;
    if (process.platform === 'linux') {
      // A thread of its own (not the gateway's), lowered below the gateway's priority.
      expect(tid).not.toBeNull();
      expect(tid).not.toBe(process.pid);
      expect(threadAlive(tid!)).toBe(true);
      // V8's helper threads go down with it: the desktop core makes the same call as headless.
      expect(thread!.helperPriority).toMatchObject({ ok: true, nice: 10 });
    }
    const { port } = core.gatewayStatus();
    const id = await decodedSession(core, port);
    const page = await core.api.call('commands.query', { sessionId: id });
    expect(page.items.map((c) => [c.direction, c.verb])).toEqual([
      ['client', 'VER'],
      ['server', 'VER'],
    ]);
    const status = await core.api.call('status.get', {});
    expect(status.gateway).toEqual(core.gatewayStatus());
    expect(status.gateway).toEqual({ listening: true, host: '127.0.0.1', port, error: null, remedies: [] });
    // The capture log is written by the thread, in DATA_DIR/captures.
    expect(status.captureFile).not.toBeNull();
    expect(status.captureFile!.startsWith(join(dataDir, 'captures'))).toBe(true);
    expect(thread!.capture?.firstFile).toBe(status.captureFile);

    await core.close();
    if (tid !== null) expect(threadAlive(tid)).toBe(false);
    await expect(core.api.call('status.get', {})).rejects.toThrow('the inspector is closed');
    // Closed after the gateway, so the log holds the session and its end, flushed.
    const files = readdirSync(join(dataDir, 'captures'));
    expect(files.length).toBeGreaterThan(0);
    const log = files.map((f) => readFileSync(join(dataDir, 'captures', f), 'utf8')).join('');
    expect(log).toContain(id);
    expect(log).toContain(b64('VER 1 MSNP8 CVR0\r\n'));
    expect(warnings).toEqual([]);
  });

  it('falls back from a busy port: status.get on the thread reports what the core reports, after a restart too', async () => {
    const busy = await busyServer();
    const { core, statuses, warnings } = await start({ port: busy.port });
    const first = core.gatewayStatus();
    expect(first.listening).toBe(true);
    expect(first.port).not.toBe(busy.port);
    expect(first.error).toContain(`Port ${busy.port} on 127.0.0.1 was refused`);
    expect(first.remedies.length).toBeGreaterThan(0);
    expect(warnings.some((w) => w.includes(`Port ${busy.port}`))).toBe(true);
    expect((await core.api.call('status.get', {})).gateway).toEqual(first);
    expect(statuses.at(-1)).toEqual(first);

    // The user picks another fallback port: the thread learns the new status.
    const chosen = await freePort();
    const next = await core.restartGateway(chosen);
    expect(next.port).toBe(chosen);
    expect(next.error).toContain(`Port ${busy.port} on 127.0.0.1 was refused`);
    expect((await core.api.call('status.get', {})).gateway).toEqual(next);
    expect(statuses.at(-1)).toEqual(next);
    await decodedSession(core, chosen);
  });

  it('a settings change that needs a restart restarts the gateway; the new one feeds the thread', async () => {
    const { core, saved, statuses } = await start();
    const before = core.gatewayStatus().port;
    await decodedSession(core, before);
    const port = await freePort();
    const current = await core.api.call('settings.get', {});
    const r = await core.api.call('settings.set', { gateway: { ...current.gateway, port }, theme: 'dark' });
    expect(r).toMatchObject({ restartNeeded: true });
    expect(saved.at(-1)).toMatchObject({ gateway: { port }, theme: 'dark' });
    await until('the gateway on the new port', () => core.gatewayStatus().port === port);
    const expected = { listening: true, host: '127.0.0.1', port, error: null, remedies: [] };
    expect((await core.api.call('status.get', {})).gateway).toEqual(expected);
    expect(statuses.at(-1)).toEqual(expected);
    // The old listener is gone; sessions on the new one reach the thread's model.
    await expect(RawClient.open(before)).rejects.toThrow();
    await decodedSession(core, port);
    expect((await core.api.call('sessions.list', {})).length).toBe(2);
    // A change that needs no restart leaves the gateway alone.
    const same = await core.api.call('settings.set', { theme: 'light' });
    expect(same).toMatchObject({ restartNeeded: false });
    expect(core.gatewayStatus().port).toBe(port);
  });

  it('breakpoints set through the thread hold the gateway relay until the user decides', async () => {
    const { core, up } = await start({ capture: false });
    const { port } = core.gatewayStatus();
    const client = await RawClient.open(port);
    open.push(client);
    const id = sessionIdOf(await client.request(OPEN, 'VER 1 MSNP8 CVR0\r\n'));
    const bp = await core.api.call('breakpoints.set', { filter: 'verb:CHG', direction: 'client', enabled: true });
    expect(bp).toMatchObject({ filter: 'verb:CHG', enabled: true });
    const reply = client.request(`/gateway/gateway.dll?SessionID=${id}`, 'CHG 6 NLN 0\r\n');
    const held = await until('a held command', async () => (await core.api.call('breakpoints.list', {})).held[0]);
    expect(Buffer.from(held.raw, 'base64').toString()).toBe('CHG 6 NLN 0\r\n');
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\n');
    expect(await core.api.call('held.forward', { id: held.id, raw: b64('CHG 6 BSY 0\r\n') })).toMatchObject({ ok: true });
    expect((await reply).body.toString()).toBe('CHG 6 BSY 0\r\n');
    expect(up.receivedAll().toString()).toBe('VER 1 MSNP8 CVR0\r\nCHG 6 BSY 0\r\n');
    expect((await core.api.call('status.get', {})).captureFile).toBeNull();
  });

  it('a worker that cannot start is reported, and the inspector runs on the main thread instead', async () => {
    const missing = join(tmpdir(), `no-such-inspector-worker-${process.pid}.js`);
    const { core, warnings } = await start({ thread: { workerUrl: missing } });
    expect(core.inspectorThread).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^The inspector's thread could not start: .+\. The inspector runs on the main thread instead\.$/);
    expect(warnings[0]).toContain('no-such-inspector-worker');
    await decodedSession(core, core.gatewayStatus().port);
  });

  it('a capture directory that cannot be made fails the start with its cause, nothing left listening', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'core-bad-'));
    dirs.push(dataDir);
    const blocker = join(dataDir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const port = await freePort();
    const warnings: string[] = [];
    await expect(
      startCore({
        dataDir,
        settings: { ...DEFAULT_SETTINGS, gateway: { host: '127.0.0.1', port, profile: 'faithful', gwIp: null }, upstream: { kind: 'tcp', host: '127.0.0.1', port: 9 } },
        fallbackPort: 0,
        env: { platform: 'linux', execPath: '/opt/app/app' },
        emulator: false,
        capture: join(blocker, 'captures'),
        warn: (m) => warnings.push(m),
      }),
    ).rejects.toThrow(/not-a-dir/);
    expect(warnings.some((w) => w.startsWith("The inspector's thread could not start:"))).toBe(true);
    // The gateway it had opened is closed again.
    await expect(RawClient.open(port)).rejects.toThrow();
  });
});

describe('the desktop core with the emulator and the inspector on its thread', () => {
  it("answers accounts operations from the thread with the main thread's account store", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'core-emu-'));
    dirs.push(dataDir);
    const core = await startCore({
      dataDir,
      settings: { ...DEFAULT_SETTINGS, gateway: { host: '127.0.0.1', port: await freePort(), profile: 'faithful', gwIp: null } },
      fallbackPort: 0,
      env: { platform: 'linux', execPath: '/opt/app/app' },
      capture: false,
      emulator: { nsPort: 0, sbPort: 0, options: { bot: { enabled: false } } as never },
      warn: () => undefined,
    });
    open.push(core);
    expect(core.inspectorThread).not.toBeNull();
    expect(await core.api.call('accounts.create', { handle: 'thread.tester@example.com', password: 'secret1', friendlyName: 'Tester' })).toEqual({ ok: true });
    expect(core.emulator!.accounts.list().map((a) => a.handle)).toContain('thread.tester@example.com');
    const listed = await core.api.call('accounts.list', {});
    expect(listed).toContainEqual({ handle: 'thread.tester@example.com', friendlyName: 'Tester', online: false });
    expect((await core.api.call('status.get', {})).gateway).toEqual(core.gatewayStatus());
  });
});

describe('the desktop core with inspectorThread: false', () => {
  it('keeps the inspector on the main thread: sessions, capture, restarts and status work as before', async () => {
    const { core, dataDir, saved } = await start({ thread: false });
    expect(core.inspectorThread).toBeNull();
    const id = await decodedSession(core, core.gatewayStatus().port);
    const status = await core.api.call('status.get', {});
    expect(status.gateway).toEqual(core.gatewayStatus());
    expect(status.captureFile!.startsWith(join(dataDir, 'captures'))).toBe(true);
    const port = await freePort();
    const current = await core.api.call('settings.get', {});
    expect(await core.api.call('settings.set', { gateway: { ...current.gateway, port } })).toMatchObject({ restartNeeded: true });
    expect(saved.at(-1)?.gateway.port).toBe(port);
    await until('the gateway on the new port', () => core.gatewayStatus().port === port);
    expect((await core.api.call('status.get', {})).gateway.port).toBe(port);
    await decodedSession(core, port);
    await core.close();
    const log = readdirSync(join(dataDir, 'captures'))
      .map((f) => readFileSync(join(dataDir, 'captures', f), 'utf8'))
      .join('');
    expect(log).toContain(id);
  });
});
