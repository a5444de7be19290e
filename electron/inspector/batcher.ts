// Turns the model's change set into EventBatches: at most one per interval (50 ms: about 20 a
// second), never one message per command, sessions and exchanges as upserts. A huge burst is spread
// over several batches (maxCommandsPerBatch) so no single message grows without bound.
import type { CommandRecord, EventBatch, Status } from '../../shared/api/contract.ts';
import { copyRecord } from './model/exchanges.ts';
import { sessionRecord } from './model/entry.ts';
import type { InspectorModel } from './model/model.ts';

export interface BatcherOptions {
  intervalMs?: number;
  maxCommandsPerBatch?: number;
  status?: () => Status;
  now?: () => number;
}

export type BatchListener = (batch: EventBatch) => void;

export class Batcher {
  private readonly getModel: () => InspectorModel;
  private readonly intervalMs: number;
  private readonly maxCommands: number;
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
    for (const id of c.updatedCommands) {
      const entry = store.get(id);
      if (entry) updatedCommands.push(entry.toRecord());
    }
    const batch: EventBatch = {
      seq: ++this.seq,
      time: Date.now(),
      sessions: [...c.sessions].flatMap((id) => {
        const s = model.sessions.get(id);
        return s ? [sessionRecord(s)] : [];
      }),
      commands,
      updatedCommands,
      exchanges: [...c.exchanges].flatMap((id) => {
        const x = model.exchanges.get(id);
        return x ? [copyRecord(x.record)] : [];
      }),
      findings: c.findings,
      held: c.held,
      evicted: c.evicted,
      cleared: c.cleared,
      status: this.status && (c.statusChanged || c.cleared || commands.length > 0 || c.evicted !== null) ? this.status() : null,
    };
    const rest = c.newCommandsFrom;
    c.reset();
    c.newCommandsFrom = rest;
    return batch;
  }
}
