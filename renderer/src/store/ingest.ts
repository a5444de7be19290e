// Live ingest: batches queue up and are folded into the store once per animation frame, with a
// slow timer as a floor so a hidden (throttled) window still catches up. Also resynchronises from a
// snapshot on (re)connect and whenever a sequence gap shows batches were lost; the snapshot holds
// the newest records, and older ones follow in the background while live batches keep flowing.
import type { EventBatch } from '../../../shared/api/contract.ts';
import type { InspectorClient } from '../api/client.ts';
import { loadOlder } from './older.ts';
import { fetchSnapshot } from './snapshot.ts';
import type { InspectorStore } from './store.ts';

export interface Scheduler {
  frame(callback: () => void): () => void;
}

export const FALLBACK_FLUSH_MS = 500;
/** Batches held while a snapshot loads or frames are not running; past this, resync instead. */
export const MAX_QUEUED_BATCHES = 2000;

export const browserScheduler: Scheduler = {
  frame(callback) {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      callback();
    };
    const raf = requestAnimationFrame(run);
    const timer = setTimeout(run, FALLBACK_FLUSH_MS);
    return () => {
      done = true;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
    };
  },
};

export function attachIngest(client: InspectorClient, store: InspectorStore, scheduler: Scheduler = browserScheduler): () => void {
  let queue: EventBatch[] = [];
  let cancelFrame: (() => void) | null = null;
  let loading = false;
  let stopped = false;
  /** Bumped by each snapshot: a background loader for an older one stops. */
  let generation = 0;

  const flush = () => {
    cancelFrame = null;
    if (loading || stopped) return;
    const batches = queue;
    queue = [];
    store.getState().applyBatches(batches);
    // A cleared batch also starts a capture opened from a file, whose commands the core does not
    // stream: the UI pages them like a snapshot (for a plain clear the snapshot is empty).
    if (store.getState().resyncNeeded || batches.some((b) => b.cleared)) void resync();
  };

  const schedule = () => {
    if (!cancelFrame && !loading) cancelFrame = scheduler.frame(flush);
  };

  const resync = async () => {
    if (loading || stopped) return;
    loading = true;
    const mine = ++generation;
    try {
      const snapshot = await fetchSnapshot(client);
      if (stopped) return;
      store.getState().loadSnapshot(snapshot);
      store.getState().setError(null);
      const pace = () => new Promise<void>((resolve) => scheduler.frame(resolve));
      loadOlder(client, store, () => !stopped && generation === mine, { pace }).catch((error: Error) => {
        if (!stopped && generation === mine) store.getState().setError(`Could not load older records: ${error.message}`);
      });
    } catch (error) {
      store.getState().setError(`Could not load the capture: ${(error as Error).message}`);
    } finally {
      loading = false;
      if (queue.length > 0) schedule();
    }
  };

  const offBatch = client.onBatch((batch) => {
    if (queue.length >= MAX_QUEUED_BATCHES) {
      // Too far behind to replay batch by batch: drop them and reload a snapshot.
      queue = [];
      void resync();
      return;
    }
    queue.push(batch);
    schedule();
  });
  const offState = client.onState((state) => {
    store.getState().setConnection(state);
    if (state === 'open') void resync();
  });

  return () => {
    stopped = true;
    cancelFrame?.();
    offBatch();
    offState();
  };
}
