// Builds the object the preload exposes as `window.msnInspector`: one named method per operation
// (BRIDGE_METHODS), each invoking its own channel, plus onBatch. Kept apart from preload.ts so it
// can be tested without Electron; it only needs an ipcRenderer-shaped object.
import { BRIDGE_METHODS } from '../../shared/api/bridge.ts';
import type { InspectorBridge } from '../../shared/api/bridge.ts';
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { EventBatch } from '../../shared/api/contract.ts';
import { BATCH_CHANNEL } from './channels.ts';
import type { IpcResult } from './channels.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function unwrap(result: unknown, op: string): unknown {
  const r = result as IpcResult | null;
  if (r && typeof r === 'object' && r.ok === true) return r.response;
  if (r && typeof r === 'object' && r.ok === false && typeof r.error === 'string') throw new Error(r.error);
  throw new Error(`${op}: the main process sent an answer of the wrong shape`);
}

export function createBridge(ipc: IpcRendererLike): InspectorBridge {
  const bridge: Record<string, unknown> = {};
  for (const op of OPERATION_NAMES) {
    bridge[BRIDGE_METHODS[op]] = async (request: unknown) => unwrap(await ipc.invoke(op, request ?? {}), op);
  }
  bridge.onBatch = (listener: (batch: EventBatch) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onBatch needs a function');
    // The IPC event object (with its sender) never reaches the page: only the batch does.
    const forward = (_event: unknown, batch: unknown) => listener(batch as EventBatch);
    ipc.on(BATCH_CHANNEL, forward);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(BATCH_CHANNEL, forward);
    };
  };
  return Object.freeze(bridge) as unknown as InspectorBridge;
}
