// The main thread's side of the inspector's thread: an InspectorApi whose work happens in a
// worker. Gateway events are packed and posted every few milliseconds; breakpoints stay
// exact (while any is active every command waits for the worker's decision, in order).
import { Worker } from 'node:worker_threads';
import type { EventBatch, OperationName, OperationResponse, Settings, Status } from '../../../shared/api/contract.ts';
import type { GatewayEvent } from '../../../shared/api/gateway-events.ts';
import type { CommandInterceptor, Gateway, InterceptDecision } from '../../gateway/types.ts';
import type { AccountsPort } from '../../inspector/accounts-port.ts';
import { ApiError, type InspectorApi, type ResultMessage } from '../../inspector/api.ts';
import type { CaptureFullInfo, RetentionReport } from '../../capture/index.ts';
import { EventPacker } from './event-pack.ts';
import type { FromWorker, MainCall, ToWorker, WorkerInit } from './protocol.ts';
import { startThreadPoolHere, type HelperPriorityResult, type PriorityResult } from './thread-priority.ts';

/** Past this many events a pack goes at once instead of at the end of its interval. */
const MAX_PACK_EVENTS = 2000;
/**
 * How long events gather before they cross. One pack per turn of the event loop meant, below
 * saturation, about one message (and one ack back) per HTTP request, each waking the other thread:
 * at 5,000 sessions that cost the server process about a tenth of a core (bench:load). 8 ms is far
 * below the UI's batch interval, so nothing a user sees comes later.
 */
export const DEFAULT_PACK_INTERVAL_MS = 8;
/** Events sent but not yet handled by the inspector's thread, at most (memory stays bounded). */
const DEFAULT_MAX_PENDING_EVENTS = 200_000;

export interface InspectorThreadOptions extends Omit<WorkerInit, 'accounts'> {
  gateway: Pick<Gateway, 'onEvent' | 'injectToClient' | 'injectToServer'>;
  accounts?: AccountsPort;
  onSettingsChange?: (settings: Settings, restartNeeded: boolean) => void;
  onCaptureError?: (message: string) => void;
  onCaptureRetention?: (report: RetentionReport) => void;
  onCaptureFull?: (info: CaptureFullInfo) => void;
  /** The thread failed after it started: the gateway goes on relaying, nothing more is recorded. */
  onThreadError?: (error: Error) => void;
  /**
   * Events the inspector's thread may lag behind by; past it events are not recorded (the relay
   * is not affected) and a notice says how many, once it has caught up.
   */
  maxPendingEvents?: number;
  /** Gateway events gather this long before they cross to the thread (default 8 ms). */
  packIntervalMs?: number;
  /**
   * The worker's entry: a file URL or an absolute path (default worker-main.ts beside this file;
   * a bundled app passes its built worker, since the bundle has no worker-main.ts beside it).
   */
  workerUrl?: URL | string;
}

export interface InspectorThread extends InspectorApi {
  /** Batches as the text of a `{kind:'events', batch}` message, serialized on the inspector's thread. */
  onBatchJson(listener: (json: string) => void): () => void;
  setGatewayStatus(status: Status['gateway']): void;
  /** The capture log being written, if any (first segment and current one). */
  readonly capture: { firstFile: string; currentFile: string | null } | null;
  /** Whether the thread runs below the gateway's priority (see thread-priority.ts), or why not. */
  readonly priority: PriorityResult;
  /** Whether V8's helper threads (garbage collection) were lowered with it, or why not. */
  readonly helperPriority: HelperPriorityResult;
  /** Closes the inspector and its capture log (flushed), then ends the thread. */
  shutdown(): Promise<void>;
  /** The inspector thread's heap in use after full collections, in bytes. */
  heapAfterGc(): Promise<number>;
  /** Writes the inspector thread's heap snapshot to `file` (diagnostics: bench:load). */
  writeHeapSnapshot(file: string): Promise<string>;
  /** Packs and events posted to the thread so far (diagnostics; the packing test reads it). */
  packStats(): { packs: number; events: number };
}

