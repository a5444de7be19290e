// The preload exposes exactly the contract's named methods plus onBatch, each on its own channel.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contextBridge, fake, ipcMain, ipcRenderer, resetFake } from '../fakes/electron.ts';
import { BRIDGE_GLOBAL, BRIDGE_METHODS } from '../../shared/api/bridge.ts';
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { InspectorBridge } from '../../shared/api/bridge.ts';
import { BATCH_CHANNEL } from '../../electron/shell/channels.ts';

// The preload runs once, at import, like in Electron; the calls it made are checked first.
let exposed: Record<string, unknown>;
let exposeCalls = 0;
beforeAll(async () => {
  await import('../../electron/preload.ts');
  exposed = contextBridge.exposed.get(BRIDGE_GLOBAL) as Record<string, unknown>;
  exposeCalls = contextBridge.exposeInMainWorld.mock.calls.length;
});

async function loadPreload(): Promise<Record<string, unknown>> {
  expect(exposed).toBeTypeOf('object');
  return exposed;
}

describe('preload', () => {
  beforeEach(() => resetFake());
  afterEach(() => resetFake());

  it('exposes one named method per operation plus onBatch, and nothing generic', async () => {
    const bridge = await loadPreload();
    expect(exposeCalls).toBe(1);
    const expected = [...Object.values(BRIDGE_METHODS), 'onBatch'].sort();
    expect(Object.keys(bridge).sort()).toEqual(expected);
    expect(Object.keys(bridge)).toHaveLength(OPERATION_NAMES.length + 1);
    for (const key of Object.keys(bridge)) expect(bridge[key]).toBeTypeOf('function');
    for (const generic of ['invoke', 'send', 'call', 'on', 'ipcRenderer']) expect(bridge).not.toHaveProperty(generic);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes each operation on its own channel with the request, and unwraps the answer', async () => {
    const bridge = (await loadPreload()) as unknown as InspectorBridge;
    for (const op of OPERATION_NAMES) {
      ipcMain.handle(op, async (_event: unknown, request: unknown) => ({ ok: true, response: { op, request } }));
    }
    for (const op of OPERATION_NAMES) {
      const method = (bridge as unknown as Record<string, (r: unknown) => Promise<unknown>>)[BRIDGE_METHODS[op]];
      await expect(method({ probe: op })).resolves.toEqual({ op, request: { probe: op } });
      expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(op, { probe: op });
    }
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(OPERATION_NAMES.length);
  });

  it('turns an error answer into a rejected Error with the message, and a malformed answer into a clear error', async () => {
    const bridge = (await loadPreload()) as unknown as InspectorBridge;
    ipcMain.handle('sessions.get', async () => ({ ok: false, error: 'sessions.get: id must be a string' }));
    ipcMain.handle('status.get', async () => 'garbage');
    await expect(bridge.sessionsGet({ id: 'x' })).rejects.toThrow('sessions.get: id must be a string');
    await expect(bridge.statusGet({})).rejects.toThrow('status.get: the main process sent an answer of the wrong shape');
  });

  it('onBatch delivers batches without the IPC event, and unsubscribes once', async () => {
    const bridge = (await loadPreload()) as unknown as InspectorBridge;
    const got: unknown[][] = [];
    const off = bridge.onBatch((...args: unknown[]) => got.push(args));
    expect(ipcRenderer.on).toHaveBeenCalledWith(BATCH_CHANNEL, expect.any(Function));
    fake.deliverToRenderer(BATCH_CHANNEL, { seq: 1 });
    expect(got).toEqual([[{ seq: 1 }]]);
    off();
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledTimes(1);
    expect(fake.rendererListenerCount(BATCH_CHANNEL)).toBe(0);
    fake.deliverToRenderer(BATCH_CHANNEL, { seq: 2 });
    expect(got).toHaveLength(1);
    expect(() => bridge.onBatch('nope' as never)).toThrow(TypeError);
  });
});
