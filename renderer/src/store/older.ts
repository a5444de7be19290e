// Background loading of the records older than a snapshot's newest pages, newest first, each page
// put in front of what the store holds on an animation frame of its own: a page arrives and is
// parsed in one task, and is applied (and rendered) in the next frame while the following page is
// already on its way. Stops when nothing older is left, when the store's limit is reached, or when
// `current()` says a newer snapshot replaced this one.
import type { Page } from '../../../shared/api/contract.ts';
import type { InspectorClient } from '../api/client.ts';
import { pageFetch } from './snapshot.ts';
import type { InspectorStore } from './store.ts';
import type { OlderKind } from './types.ts';

const ORDER: readonly OlderKind[] = ['commands', 'exchanges', 'findings'];

/** Records per background page: parsing one stays well under a frame's budget. */
export const OLDER_PAGE = 2500;

export interface OlderOptions {
  /** Resolves when the next page may be applied (default: at once). */
  pace?: () => Promise<void>;
  pageSize?: number;
}

async function loadKind(client: InspectorClient, store: InspectorStore, kind: OlderKind, current: () => boolean, o: Required<OlderOptions>): Promise<void> {
  const fetch = pageFetch(client, kind);
  // `remaining` records precede the oldest loaded one in the core, so the page just before it
  // starts at remaining - size (evictions in the meantime only shift it newer: see below).
  const request = (remaining: number) => {
    const limit = Math.min(o.pageSize, remaining);
    return fetch(remaining - limit, limit) as Promise<Page<{ id: number }>>;
  };
  let ahead: Promise<Page<{ id: number }>> | null = null;
  try {
    while (current()) {
      const state = store.getState();
      const remaining = state.older[kind];
      const list = state[kind];
      if (remaining <= 0 || list.length === 0) return;
      const oldest = list[0].id;
      const page = await (ahead ?? request(remaining));
      ahead = null;
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
      if (page.offset > 0) ahead = request(page.offset);
      await o.pace();
      if (!current()) return;
      store.getState().prependOlder(kind, page.items.slice(0, kept) as never[], page.offset);
    }
  } finally {
    // A page asked for ahead and not needed (stopped meanwhile): its answer is dropped.
    (ahead as Promise<unknown> | null)?.catch(() => {});
  }
}

export async function loadOlder(client: InspectorClient, store: InspectorStore, current: () => boolean, options: OlderOptions = {}): Promise<void> {
  const o = { pace: options.pace ?? (() => Promise.resolve()), pageSize: options.pageSize ?? OLDER_PAGE };
  for (const kind of ORDER) await loadKind(client, store, kind, current, o);
}