export async function startInspectorThread(options: InspectorThreadOptions): Promise<InspectorThread> {
  const { gateway, accounts, onSettingsChange, onCaptureError, onCaptureRetention, onCaptureFull, onThreadError, maxPendingEvents, packIntervalMs, workerUrl, ...rest } = options;
  const packInterval = packIntervalMs ?? DEFAULT_PACK_INTERVAL_MS;
  const maxPending = maxPendingEvents ?? DEFAULT_MAX_PENDING_EVENTS;
  const init: WorkerInit = { ...rest, accounts: accounts !== undefined };
  await startThreadPoolHere();
  const worker = new Worker(workerUrl ?? new URL('./worker-main.ts', import.meta.url), { workerData: init });
  const send = (m: ToWorker, transfer?: ArrayBuffer[]): void => worker.postMessage(m, transfer ?? []);

  const packer = new EventPacker();
  let ready = false;
  let packQueued = false;
  let packsSent = 0;
  let eventsSent = 0;
  let closed = false;
  const flushPack = (): void => {
    packQueued = false;
    if (!ready || closed || packer.size === 0) return;
    const pack = packer.take();
    packsSent++;
    eventsSent += pack.events.length;
    send({ t: 'events', ...pack }, [pack.buffer]);
  };
  let pending = 0;
  let dropped: { count: number; firstSeq: number; lastSeq: number } | null = null;
  const unsubscribe = gateway.onEvent((event: GatewayEvent) => {
    if (closed) return;
    if (pending >= maxPending) {
      if (dropped) {
        dropped.count++;
        dropped.lastSeq = event.seq;
      } else dropped = { count: 1, firstSeq: event.seq, lastSeq: event.seq };
      return;
    }
    pending++;
    packer.add(event);
    if (packer.size >= MAX_PACK_EVENTS) flushPack();
    else if (!packQueued) {
      packQueued = true;
      setTimeout(flushPack, packInterval);
    }
  });

  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  function request<T>(build: (id: number) => ToWorker): Promise<T> {
    if (closed) return Promise.reject(new ApiError('the inspector is closed'));
    // Whatever the gateway said before this call reaches the inspector first.
    flushPack();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: never) => void, reject });
      send(build(id));
    });
  }

  let active = false;
  const decisions = new Map<number, (d: 'pass' | InterceptDecision) => void>();
  const interceptor: CommandInterceptor = {
    active: () => active,
    intercept(sessionId, direction, raw) {
      if (!active || closed) return 'pass';
      flushPack();
      const id = nextId++;
      return new Promise<InterceptDecision>((resolve) => {
        decisions.set(id, (d) => resolve(d === 'pass' ? { action: 'forward', raw, edited: false } : d));
        send({ t: 'intercept', id, sessionId, direction, raw: raw.slice() });
      });
    },
  };

  const batchListeners = new Set<(batch: EventBatch) => void>();
  const jsonListeners = new Set<(json: string) => void>();
  const wantBatches = (): void => send({ t: 'batches', json: jsonListeners.size > 0, objects: batchListeners.size > 0 });

  async function mainCall(m: MainCall): Promise<unknown> {
    switch (m.method) {
      case 'inject':
        return m.to === 'server' ? gateway.injectToServer(m.sessionId, m.raw) : gateway.injectToClient(m.sessionId, m.raw);
      case 'accounts.list':
        return accounts!.list();
      case 'accounts.create':
        return accounts!.create(m.input);
      case 'accounts.remove':
        return accounts!.remove(m.handle);
    }
  }

  let closedResolve: () => void = () => undefined;
  const whenClosed = new Promise<void>((resolve) => (closedResolve = resolve));
  const started = new Promise<{ captureFile: string | null; captureFirstFile: string | null; priority: PriorityResult; helperPriority: HelperPriorityResult }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: FromWorker) => {
      switch (m.t) {
        case 'ready':
          resolve(m);
          return;
        case 'start-failed':
          reject(new Error(m.error));
          return;
        case 'batch-json':
          for (const l of jsonListeners) l(m.json);
          return;
        case 'batch':
          for (const l of batchListeners) l(m.batch);
          return;
        case 'result': {
          const w = waiting.get(m.id);
          waiting.delete(m.id);
          if (m.ok) w?.resolve(m.value as never);
          else w?.reject(new ApiError(m.error));
          return;
        }
        case 'decision': {
          const d = decisions.get(m.id);
          decisions.delete(m.id);
          d?.(m.decision);
          return;
        }
        case 'active':
          active = m.value;
          return;
        case 'main-call': {
          const { t: _t, id, ...call } = m;
          mainCall(call as MainCall).then(
            (value) => send({ t: 'reply', id, ok: true, value }),
            (err: Error) => send({ t: 'reply', id, ok: false, error: err.message }),
          );
          return;
        }
        case 'capture-note':
          if (m.kind === 'error') onCaptureError?.(String(m.detail));
          else if (m.kind === 'retention') onCaptureRetention?.(m.detail as RetentionReport);
          else onCaptureFull?.(m.detail as CaptureFullInfo);
          return;
        case 'settings-changed':
          onSettingsChange?.(m.settings, m.restartNeeded);
          return;
        case 'ack':
          pending -= m.events;
          if (dropped !== null && pending <= maxPending / 2) {
            const d = dropped;
            dropped = null;
            // Takes the last lost seq, so seqs stay unique and increasing in the model and the log.
            pending++;
            packer.add({
              type: 'notice', seq: d.lastSeq, time: Date.now(), sessionId: null, severity: 'error', code: 'inspector-behind',
              message: `${d.count} gateway events (seq ${d.firstSeq} to ${d.lastSeq}) were not recorded: the inspector fell behind the traffic. The relay itself lost nothing.`,
            });
            flushPack();
          }
          return;
        case 'closed':
          closedResolve();
          return;
      }
    });
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => {
    closed = true;
    closedResolve();
    for (const w of waiting.values()) w.reject(new ApiError('the inspector is closed'));
    waiting.clear();
    for (const d of decisions.values()) d('pass');
    decisions.clear();
  });

  let info: { captureFile: string | null; captureFirstFile: string | null; priority: PriorityResult; helperPriority: HelperPriorityResult };
  try {
    info = await started;
  } catch (error) {
    unsubscribe();
    await worker.terminate();
    throw error;
  }
  ready = true;
  flushPack();
  worker.on('error', (error) => onThreadError?.(error));

  let shutdownPromise: Promise<void> | null = null;
  const shutdown = (): Promise<void> =>
    (shutdownPromise ??= (async () => {
      flushPack();
      unsubscribe();
      active = false;
      send({ t: 'close' });
      closed = true;
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      await whenClosed;
      clearTimeout(timer);
      await worker.terminate();
      await exited;
    })());

  return {
    call<N extends OperationName>(op: N, req: unknown): Promise<OperationResponse<N>> {
      return request((id) => ({ t: 'call', id, op, request: req }));
    },
    async dispatch(message: unknown): Promise<ResultMessage> {
      try {
        return await request<ResultMessage>((id) => ({ t: 'dispatch', id, message }));
      } catch (err) {
        const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : -1;
        return { kind: 'result', id, ok: false, error: (err as Error).message };
      }
    },
    onBatch(listener) {
      batchListeners.add(listener);
      wantBatches();
      return () => {
        batchListeners.delete(listener);
        wantBatches();
      };
    },
    onBatchJson(listener) {
      jsonListeners.add(listener);
      wantBatches();
      return () => {
        jsonListeners.delete(listener);
        wantBatches();
      };
    },
    interceptor,
    ingest(event) {
      pending++;
      packer.add(event);
      flushPack();
    },
    flush() {
      flushPack();
      send({ t: 'flush' });
    },
    close() {
      void shutdown();
    },
    setGatewayStatus(status) {
      send({ t: 'gateway-status', status });
    },
    heapAfterGc: () => request<number>((id) => ({ t: 'heap', id })),
    writeHeapSnapshot: (file: string) => request<string>((id) => ({ t: 'heap-snapshot', id, file })),
    packStats: () => ({ packs: packsSent, events: eventsSent }),
    priority: info.priority,
    helperPriority: info.helperPriority,
    capture: info.captureFirstFile !== null ? { firstFile: info.captureFirstFile, currentFile: info.captureFile } : null,
    shutdown,
  };
}
