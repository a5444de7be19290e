// Turns the model's change set into EventBatches: at most one per interval (50 ms: about 20 a
// second), never one message per command, sessions and exchanges as upserts. A huge burst is spread
// over several batches (maxCommandsPerBatch, maxRecordsPerBatch for session, exchange and command
// updates) so no single message grows without bound, and no flush holds the event loop for long:
// at 10,000 sessions a flush after a stall otherwise carried every session and exchange at once.
import type { CommandRecord, EventBatch, Status } from '../../shared/api/contract.ts';
import { copyRecord } from './model/exchanges.ts';
import { sessionRecord } from './model/entry.ts';
import type { InspectorModel } from './model/model.ts';

export interface BatcherOptions {
  intervalMs?: number;
  maxCommandsPerBatch?: number;
  /** Session, exchange and updated-command records per batch, each (default 2000). */
  maxRecordsPerBatch?: number;
  status?: () => Status;
  now?: () => number;
}

export type BatchListener = (batch: EventBatch) => void;

export class Batcher {
  private readonly getModel: () => InspectorModel;
  private readonly intervalMs: number;
  private readonly maxCommands: number;
  private readonly maxRecords: number;
  private readonly status: (() => Status) | undefined;
  private readonly now: () => number;
  private readonly listeners = new Set<BatchListener>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastEmit = -Infinity;
  private seq = 0;
  private closed = false;

  constructor(model: () => InspectorModel, options: BatcherOptions = {}) {
    this.getModel = model;
    this.intervalMs = options.intervalMs ?? 50;
    this.maxCommands = options.maxCommandsPerBatch ?? 5000;
    this.maxRecords = options.maxRecordsPerBatch ?? 2000;
    this.status = options.status;
    this.now = options.now ?? (() => performance.now());
  }

  onBatch(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Something changed: make sure a batch goes out within the interval. */
  notify(): void {
    if (this.timer !== null || this.closed || this.getModel().changes.empty) return;
    const wait = Math.max(0, this.lastEmit + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  /** Emits the pending changes now (tests, shutdown). */
  flush(): void {
    const model = this.getModel();
    if (model.changes.empty) return;
    const batch = this.build(model);
    this.lastEmit = this.now();
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // One broken subscriber must not stop the others or the model.
      }
    }
    if (!model.changes.empty) this.notify();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private build(model: InspectorModel): EventBatch {
    const c = model.changes;
    const store = model.commands;
    const commands: CommandRecord[] = [];
    if (c.newCommandsFrom !== null) {
      const from = Math.max(c.newCommandsFrom, store.firstId);
      const to = Math.min(store.lastId, from + this.maxCommands - 1);
      for (let id = from; id <= to; id++) commands.push(store.get(id)!.toRecord());
      c.newCommandsFrom = to < store.lastId ? to + 1 : null;
    }
    // Only commands sent in an earlier batch are marked updated (see ChangeSet.commandUpdated).
    const updatedCommands: CommandRecord[] = [];
    for (const id of take(c.updatedCommands, this.maxRecords)) {
      const entry = store.get(id);
      if (entry) updatedCommands.push(entry.toRecord());
    }
    const sessions = [];
    for (const id of take(c.sessions, this.maxRecords)) {
      const s = model.sessions.get(id);
      if (s) sessions.push(sessionRecord(s));
    }
    const exchanges = [];
    for (const id of take(c.exchanges, this.maxRecords)) {
      const x = model.exchanges.get(id);
      if (x) exchanges.push(copyRecord(x.record));
    }
    const batch: EventBatch = {
      seq: ++this.seq,
      time: Date.now(),
      sessions,
      commands,
      updatedCommands,
      exchanges,
      findings: c.findings,
      held: c.held,
      evicted: c.evicted,
      cleared: c.cleared,
      status: this.status && (c.statusChanged || c.cleared || commands.length > 0 || c.evicted !== null) ? this.status() : null,
    };
    c.drained();
    return batch;
  }
}

/** Up to `max` ids out of `set`, removed from it (Sets iterate in insertion order: oldest first). */
function take<T>(set: Set<T>, max: number): T[] {
  const out: T[] = [];
  for (const id of set) {
    if (out.length >= max) break;
    out.push(id);
  }
  if (out.length === set.size) set.clear();
  else for (const id of out) set.delete(id);
  return out;
}
