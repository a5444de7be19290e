// Main-process side of the bridge: one ipcMain.handle per operation (its own channel), each
// checking the sender and the request's structure before the inspector API validates it fully.
// Event batches go to the window on BATCH_CHANNEL.
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { EventBatch, OperationName } from '../../shared/api/contract.ts';
import { BATCH_CHANNEL } from './channels.ts';
import type { IpcResult } from './channels.ts';
import { checkPayload } from './payload.ts';
import { senderRefusal } from './sender.ts';
import type { SenderEvent, SenderPolicy } from './sender.ts';

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface BridgeApi {
  call(op: OperationName, request: unknown): Promise<unknown>;
  onBatch(listener: (batch: EventBatch) => void): () => void;
}

export interface IpcBridgeOptions extends SenderPolicy {
  ipcMain: IpcMainLike;
  /** Resolved at each call, so the core can be replaced (e.g. after a restart) without re-registering. */
  api: () => BridgeApi | null;
  /** Told about refused calls (a log line); never about the payload. */
  onRefused?: (op: OperationName, reason: string) => void;
}

export function registerIpcBridge(options: IpcBridgeOptions): () => void {
  for (const op of OPERATION_NAMES) {
    options.ipcMain.handle(op, async (event, ...args): Promise<IpcResult> => {
      const refusal = senderRefusal(event, options);
      if (refusal) {
        options.onRefused?.(op, refusal);
        return { ok: false, error: `${op}: refused: ${refusal}` };
      }
      if (args.length > 1) return { ok: false, error: `${op}: takes one request object` };
      const checked = checkPayload(args[0]);
      if (!checked.ok) return { ok: false, error: `${op}: ${checked.error}` };
      const api = options.api();
      if (!api) return { ok: false, error: `${op}: the inspector is not running` };
      try {
        return { ok: true, response: await api.call(op, checked.value) };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    });
  }
  return () => {
    for (const op of OPERATION_NAMES) options.ipcMain.removeHandler(op);
  };
}

export interface BatchTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Sends every batch to the current window (if any); returns the unsubscribe function. */
export function forwardBatches(api: BridgeApi, target: () => BatchTarget | null): () => void {
  return api.onBatch((batch) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(BATCH_CHANNEL, batch);
  });
}
