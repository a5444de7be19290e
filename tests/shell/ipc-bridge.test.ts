// Main's side: one handler per operation, sender checks, structural payload checks, batches.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, FakeWebContents, ipcMain, resetFake } from '../fakes/electron.ts';
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { EventBatch } from '../../shared/api/contract.ts';
import { BATCH_CHANNEL } from '../../electron/shell/channels.ts';
import { forwardBatches, registerIpcBridge } from '../../electron/shell/ipc-bridge.ts';
import type { BridgeApi, IpcMainLike } from '../../electron/shell/ipc-bridge.ts';
import { checkPayload, PAYLOAD_LIMITS } from '../../electron/shell/payload.ts';
import { isRendererUrl, senderRefusal } from '../../electron/shell/sender.ts';

const rendererDir = join('/opt/app/resources/app.asar/out/renderer');
const indexUrl = pathToFileURL(join(rendererDir, 'index.html')).href;

function setup() {
  const window = new FakeWebContents();
  const calls: { op: string; request: unknown }[] = [];
  const api: BridgeApi = {
    call: vi.fn(async (op, request) => {
      calls.push({ op, request });
      if (op === 'sessions.get') throw new Error('sessions.get: id must be a string');
      return { answered: op };
    }),
    onBatch: () => () => {},
  };
  const refused: string[] = [];
  const dispose = registerIpcBridge({
    ipcMain: ipcMain as unknown as IpcMainLike,
    api: () => api,
    windowId: () => window.id,
    rendererDir,
    onRefused: (op, reason) => refused.push(`${op}: ${reason}`),
  });
  const invoke = (op: string, event: { sender: { id: number }; senderFrame?: unknown }, ...args: unknown[]) => fake.handlers.get(op)!(event, ...args);
  const good = { sender: window, senderFrame: { url: indexUrl, parent: null } };
  return { window, api, calls, refused, dispose, invoke, good };
}

describe('registerIpcBridge', () => {
  beforeEach(() => resetFake());
  afterEach(() => resetFake());

  it('registers exactly one handler per contract operation, on the operation name, and removes them', async () => {
    const { dispose } = setup();
    expect([...fake.handlers.keys()].sort()).toEqual([...OPERATION_NAMES].sort());
    expect(ipcMain.handle).toHaveBeenCalledTimes(OPERATION_NAMES.length);
    dispose();
    expect(fake.handlers.size).toBe(0);
  });

  it('answers every operation from the trusted window through the API', async () => {
    const { invoke, good, calls } = setup();
    for (const op of OPERATION_NAMES) {
      const r = await invoke(op, good, { a: 1 });
      if (op === 'sessions.get') expect(r).toEqual({ ok: false, error: 'sessions.get: id must be a string' });
      else expect(r).toEqual({ ok: true, response: { answered: op } });
    }
    expect(calls.map((c) => c.op)).toEqual([...OPERATION_NAMES]);
    // A missing request becomes {} for operations that take none.
    await invoke('status.get', good);
    expect(calls.at(-1)).toEqual({ op: 'status.get', request: {} });
  });

  it('refuses other senders before looking at the payload', async () => {
    const { invoke, good, calls, refused, window } = setup();
    const other = new FakeWebContents();
    const cases: [string, object][] = [
      ['another web contents', { sender: other, senderFrame: good.senderFrame }],
      ['a sub-frame', { sender: window, senderFrame: { url: indexUrl, parent: {} } }],
      ['a remote page', { sender: window, senderFrame: { url: 'https://evil.example/index.html', parent: null } }],
      ['a file outside the renderer', { sender: window, senderFrame: { url: pathToFileURL('/etc/passwd').href, parent: null } }],
      ['a file beside the renderer', { sender: window, senderFrame: { url: pathToFileURL(`${rendererDir}-evil/index.html`).href, parent: null } }],
      ['a destroyed frame', { sender: window, senderFrame: null }],
    ];
    for (const [, event] of cases) {
      const r = (await invoke('capture.clear', event as never, {})) as { ok: boolean; error: string };
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/^capture\.clear: refused: /);
    }
    expect(calls).toHaveLength(0);
    expect(refused).toHaveLength(cases.length);
  });

  it('refuses malformed payloads with a clear message', async () => {
    const { invoke, good, calls } = setup();
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 40; i++) cur = (cur.x = {}) as Record<string, unknown>;
    const bad: [unknown, RegExp][] = [
      ['a string', /must be a plain object/],
      [[1, 2], /must be a plain object/],
      [42, /must be a plain object/],
      [deep, /nested deeper/],
      [{ filter: 'x'.repeat(PAYLOAD_LIMITS.maxBytes) }, /larger than/],
      [JSON.parse('{"__proto__": {"polluted": true}}'), /__proto__ is not an allowed field name/],
      [{ n: Number.NaN }, /finite number/],
      [{ big: 1n }, /must be data/],
    ];
    for (const [payload, message] of bad) {
      const r = (await invoke('commands.query', good, payload)) as { ok: boolean; error: string };
      expect(r.ok, String(payload)).toBe(false);
      expect(r.error).toMatch(message);
    }
    const two = (await invoke('commands.query', good, {}, {})) as { ok: boolean; error: string };
    expect(two).toEqual({ ok: false, error: 'commands.query: takes one request object' });
    expect(calls).toHaveLength(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says so when the inspector is not running', async () => {
    const window = new FakeWebContents();
    registerIpcBridge({ ipcMain: ipcMain as unknown as IpcMainLike, api: () => null, windowId: () => window.id, rendererDir });
    const r = await fake.handlers.get('status.get')!({ sender: window, senderFrame: { url: indexUrl, parent: null } }, {});
    expect(r).toEqual({ ok: false, error: 'status.get: the inspector is not running' });
  });
});

