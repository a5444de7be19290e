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

  /** Adds an exchange; returns the id dropped to stay within the limit, if any. */
  add(state: ExchangeState): number | null {
    this.byId.delete(state.record.id);
    this.byId.set(state.record.id, state);
    if (this.byId.size <= this.limit) return null;
    const oldest = this.byId.keys().next().value as number;
    this.byId.delete(oldest);
    return oldest;
  }

  list(sessionId: string | undefined, offset: number, limit: number): { total: number; items: ExchangeRecord[] } {
    const matching: ExchangeState[] = [];
    for (const x of this.byId.values()) if (sessionId === undefined || x.record.sessionId === sessionId) matching.push(x);
    return { total: matching.length, items: matching.slice(offset, offset + limit).map((x) => copyRecord(x.record)) };
  }

  clear(): number {
    const n = this.byId.size;
    this.byId.clear();
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
