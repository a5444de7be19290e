// IPC channel names shared by the preload and main. Each operation has its own channel, named
// exactly like the operation, so there is no generic channel a compromised renderer could steer.
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { OperationName } from '../../shared/api/contract.ts';

/** Main -> renderer: one EventBatch per message. */
export const BATCH_CHANNEL = 'events:batch';

const OPERATIONS = new Set<string>(OPERATION_NAMES);

export function isOperationChannel(channel: string): channel is OperationName {
  return OPERATIONS.has(channel);
}

/** What every operation channel answers: the preload turns `ok: false` into a rejected Error. */
export type IpcResult = { ok: true; response: unknown } | { ok: false; error: string };
