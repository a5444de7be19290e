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

export class TickCache {
  private cache = new WeakMap<ExchangeRecord, Entry>();

  ticks(x: ExchangeRecord, commands: readonly CommandRecord[]): Tick[] {
    const firstId = commands.length > 0 ? commands[0].id : Infinity;
    const lastId = commands.length > 0 ? commands[commands.length - 1].id : -Infinity;
    const hit = this.cache.get(x);
    if (hit && (!hit.missingOlder || hit.firstId === firstId) && (!hit.missingNewer || hit.lastId === lastId)) return hit.ticks;
    const ticks: Tick[] = [];
    let missingOlder = false;
    let missingNewer = false;
    for (const id of x.commandIds.slice(0, MAX_TICKS)) {
      const c = findById(commands, id);
      if (c) ticks.push({ id: c.id, time: c.time, direction: c.direction });
      else if (id < firstId) missingOlder = true;
      else if (id > lastId) missingNewer = true;
    }
    const same = hit !== undefined && hit.ticks.length === ticks.length && hit.ticks.every((t, i) => t.id === ticks[i].id);
    const entry = { ticks: same ? hit.ticks : ticks, missingOlder, missingNewer, firstId, lastId };
    this.cache.set(x, entry);
    return entry.ticks;
  }
}
