// The inspector's thread: model, breakpoints, batches and the capture log run here, fed by event
// packs from the main thread, so decoding and recording never hold the gateway's event loop.
// The gateway and the emulator stay on the main thread; injection and account calls go there.
import { getHeapStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type { Settings } from '../../../shared/api/contract.ts';
import type { GatewayEvent } from '../../../shared/api/gateway-events.ts';
import type { AccountsPort } from '../../inspector/accounts-port.ts';
import { createInspectorApi, type InspectorApi } from '../../inspector/api.ts';
import { openHeadlessCapture, type HeadlessCapture } from '../capture-adapter.ts';
import { unpackEvents } from './event-pack.ts';
import { INSPECTOR_THREAD_NICE, lowerHelperThreadsPriority, lowerThreadPriority, type HelperPriorityResult, type PriorityResult } from './thread-priority.ts';
import type { FromWorker, MainCall, ToWorker, WorkerInit } from './protocol.ts';

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (m: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer ?? []);

let nextCall = 1;
const pendingCalls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
function callMain<T>(call: MainCall): Promise<T> {
  const id = nextCall++;
  return new Promise<T>((resolve, reject) => {
    pendingCalls.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ t: 'main-call', id, ...call });
  });
}

const eventListeners = new Set<(e: GatewayEvent) => void>();
let gatewayStatus = init.gatewayStatus;
let api: InspectorApi | null = null;
let capture: HeadlessCapture | null = null;
let wantJson = false;
let wantObjects = false;
let lastActive = false;

function reportActive(): void {
  const active = api?.interceptor.active?.() ?? false;
  if (active !== lastActive) {
    lastActive = active;
    post({ t: 'active', value: active });
  }
}

async function start(): Promise<void> {
  const nice = init.niceness ?? INSPECTOR_THREAD_NICE;
  const level = { ok: false, reason: 'left at the gateway thread\'s priority' } as const;
  const priority: PriorityResult = nice > 0 ? lowerThreadPriority(nice) : level;
  const helperPriority: HelperPriorityResult = nice > 0 ? lowerHelperThreadsPriority(nice) : level;
  if (init.capture) {
    capture = await openHeadlessCapture({
      ...init.capture,
      onError: (error) => post({ t: 'capture-note', kind: 'error', detail: error.message }),
      onRetention: (report) => post({ t: 'capture-note', kind: 'retention', detail: report }),
      onFull: (info) => post({ t: 'capture-note', kind: 'full', detail: info }),
    });
  }
  const accounts: AccountsPort | undefined = init.accounts
    ? {
        list: () => callMain({ method: 'accounts.list' }),
        create: (input) => callMain({ method: 'accounts.create', input }),
        remove: (handle) => callMain({ method: 'accounts.remove', handle }),
      }
    : undefined;
  api = createInspectorApi({
    gateway: {
      onEvent(listener) {
        eventListeners.add(listener);
        return () => eventListeners.delete(listener);
      },
      injectToServer: (sessionId, raw) => callMain<boolean>({ method: 'inject', to: 'server', sessionId, raw }),
      injectToClient: (sessionId, raw) => callMain<boolean>({ method: 'inject', to: 'client', sessionId, raw }),
    },
    ...(init.settings ? { settings: init.settings } : {}),
    gatewayStatus: () => gatewayStatus,
    ...(accounts ? { accounts } : {}),
    ...(capture ? { capture: capture.port } : {}),
    onSettingsChange: (settings: Settings, restartNeeded: boolean) => post({ t: 'settings-changed', settings, restartNeeded }),
    ...(init.model ? { model: init.model } : {}),
    ...(init.batchIntervalMs !== undefined ? { batchIntervalMs: init.batchIntervalMs } : {}),
    ...(init.maxCommandsPerBatch !== undefined ? { maxCommandsPerBatch: init.maxCommandsPerBatch } : {}),
    ...(init.maxRecordsPerBatch !== undefined ? { maxRecordsPerBatch: init.maxRecordsPerBatch } : {}),
    ...(init.sweepIntervalMs !== undefined ? { sweepIntervalMs: init.sweepIntervalMs } : {}),
  });
  // Serialized here, once, so the main thread only hands the text to its WebSocket clients.
  api.onBatch((batch) => {
    if (wantJson) post({ t: 'batch-json', json: JSON.stringify({ kind: 'events', batch }) });
    if (wantObjects) post({ t: 'batch', batch });
  });
  post({ t: 'ready', captureFile: capture?.writer.currentFile ?? null, captureFirstFile: capture?.writer.segmentFiles[0] ?? null, priority, helperPriority });
}

/** This thread's heap in use after full collections (memory reports: soak, load benchmarks). */
async function heapAfterGc(): Promise<number> {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return getHeapStatistics().used_heap_size;
}

async function close(): Promise<void> {
  api?.close();
  await capture?.close();
  post({ t: 'closed' });
  port.close();
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'events': {
      const events = unpackEvents(m);
      for (const e of events) for (const l of eventListeners) l(e);
      post({ t: 'ack', events: events.length });
      return;
    }
    // The breakpoint state goes out before the result, so once a call resolves on the main thread
    // the gateway already holds what it set.
    case 'call':
      api!.call(m.op as never, m.request).then(
        (value) => {
          reportActive();
          post({ t: 'result', id: m.id, ok: true, value });
        },
        (err: Error) => {
          reportActive();
          post({ t: 'result', id: m.id, ok: false, error: err.message });
        },
      );
      return;
    case 'dispatch':
      void api!.dispatch(m.message).then((value) => {
        reportActive();
        post({ t: 'result', id: m.id, ok: true, value });
      });
      return;
    case 'intercept': {
      const decision = api!.interceptor.intercept(m.sessionId, m.direction, m.raw);
      if (decision === 'pass') post({ t: 'decision', id: m.id, decision });
      else
        decision.then(
          (d) => post({ t: 'decision', id: m.id, decision: d }),
          () => post({ t: 'decision', id: m.id, decision: 'pass' }),
        );
      return;
    }
    case 'reply': {
      const p = pendingCalls.get(m.id);
      pendingCalls.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
      return;
    }
    case 'batches':
      wantJson = m.json;
      wantObjects = m.objects;
      return;
    case 'gateway-status':
      gatewayStatus = m.status;
      return;
    case 'heap':
      void heapAfterGc().then((value) => post({ t: 'result', id: m.id, ok: true, value }));
      return;
    case 'heap-snapshot':
      post({ t: 'result', id: m.id, ok: true, value: writeHeapSnapshot(m.file) });
      return;
    case 'flush':
      api?.flush();
      return;
    case 'close':
      void close();
      return;
  }
});

start().catch((error: Error) => post({ t: 'start-failed', error: error.message }));
