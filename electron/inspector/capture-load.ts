// Loading a capture into a fresh model without making the caller wait for all of it: `firstPage`
// settles once a first page of commands is in (or the source ended, or a short time passed), and
// the rest is read in the background in slices of a few milliseconds, so queries, batches and the
// live gateway keep being served while a million commands come in.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import type { EventSource } from './capture-port.ts';
import type { InspectorModel } from './model/model.ts';

export interface CaptureLoadOptions {
  /** Commands that make the first page available (default 1000, ten default pages). */
  firstPageCommands?: number;
  /** Answer after this long even with fewer commands (ms, default 250). */
  firstPageMs?: number;
  /** Work between two yields to the event loop (ms, default 15). */
  sliceMs?: number;
  /** After each background slice (`done` false) and once at the end (`done` true): progress for the UI. */
  onProgress?: (done: boolean) => void;
}

export interface CaptureLoad {
  /** Settles when the first page is available; rejects if the source failed before that. */
  readonly firstPage: Promise<void>;
  /** Settles when the whole source was read, reading failed, or the load was cancelled. */
  readonly done: Promise<void>;
  /** Events ingested so far. */
  readonly events: number;
  readonly finished: boolean;
  /** Set when reading failed after the first page (the model keeps what was read). */
  readonly error: Error | null;
  /** Stops reading (closes the source) at the next slice. */
  cancel(): void;
}

/** Sync iterables are cut into batches of this many events. */
const SYNC_BATCH = 1000;
/** The clock is read after every this many + 1 events (a power of two minus one). */
const CHECK_EVERY = 127;

function hasBatches(source: EventSource): source is EventSource & { batches(): AsyncIterable<readonly GatewayEvent[]> } {
  return typeof (source as { batches?: unknown }).batches === 'function';
}

async function* batchesOf(source: EventSource): AsyncGenerator<readonly GatewayEvent[]> {
  if (hasBatches(source)) {
    yield* source.batches();
    return;
  }
  let batch: GatewayEvent[] = [];
  if (Symbol.iterator in source) {
    for (const e of source) {
      batch.push(e);
      if (batch.length >= SYNC_BATCH) {
        yield batch;
        batch = [];
      }
    }
  } else {
    // One event at a time from the source; handed on in batches all the same, and what was read
    // before a failure still goes in.
    try {
      for await (const e of source) {
        batch.push(e);
        if (batch.length >= SYNC_BATCH) {
          yield batch;
          batch = [];
        }
      }
    } catch (error) {
      if (batch.length > 0) yield batch;
      throw error;
    }
  }
  if (batch.length > 0) yield batch;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function startCaptureLoad(model: InspectorModel, source: EventSource, options: CaptureLoadOptions = {}): CaptureLoad {
  const firstPageCommands = options.firstPageCommands ?? 1000;
  const firstPageMs = options.firstPageMs ?? 250;
  const sliceMs = options.sliceMs ?? 15;
  let cancelled = false;
  let pageShown = false;
  let showPage!: () => void;
  let failPage!: (error: Error) => void;
  const firstPage = new Promise<void>((resolve, reject) => {
    showPage = resolve;
    failPage = reject;
  });
  const state = { events: 0, finished: false, error: null as Error | null };
  const commands = () => model.commands.size + model.commands.evictedTotal;

  // Called after every CHECK_EVERY events and at the end of every batch (before the await for the
  // next one). Returns true to stop (cancelled). Progress is reported before any await, so a batch
  // built meanwhile never sees the commands a capture view does not stream.
  const checkpoint = async (started: number, endOfBatch: boolean): Promise<boolean> => {
    const now = performance.now();
    if (!pageShown) {
      if (commands() < firstPageCommands && now - started < firstPageMs) return false;
      pageShown = true;
      showPage();
    } else {
      const sliceOver = now - sliceStart >= sliceMs;
      if (!sliceOver && !endOfBatch) return false;
      options.onProgress?.(false);
      if (!sliceOver) return false;
    }
    // Let the answer, queries, timers and the live gateway run before the next slice.
    await nextTurn();
    sliceStart = performance.now();
    return cancelled;
  };
  let sliceStart = 0;

  const run = async () => {
    const started = performance.now();
    sliceStart = started;
    // A source that stalls (a slow disk) still gets its answer on time, between two events.
    const timer = setTimeout(() => {
      if (pageShown) return;
      pageShown = true;
      showPage();
    }, firstPageMs);
    timer.unref?.();
    try {
      reading: for await (const batch of batchesOf(source)) {
        if (cancelled) break; // leaving the loop closes the source
        for (let i = 0; i < batch.length; i++) {
          model.ingest(batch[i]);
          state.events++;
          const endOfBatch = i === batch.length - 1;
          if ((i & CHECK_EVERY) === CHECK_EVERY || endOfBatch) {
            if (await checkpoint(started, endOfBatch)) break reading;
          }
        }
      }
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      if (!pageShown) {
        pageShown = true;
        state.finished = true;
        clearTimeout(timer);
        failPage(err);
        return;
      }
      state.error = err;
      // The view keeps what was read; the findings say where and why reading stopped.
      model.addFinding({ time: Date.now(), severity: 'error', code: 'notice', message: `reading the capture stopped after ${state.events} events: ${err.message}`, sessionId: null });
    }
    state.finished = true;
    clearTimeout(timer);
    if (!pageShown) {
      pageShown = true;
      showPage();
    } else if (!cancelled) options.onProgress?.(true);
  };
  const done = run();

  return {
    firstPage,
    done,
    get events() {
      return state.events;
    },
    get finished() {
      return state.finished;
    },
    get error() {
      return state.error;
    },
    cancel() {
      cancelled = true;
    },
  };
}
