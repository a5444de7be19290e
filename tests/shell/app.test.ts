// The whole shell wired to the real core, with Electron faked: single instance, window and
// session hardening, every operation reachable through the preload bridge from the window only,
// a session from a real gateway request reaching the window as a batch, the port fallback
// notice, settings persisted and applied (port change = gateway restart), menu, crash recovery,
// shutdown.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fakeElectron from '../fakes/electron.ts';
import { app, dialog, fake, FakeBrowserWindow, ipcRenderer, Menu, resetFake, session } from '../fakes/electron.ts';
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { EventBatch, Status } from '../../shared/api/contract.ts';
import type { InspectorBridge } from '../../shared/api/bridge.ts';
import { startCore } from '../../electron/core/compose.ts';
import { runShell } from '../../electron/shell/app.ts';
import type { ShellHandle } from '../../electron/shell/app.ts';
import { actionsIn } from '../../electron/shell/menu.ts';
import type { MenuItem } from '../../electron/shell/menu.ts';
import { createBridge } from '../../electron/shell/preload-bridge.ts';
import { mainWindowOptions } from '../../electron/shell/window.ts';

const rendererDir = '/opt/app/out/renderer';
let dir: string;
let busy: Server;
let busyPort: number;
let handle: ShellHandle;
let win: FakeBrowserWindow;
let bridge: InspectorBridge;
// Mock calls are cleared between tests, so what start-up did is kept here.
let startup: { lockCalls: number; dialogs: unknown[][] };

async function until<T>(what: string, probe: () => T | undefined | null | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  resetFake();
  dir = mkdtempSync(join(tmpdir(), 'shell-app-'));
  app.getPath.mockImplementation(() => dir);
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
  mkdirSync(dir, { recursive: true });
  // The configured gateway port is taken: the shell must fall back to any free port (0).
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ settings: { gateway: { host: '127.0.0.1', port: busyPort, profile: 'faithful', gwIp: null } }, shell: { fallbackPort: 0 } }));
  const h = await runShell(fakeElectron as never, {
    preload: '/opt/app/out/preload/preload.cjs',
    rendererDir,
    indexHtml: join(rendererDir, 'index.html'),
    platform: 'linux',
    startCore: (request) =>
      startCore({ ...request, env: { platform: 'linux', execPath: '/opt/app/app' }, emulator: { nsPort: 0, sbPort: 0, options: { bot: { enabled: false } } as never } }),
  });
  expect(h).not.toBeNull();
  handle = h!;
  await until('the gateway notice', () => dialog.showMessageBox.mock.calls.length > 0);
  startup = { lockCalls: app.requestSingleInstanceLock.mock.calls.length, dialogs: [...dialog.showMessageBox.mock.calls] };
  win = FakeBrowserWindow.all[0];
  fake.rendererState.sender = win.webContents;
  bridge = createBridge(ipcRenderer);
});

