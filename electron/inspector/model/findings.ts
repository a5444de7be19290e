// Findings (expert notes with severity), oldest first, bounded: past the limit the oldest go.
import type { Finding, FindingCode, FindingSeverity } from '../../../shared/api/contract.ts';

export interface NewFinding {
  time: number;
  severity: FindingSeverity;
  code: FindingCode;
  message: string;
  sessionId: string | null;
  commandId?: number | null;
  exchangeId?: number | null;
}

export class FindingStore {
  private items: Finding[] = [];
  private head = 0;
  private nextIdValue = 1;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  get size(): number {
    return this.items.length - this.head;
  }

  add(f: NewFinding): Finding {
    const finding: Finding = {
      id: this.nextIdValue++,
      time: f.time,
      severity: f.severity,
      code: f.code,
      message: f.message,
      sessionId: f.sessionId,
      commandId: f.commandId ?? null,
      exchangeId: f.exchangeId ?? null,
    };
    this.items.push(finding);
    if (this.size > this.limit) {
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    }
    return finding;
  }

  /** In order, optionally for one session. */
  list(sessionId: string | undefined, offset: number, limit: number): { total: number; items: Finding[] } {
    const all = this.items.slice(this.head);
    const matching = sessionId === undefined ? all : all.filter((f) => f.sessionId === sessionId);
    return { total: matching.length, items: matching.slice(offset, offset + limit) };
  }

  clear(): number {
    const n = this.size;
    this.items = [];
    this.head = 0;
    return n;
  }
}
