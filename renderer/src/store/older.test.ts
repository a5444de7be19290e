import { describe, expect, it } from 'vitest';
import { FakeClient } from '../test/fake-client.ts';
import { command, exchange, finding } from '../test/records.ts';
import { loadOlder, OLDER_PAGE } from './older.ts';
import { fetchSnapshot, FIRST_PAGE, SNAPSHOT_PAGE } from './snapshot.ts';
import { createInspectorStore } from './store.ts';
import { STORE_LIMITS } from './types.ts';

const ids = (list: { id: number }[]) => list.map((r) => r.id);

describe('snapshot and background loading of older records', () => {
  it('the snapshot holds the newest page of each list and counts the older ones', async () => {
    const client = new FakeClient({
      commands: Array.from({ length: 12_345 }, (_, i) => command(i + 1)),
      exchanges: [exchange(1), exchange(2)],
      findings: Array.from({ length: 1500 }, (_, i) => finding(i + 1)),
    });
    const snapshot = await fetchSnapshot(client);
    expect(ids(snapshot.commands)).toEqual(Array.from({ length: FIRST_PAGE.commands }, (_, i) => 12_345 - FIRST_PAGE.commands + 1 + i));
    expect(ids(snapshot.exchanges)).toEqual([1, 2]);
    expect(snapshot.findings.length).toBe(FIRST_PAGE.findings);
    expect(snapshot.older).toEqual({ commands: 12_345 - FIRST_PAGE.commands, exchanges: 0, findings: 500 });
  });

  it('loads the rest newest first, a core page at a time, until the lists are whole', async () => {
    const client = new FakeClient({ commands: Array.from({ length: 12_345 }, (_, i) => command(i + 1)), findings: Array.from({ length: 1500 }, (_, i) => finding(i + 1)) });
    const store = createInspectorStore();
    store.getState().loadSnapshot(await fetchSnapshot(client));
    const seen: number[] = [];
    store.subscribe((s) => seen.push(s.commands.length));
    await loadOlder(client, store, () => true);
    expect(ids(store.getState().commands)).toEqual(Array.from({ length: 12_345 }, (_, i) => i + 1));
    expect(store.getState().findings.length).toBe(1500);
    expect(store.getState().older).toEqual({ commands: 0, exchanges: 0, findings: 0 });
    // Grown by prepending pages to the first 2000.
    expect(seen.slice(0, 2)).toEqual([FIRST_PAGE.commands + OLDER_PAGE, FIRST_PAGE.commands + 2 * OLDER_PAGE]);
    expect(seen.filter((n) => n > 0 && n <= 12_345).at(-1)).toBe(12_345);
    expect(client.callsOf('commands.query').every((r) => (r.limit ?? 0) <= SNAPSHOT_PAGE)).toBe(true);
  });

  it('stops when a newer snapshot replaced the one it loads for', async () => {
    const client = new FakeClient({ commands: Array.from({ length: 20_000 }, (_, i) => command(i + 1)) });
    const store = createInspectorStore();
    store.getState().loadSnapshot(await fetchSnapshot(client));
    let current = true;
    client.on('commands.query', (r) => {
      current = false;
      return { total: 20_000, offset: r.offset ?? 0, items: [] };
    });
    await loadOlder(client, store, () => current);
    expect(store.getState().commands.length).toBe(FIRST_PAGE.commands);
  });

  it('recounts when the core evicted its oldest commands meanwhile (ids are contiguous)', async () => {
    const client = new FakeClient({ commands: Array.from({ length: 10_000 }, (_, i) => command(i + 1)) });
    const store = createInspectorStore();
    store.getState().loadSnapshot(await fetchSnapshot(client));
    // The core dropped ids 1..7000: what it holds older than 8001 is 1000 commands.
    client.data.commands = client.data.commands.slice(7000);
    await loadOlder(client, store, () => true);
    expect(ids(store.getState().commands)[0]).toBe(7001);
    expect(store.getState().commands.length).toBe(3000);
    expect(store.getState().older.commands).toBe(0);
  });

  it('never holds more than the store limit, loaded and still to load together', () => {
    const store = createInspectorStore();
    const newest = Array.from({ length: 10 }, (_, i) => command(STORE_LIMITS.commands + 1000 + i));
    store.getState().loadSnapshot({ sessions: [], commands: newest, exchanges: [], findings: [], breakpoints: [], held: [], status: null, settings: null, older: { commands: 10 * STORE_LIMITS.commands, exchanges: 0, findings: 0 } });
    expect(store.getState().older.commands).toBe(STORE_LIMITS.commands - 10);
    const before = store.getState().commandsEpoch;
    store.getState().prependOlder('commands', [command(5), command(6)], 3);
    expect(ids(store.getState().commands).slice(0, 3)).toEqual([5, 6, STORE_LIMITS.commands + 1000]);
    expect(store.getState().older.commands).toBe(3);
    expect(store.getState().commandsEpoch).toBe(before + 1);
  });
});
