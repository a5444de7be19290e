import { describe, expect, it } from 'vitest';
import { ExchangeStore, type ExchangeState } from './exchanges.ts';

const exchange = (id: number): ExchangeState => ({
  record: {
    id,
    sessionId: 's',
    kind: 'poll',
    method: 'POST',
    target: '/gateway/gateway.dll',
    status: null,
    reason: null,
    timings: { received: id, forwarded: null, firstUpstreamByte: null, answered: null },
    requestBytes: 0,
    responseBytes: 0,
    commandIds: [],
  },
  requestHead: new Uint8Array(0),
  requestBody: new Uint8Array(0),
  responseHead: null,
  responseBody: null,
});

describe('ExchangeStore', () => {
  it('keeps at most its limit, dropping the oldest exchange first; an update keeps its place', () => {
    const store = new ExchangeStore(3);
    expect([1, 2, 3].map((id) => store.add(exchange(id)))).toEqual([null, null, null]);
    expect(store.add(exchange(2))).toBe(null); // answered: updated in place
    expect(store.add(exchange(4))).toBe(1);
    expect(store.add(exchange(5))).toBe(2);
    expect(store.get(3)).toBeDefined();
    expect(store.size).toBe(3);
    expect(store.list(undefined, 0, 10).items.map((r) => r.id)).toEqual([3, 4, 5]);
  });

  it('evicts in constant time however many exchanges have passed through', () => {
    const store = new ExchangeStore(1000);
    let dropped = 0;
    for (let id = 1; id <= 200_000; id++) if (store.add(exchange(id)) !== null) dropped++;
    expect(dropped).toBe(199_000);
    expect(store.size).toBe(1000);
    expect(store.get(199_001)).toBeDefined();
    expect(store.get(199_000)).toBeUndefined();
    store.clear();
    expect(store.size).toBe(0);
    expect(store.add(exchange(1))).toBe(null);
  });
});
