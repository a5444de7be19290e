// Command marks for an exchange's bar, looked up once per exchange record: a bar's marks only
// change when its exchange record does (new commands) or when missing commands arrive (older ones
// loading in the background), not on every frame of live ingest.
import type { CommandRecord, ExchangeRecord } from '../../../../shared/api/contract.ts';
import { findById } from '../../lib/sorted.ts';

export interface Tick {
  id: number;
  time: number;
  direction: CommandRecord['direction'];
}

/** A bar shows at most this many marks: past it they merge into a solid block anyway. */
export const MAX_TICKS = 64;

interface Entry {
  ticks: Tick[];
  /** Commands missing at the lookup, older than those loaded (still loading) or newer (in flight). */
  missingOlder: boolean;
  missingNewer: boolean;
  firstId: number;
  lastId: number;
}

/**
 * Keyed by exchange id, holding the record it was computed for (a plain Map, swept after each
 * render: a WeakMap keyed by records that are replaced on every batch left the collector many
 * ephemerons to trace, and a full collection took ~100 ms in the middle of live ingest).
 */
export class TickCache {
  private cache = new Map<number, Entry & { record: ExchangeRecord; used: number }>();
  private pass = 0;

  /** Call after a render's lookups: forgets exchanges that render did not draw. */
  sweep(): void {
    for (const [id, entry] of this.cache) if (entry.used !== this.pass) this.cache.delete(id);
    this.pass++;
  }

  get size(): number {
    return this.cache.size;
  }

  ticks(x: ExchangeRecord, commands: readonly CommandRecord[]): Tick[] {
    const firstId = commands.length > 0 ? commands[0].id : Infinity;
    const lastId = commands.length > 0 ? commands[commands.length - 1].id : -Infinity;
    const cached = this.cache.get(x.id);
    const hit = cached && cached.record === x ? cached : undefined;
    if (hit && (!hit.missingOlder || hit.firstId === firstId) && (!hit.missingNewer || hit.lastId === lastId)) {
      hit.used = this.pass;
      return hit.ticks;
    }
    const ticks: Tick[] = [];
    let missingOlder = false;
    let missingNewer = false;
    for (const id of x.commandIds.slice(0, MAX_TICKS)) {
      const c = findById(commands, id);
      if (c) ticks.push({ id: c.id, time: c.time, direction: c.direction });
      else if (id < firstId) missingOlder = true;
      else if (id > lastId) missingNewer = true;
    }
    const same = cached !== undefined && cached.ticks.length === ticks.length && cached.ticks.every((t, i) => t.id === ticks[i].id && t.time === ticks[i].time);
    const entry = { ticks: same ? cached.ticks : ticks, missingOlder, missingNewer, firstId, lastId, record: x, used: this.pass };
    this.cache.set(x.id, entry);
    return entry.ticks;
  }
}