afterAll(async () => {
  await handle?.core.close();
  await new Promise<void>((r) => busy.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
  resetFake();
});

describe('runShell', () => {
  it('opens one hardened window on the bundled renderer', () => {
    expect(FakeBrowserWindow.all).toHaveLength(1);
    expect(win.options).toEqual(mainWindowOptions('/opt/app/out/preload/preload.cjs'));
    expect(win.webContents.getURL()).toBe('file:///opt/app/out/renderer/index.html');
    expect(win.webContents.windowOpenHandler).toBeTypeOf('function');
    // The guards come from app 'web-contents-created', so every web contents gets them.
    expect(win.webContents.listenerCount('will-navigate')).toBe(1);
    expect(win.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(session.defaultSession.permissionRequestHandler).toBeTypeOf('function');
    expect(startup.lockCalls).toBe(1);
  });

  it('handles every contract operation, from the window only', async () => {
    expect([...fake.handlers.keys()].sort()).toEqual([...OPERATION_NAMES].sort());
    const status = await bridge.statusGet({});
    expect(status.capturing).toBe(true);
    await expect(bridge.sessionsList({})).resolves.toEqual([]);
    await expect(bridge.commandsGet({ id: 'x' as never })).rejects.toThrow(/commands\.get: /);
    fake.rendererState.sender = new fakeElectron.FakeWebContents();
    await expect(bridge.statusGet({})).rejects.toThrow('status.get: refused: the request did not come from the inspector window');
    fake.rendererState.sender = win.webContents;
    fake.rendererState.frameUrl = 'https://evil.example/';
    await expect(bridge.statusGet({})).rejects.toThrow(/refused: the request came from a page other than/);
    fake.rendererState.frameUrl = null;
  });

  it('falls back from the busy configured port and tells the window plainly, with remedies', async () => {
    const status: Status = await bridge.statusGet({});
    expect(status.gateway.listening).toBe(true);
    expect(status.gateway.port).not.toBe(busyPort);
    expect(status.gateway.error).toContain(`Port ${busyPort} on 127.0.0.1 was refused (another program is already listening on port ${busyPort})`);
    expect(status.gateway.remedies.join('\n')).toMatch(/lsof/);
    const notice = startup.dialogs.find((c) => (c[1] as { title?: string }).title === 'Gateway port');
    expect(startup.dialogs).toHaveLength(1);
    expect(notice).toBeDefined();
    expect((notice![1] as { message: string }).message).toBe(status.gateway.error);
  });

  it('shows a session from a real gateway request in the window, in batches', async () => {
    const { port } = (await bridge.statusGet({})).gateway;
    const res = await fetch(`http://127.0.0.1:${port}/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-msn-messenger' },
      body: 'VER 1 MSNP8 CVR0\r\n',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('VER 1 MSNP8');
    const batch = await until('a batch with the session', () =>
      win.webContents.sent.map((s) => s.args[0] as EventBatch).find((b) => b.sessions.length > 0 && b.commands.some((c) => c.verb === 'VER')),
    );
    expect(win.webContents.sent.every((s) => s.channel === 'events:batch')).toBe(true);
    expect(batch.sessions[0].server).toBe('NS');
    const sessions = await bridge.sessionsList({});
    expect(sessions).toHaveLength(1);
    expect(sessions[0].version).toBe(8);
  });

  it('persists settings and restarts the gateway on a port change', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const current = await bridge.settingsGet({});
    const r = await bridge.settingsSet({ gateway: { ...current.gateway, port }, theme: 'dark' });
    expect(r).toMatchObject({ restartNeeded: true });
    const saved = JSON.parse(readFileSync(handle.settingsFile, 'utf8'));
    expect(saved.settings.gateway.port).toBe(port);
    expect(saved.settings.theme).toBe('dark');
    await until('the gateway on the new port', () => handle.core.gatewayStatus().port === port);
    const status = await bridge.statusGet({});
    expect(status.gateway).toEqual({ listening: true, host: '127.0.0.1', port, error: null, remedies: [] });
  });

  it('builds the menu with open, save/export, pause, clear, view options and the connection guide', async () => {
    const template = (Menu.current as { template: MenuItem[] }).template;
    const actions = actionsIn(template);
    for (const a of ['capture.open', 'capture.save', 'export.har', 'export.pcapng', 'capture.pause', 'capture.clear', 'view.theme.dark', 'view.reload', 'help.guide', 'help.hosts']) {
      expect(actions).toContain(a);
    }
    await handle.runAction('capture.pause');
    expect(actionsIn((Menu.current as { template: MenuItem[] }).template)).toContain('capture.resume');
    expect((await bridge.statusGet({})).capturing).toBe(false);
    await handle.runAction('capture.resume');
    expect((await bridge.statusGet({})).capturing).toBe(true);
    dialog.showMessageBox.mockClear();
    await handle.runAction('help.guide');
    const guide = dialog.showMessageBox.mock.calls[0][1] as { detail: string };
    expect(guide.detail).toContain('127.0.0.1 gateway.messenger.hotmail.com');
    expect(guide.detail).toContain("HTTP-proxy mode");
  });

  it('opens a capture picked in the native dialog through capture.open, and reports failures', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [join(dir, 'missing.ndjson')] });
    dialog.showMessageBox.mockClear();
    await handle.runAction('capture.open');
    const err = dialog.showMessageBox.mock.calls[0][1] as { type: string; message: string; detail: string };
    expect(err.type).toBe('error');
    expect(err.message).toBe('Open capture failed');
    expect(err.detail).toMatch(/missing\.ndjson/);
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: join(dir, 'saved.ndjson') });
    dialog.showMessageBox.mockClear();
    await handle.runAction('capture.save');
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(readFileSync(join(dir, 'saved.ndjson'), 'utf8').length).toBeGreaterThan(0);
  });

  it('reloads a crashed renderer with a notice, and focuses the window for a second instance', () => {
    dialog.showMessageBox.mockClear();
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
    expect((dialog.showMessageBox.mock.calls[0][1] as { message: string }).message).toMatch(/renderer stopped \(crashed, exit code 11\)\. It was reloaded/);
    win.minimized = true;
    app.emit('second-instance', {}, [], '/');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('closes the core before quitting', async () => {
    let prevented = false;
    app.emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await until('quit', () => app.quit.mock.calls.length > 0);
    const log = readFileSync(join(dir, 'last-run.log'), 'utf8');
    expect(log).toMatch(/ start: /);
    expect(log).toMatch(/renderer gone: crashed/);
    expect(log).toMatch(/ stop\n$/);
  });
});

describe('runShell without the single-instance lock', () => {
  it('quits at once and opens nothing', async () => {
    const before = FakeBrowserWindow.all.length;
    app.requestSingleInstanceLock.mockReturnValueOnce(false);
    app.quit.mockClear();
    const h = await runShell(fakeElectron as never, { preload: 'p', rendererDir, indexHtml: 'i', startCore: () => Promise.reject(new Error('must not start')) });
    expect(h).toBeNull();
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(FakeBrowserWindow.all.length).toBe(before);
  });
});
