// HTTP exchanges with their raw head and body both ways (kept once: command items are views into
// the same bytes). Bounded: past the limit the oldest exchange is dropped from memory.
import type { ExchangeDetail, ExchangeRecord } from '../../../shared/api/contract.ts';
import { toBase64 } from '../base64.ts';

/** Most command ids listed on one exchange (a response can carry thousands of commands). */
export const MAX_COMMAND_IDS_PER_EXCHANGE = 10_000;

export interface ExchangeState {
  record: ExchangeRecord;
  requestHead: Uint8Array;
  requestBody: Uint8Array;
  responseHead: Uint8Array | null;
  responseBody: Uint8Array | null;
}

export class ExchangeStore {
  private readonly byId = new Map<number, ExchangeState>();
  /** Ids in arrival order from `head` on (eviction order). */
  private order: number[] = [];
  private head = 0;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): ExchangeState | undefined {
    return this.byId.get(id);
  }

  /** Adds (or updates) an exchange; returns the id dropped to stay within the limit, if any. */
  add(state: ExchangeState): number | null {
    const id = state.record.id;
    if (!this.byId.has(id)) this.order.push(id);
    this.byId.set(id, state);
    if (this.byId.size <= this.limit) return null;
    // Oldest first, in the order exchanges arrived. A Map's first key would do the same, but
    // finding it walks every deleted slot: quadratic once the store is full.
    while (this.head < this.order.length) {
      const oldest = this.order[this.head++];
      if (this.byId.delete(oldest)) {
        if (this.head > 4096 && this.head * 2 > this.order.length) {
          this.order = this.order.slice(this.head);
          this.head = 0;
        }
        return oldest;
      }
    }
    return null;
  }

  list(sessionId: string | undefined, offset: number, limit: number): { total: number; items: ExchangeRecord[] } {
    const matching: ExchangeState[] = [];
    for (const x of this.byId.values()) if (sessionId === undefined || x.record.sessionId === sessionId) matching.push(x);
    return { total: matching.length, items: matching.slice(offset, offset + limit).map((x) => copyRecord(x.record)) };
  }

  clear(): number {
    const n = this.byId.size;
    this.byId.clear();
    this.order = [];
    this.head = 0;
    return n;
  }
}

export function copyRecord(r: ExchangeRecord): ExchangeRecord {
  return { ...r, timings: { ...r.timings }, commandIds: r.commandIds.slice() };
}

export function exchangeDetail(x: ExchangeState): ExchangeDetail {
  return {
    exchange: copyRecord(x.record),
    requestHead: toBase64(x.requestHead),
    requestBody: toBase64(x.requestBody),
    responseHead: x.responseHead ? toBase64(x.responseHead) : null,
    responseBody: x.responseBody ? toBase64(x.responseBody) : null,
  };
}