describe('checkPayload', () => {
  it('accepts plain JSON-like data including null-prototype objects and base64 payloads', () => {
    const bare = Object.assign(Object.create(null) as object, { id: 3 });
    expect(checkPayload(bare)).toEqual({ ok: true, value: bare });
    expect(checkPayload({ sessionId: 's', args: ['a', 'b'], payload: 'AAEC', trid: 'auto' }).ok).toBe(true);
    expect(checkPayload(undefined)).toEqual({ ok: true, value: {} });
  });

  it('refuses self-references, class instances and too many keys', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(checkPayload(loop)).toEqual({ ok: false, error: 'self refers to itself' });
    expect(checkPayload({ when: new Date() })).toEqual({ ok: false, error: 'when must be plain data' });
    expect(checkPayload({ list: new Array(PAYLOAD_LIMITS.maxKeys + 1).fill(0) }).ok).toBe(false);
  });
});

describe('senderRefusal and isRendererUrl', () => {
  it('needs a window', () => {
    expect(senderRefusal({ sender: { id: 1 }, senderFrame: { url: indexUrl } }, { windowId: () => null, rendererDir })).toMatch(/inspector window/);
  });
  it('accepts only file URLs under the renderer directory', () => {
    expect(isRendererUrl(indexUrl, rendererDir)).toBe(true);
    expect(isRendererUrl(`${indexUrl}#/sessions`, rendererDir)).toBe(true);
    expect(isRendererUrl(pathToFileURL(rendererDir).href, rendererDir)).toBe(false);
    expect(isRendererUrl(pathToFileURL(join(rendererDir, '..', 'main', 'main.js')).href, rendererDir)).toBe(false);
    expect(isRendererUrl('file://evil.example/opt/app/resources/app.asar/out/renderer/index.html', rendererDir)).toBe(false);
    expect(isRendererUrl('not a url', rendererDir)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1/index.html', rendererDir)).toBe(false);
  });
});

describe('forwardBatches', () => {
  it('sends each batch to the live window only', () => {
    let listener: ((b: EventBatch) => void) | null = null;
    const api: BridgeApi = { call: async () => null, onBatch: (l) => ((listener = l), () => (listener = null)) };
    const wc = new FakeWebContents();
    let target: FakeWebContents | null = null;
    const off = forwardBatches(api, () => target);
    const batch = { seq: 1 } as EventBatch;
    listener!(batch);
    target = wc;
    listener!(batch);
    wc.destroyed = true;
    listener!(batch);
    expect(wc.sent).toEqual([{ channel: BATCH_CHANNEL, args: [batch] }]);
    off();
    expect(listener).toBeNull();
  });
});
