// What changed since the last batch. The model marks; the batcher drains. Sets collapse repeated
// changes to one upsert per record, so a burst of thousands of commands is still one batch.
import type { Finding, HeldCommand } from '../../../shared/api/contract.ts';

export class ChangeSet {
  sessions = new Set<string>();
  exchanges = new Set<number>();
  /** First id of commands appended since the last drain (commands are appended in id order). */
  newCommandsFrom: number | null = null;
  updatedCommands = new Set<number>();
  findings: Finding[] = [];
  held: HeldCommand[] | null = null;
  evicted: { fromId: number; toId: number } | null = null;
  cleared = false;
  statusChanged = false;

  get empty(): boolean {
    return (
      this.sessions.size === 0 &&
      this.exchanges.size === 0 &&
      this.newCommandsFrom === null &&
      this.updatedCommands.size === 0 &&
      this.findings.length === 0 &&
      this.held === null &&
      this.evicted === null &&
      !this.cleared &&
      !this.statusChanged
    );
  }

  commandAdded(id: number): void {
    if (this.newCommandsFrom === null) this.newCommandsFrom = id;
  }

  commandUpdated(id: number): void {
    // A command not yet sent goes out whole with its latest state anyway.
    if (this.newCommandsFrom === null || id < this.newCommandsFrom) this.updatedCommands.add(id);
  }

  evictedRange(fromId: number, toId: number): void {
    this.evicted = this.evicted === null ? { fromId, toId } : { fromId: Math.min(this.evicted.fromId, fromId), toId: Math.max(this.evicted.toId, toId) };
  }

  /** After a batch: one-off notes are sent; the record sets and newCommandsFrom keep what did not fit. */
  drained(): void {
    this.findings = [];
    this.held = null;
    this.evicted = null;
    this.cleared = false;
    this.statusChanged = false;
  }

  reset(): void {
    this.sessions = new Set();
    this.exchanges = new Set();
    this.newCommandsFrom = null;
    this.updatedCommands = new Set();
    this.findings = [];
    this.held = null;
    this.evicted = null;
    this.cleared = false;
    this.statusChanged = false;
  }
}
