// Background loading of the records older than a snapshot's newest pages, newest first, one core
// page per message, each put in front of what the store holds. Stops when nothing older is left,
// when the store's limit is reached, or when `current()` says a newer snapshot replaced this one.
import type { InspectorClient } from '../api/client.ts';
import { pageFetch, SNAPSHOT_PAGE } from './snapshot.ts';
import type { InspectorStore } from './store.ts';
import type { OlderKind } from './types.ts';

const ORDER: readonly OlderKind[] = ['commands', 'exchanges', 'findings'];

async function loadKind(client: InspectorClient, store: InspectorStore, kind: OlderKind, current: () => boolean): Promise<void> {
  const fetch = pageFetch(client, kind);
  while (current()) {
    const state = store.getState();
    const remaining = state.older[kind];
    const list = state[kind];
    if (remaining <= 0 || list.length === 0) return;
    const oldest = list[0].id;
    // `remaining` records precede the oldest loaded one in the core, so the page just before it
    // starts at remaining - limit (evictions in the meantime only shift it newer: see below).
    const limit = Math.min(SNAPSHOT_PAGE, remaining);
    const offset = remaining - limit;
    const page = await fetch(offset, limit);
    if (!current()) return;
    let kept = 0;
    while (kept < page.items.length && page.items[kept].id < oldest) kept++;
    if (kept === 0) {
      // The core evicted its oldest records meanwhile, so offsets moved. Command ids are
      // contiguous: the core's first id gives the exact count. For the others, what is left is
      // evicted soon anyway: stop.
      let left = 0;
      if (kind === 'commands' && page.total > 0) {
        const first = page.items.length > 0 ? { id: page.items[0].id, offset: page.offset } : { id: (await fetch(0, 1)).items[0]?.id, offset: 0 };
        if (!current()) return;
        if (first.id !== undefined) left = oldest - (first.id - first.offset);
      }
      store.getState().prependOlder(kind, [], Math.max(0, Math.min(left, remaining - 1)));
      continue;
    }
    store.getState().prependOlder(kind, page.items.slice(0, kept), page.offset);
  }
}

export async function loadOlder(client: InspectorClient, store: InspectorStore, current: () => boolean): Promise<void> {
  for (const kind of ORDER) await loadKind(client, store, kind, current);
}
