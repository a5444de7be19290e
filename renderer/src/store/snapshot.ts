// Loads everything the views need in one go (at start, after a reconnect or a sequence gap):
// pages through commands, exchanges and findings up to what the store keeps.
import type { Page } from '../../../shared/api/contract.ts';
import type { InspectorClient } from '../api/client.ts';
import type { Snapshot } from './types.ts';
import { STORE_LIMITS } from './types.ts';

/** The core's largest page (electron/inspector/query.ts MAX_PAGE). */
export const SNAPSHOT_PAGE = 5000;

async function allPages<T>(fetch: (offset: number, limit: number) => Promise<Page<T>>, max: number): Promise<T[]> {
  const first = await fetch(0, SNAPSHOT_PAGE);
  // Take the newest `max` items: start late enough that the tail fits.
  const start = Math.max(0, first.total - max);
  const items: T[] = start === 0 ? first.items.slice() : [];
  let offset = start === 0 ? first.items.length : start;
  while (offset < first.total && items.length < max) {
    const page = await fetch(offset, SNAPSHOT_PAGE);
    if (page.items.length === 0) break;
    items.push(...page.items);
    offset += page.items.length;
  }
  return items;
}

export async function fetchSnapshot(client: InspectorClient): Promise<Snapshot> {
  const [status, settings, sessions, bp] = await Promise.all([
    client.call('status.get', {}),
    client.call('settings.get', {}),
    client.call('sessions.list', {}),
    client.call('breakpoints.list', {}),
  ]);
  const [commands, exchanges, findings] = await Promise.all([
    allPages((offset, limit) => client.call('commands.query', { offset, limit }), STORE_LIMITS.commands),
    allPages((offset, limit) => client.call('exchanges.list', { offset, limit }), STORE_LIMITS.exchanges),
    allPages((offset, limit) => client.call('findings.list', { offset, limit }), STORE_LIMITS.findings),
  ]);
  return { status, settings, sessions, commands, exchanges, findings, breakpoints: bp.breakpoints, held: bp.held };
}
