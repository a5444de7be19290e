// What the views need to show something at once (at start, after a reconnect or a sequence gap):
// everything small, and the newest page of commands, exchanges and findings. Older records load
// in the background afterwards (older.ts): fetching 100,000 commands before the first paint took
// seconds.
import type { Page } from '../../../shared/api/contract.ts';
import type { InspectorClient } from '../api/client.ts';
import type { OlderKind, Snapshot } from './types.ts';

/** The core's largest page (electron/inspector/query.ts MAX_PAGE). */
export const SNAPSHOT_PAGE = 5000;

/** Newest records loaded before the first paint: several screens of rows, one quick message each. */
export const FIRST_PAGE: Record<OlderKind, number> = { commands: 2000, exchanges: SNAPSHOT_PAGE, findings: 1000 };

export type PageFetch<T> = (offset: number, limit: number) => Promise<Page<T>>;

/** The newest `size` records and how many older ones the core holds. */
export async function newestPage<T>(fetch: PageFetch<T>, size: number): Promise<{ items: T[]; older: number }> {
  // One record to learn the total, then the tail.
  const probe = await fetch(0, 1);
  if (probe.total <= probe.items.length) return { items: probe.items, older: 0 };
  const offset = Math.max(0, probe.total - size);
  const tail = await fetch(offset, size);
  return { items: tail.items, older: tail.items.length > 0 ? offset : 0 };
}

export function pageFetch<K extends OlderKind>(client: InspectorClient, kind: K): PageFetch<Snapshot[K][number]> {
  if (kind === 'commands') return ((offset, limit) => client.call('commands.query', { offset, limit })) as PageFetch<Snapshot[K][number]>;
  if (kind === 'exchanges') return ((offset, limit) => client.call('exchanges.list', { offset, limit })) as PageFetch<Snapshot[K][number]>;
  return ((offset, limit) => client.call('findings.list', { offset, limit })) as PageFetch<Snapshot[K][number]>;
}

export async function fetchSnapshot(client: InspectorClient): Promise<Snapshot> {
  const [status, settings, sessions, bp, commands, exchanges, findings] = await Promise.all([
    client.call('status.get', {}),
    client.call('settings.get', {}),
    client.call('sessions.list', {}),
    client.call('breakpoints.list', {}),
    newestPage(pageFetch(client, 'commands'), FIRST_PAGE.commands),
    newestPage(pageFetch(client, 'exchanges'), FIRST_PAGE.exchanges),
    newestPage(pageFetch(client, 'findings'), FIRST_PAGE.findings),
  ]);
  return {
    status,
    settings,
    sessions,
    commands: commands.items,
    exchanges: exchanges.items,
    findings: findings.items,
    breakpoints: bp.breakpoints,
    held: bp.held,
    older: { commands: commands.older, exchanges: exchanges.older, findings: findings.older },
  };
}
