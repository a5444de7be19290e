// Messages between the main thread (gateway, emulator, UI listener) and the inspector's thread
// (model, breakpoints, batches, capture log). One port carries both ways, so every message keeps
// its order against the event packs: an intercept never overtakes the events before it.
import type { EventBatch, Settings, Status } from '../../../shared/api/contract.ts';
import type { InterceptDecision } from '../../gateway/types.ts';
import type { ModelOptions } from '../../inspector/model/model.ts';
import type { EventPack } from './event-pack.ts';
import type { HelperPriorityResult, PriorityResult } from './thread-priority.ts';

export interface WorkerCaptureOptions {
  dir?: string;
  file?: string;
  appVersion: string;
  diskBytes?: number;
  segmentBytes?: number;
}

/** What the inspector's thread is started with (workerData: structured-clonable). */
export interface WorkerInit {
  settings?: Partial<Settings>;
  gatewayStatus: Status['gateway'];
  accounts: boolean;
  capture: WorkerCaptureOptions | null;
  model?: Partial<Omit<ModelOptions, 'memoryCommands'>>;
  batchIntervalMs?: number;
  maxCommandsPerBatch?: number;
  maxRecordsPerBatch?: number;
  sweepIntervalMs?: number;
  /** Niceness the thread lowers itself to (Linux; default INSPECTOR_THREAD_NICE, 0 leaves it). */
  niceness?: number;
}

export type ToWorker =
  | ({ t: 'events' } & EventPack)
  | { t: 'call'; id: number; op: string; request: unknown }
  | { t: 'dispatch'; id: number; message: unknown }
  | { t: 'intercept'; id: number; sessionId: string; direction: 'client' | 'server'; raw: Uint8Array }
  | { t: 'reply'; id: number; ok: true; value: unknown }
  | { t: 'reply'; id: number; ok: false; error: string }
  | { t: 'batches'; json: boolean; objects: boolean }
  | { t: 'gateway-status'; status: Status['gateway'] }
  | { t: 'heap'; id: number }
  | { t: 'heap-snapshot'; id: number; file: string }
  | { t: 'flush' }
  | { t: 'close' };

/** Calls the inspector makes to the main thread's gateway and emulator. */
export type MainCall =
  | { method: 'inject'; to: 'server' | 'client'; sessionId: string; raw: Uint8Array }
  | { method: 'accounts.list' }
  | { method: 'accounts.create'; input: { handle: string; password: string; friendlyName?: string } }
  | { method: 'accounts.remove'; handle: string };

export type FromWorker =
  | { t: 'ready'; captureFile: string | null; captureFirstFile: string | null; priority: PriorityResult; helperPriority: HelperPriorityResult }
  | { t: 'start-failed'; error: string }
  | { t: 'batch-json'; json: string }
  | { t: 'batch'; batch: EventBatch }
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: string }
  | { t: 'decision'; id: number; decision: 'pass' | InterceptDecision }
  | { t: 'active'; value: boolean }
  | ({ t: 'main-call'; id: number } & MainCall)
  | { t: 'capture-note'; kind: 'error' | 'retention' | 'full'; detail: unknown }
  | { t: 'settings-changed'; settings: Settings; restartNeeded: boolean }
  | { t: 'ack'; events: number }
  | { t: 'closed' };
