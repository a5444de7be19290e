// Coalescing event batches for a client that reads slower than batches come: the batches it has
// not taken yet become one, so a slow browser costs one growing batch (bounded by the caller)
// instead of a queue of messages. The merged batch means the same as applying both in order.
import type { CommandRecord, EventBatch } from '../../shared/api/contract.ts';

function upsert<T>(into: T[], items: readonly T[], key: (item: T) => number | string): T[] {
  if (items.length === 0) return into;
  const at = new Map<number | string, number>();
  into.forEach((item, i) => at.set(key(item), i));
  for (const item of items) {
    const i = at.get(key(item));
    if (i === undefined) {
      at.set(key(item), into.length);
      into.push(item);
    } else into[i] = item;
  }
  return into;
}

/** `later` applied after `earlier`, as one batch. Neither input is changed. */
export function mergeBatches(earlier: EventBatch, later: EventBatch): EventBatch {
  // Everything before a clear is dropped by the UI anyway.
  if (later.cleared) return { ...later, status: later.status ?? earlier.status };
  const commands = [...earlier.commands];
  const updated: CommandRecord[] = [...(earlier.updatedCommands ?? [])];
  if (later.updatedCommands && later.updatedCommands.length > 0) {
    // A command appended in the earlier batch and changed in the later one is sent once, changed.
    const appended = new Map<number, number>();
    commands.forEach((c, i) => appended.set(c.id, i));
    const rest: CommandRecord[] = [];
    for (const c of later.updatedCommands) {
      const i = appended.get(c.id);
      if (i === undefined) rest.push(c);
      else commands[i] = c;
    }
    upsert(updated, rest, (c) => c.id);
  }
  commands.push(...later.commands);
  const merged: EventBatch = {
    seq: later.seq,
    time: later.time,
    sessions: upsert([...earlier.sessions], later.sessions, (s) => s.id),
    commands,
    exchanges: upsert([...earlier.exchanges], later.exchanges, (x) => x.id),
    findings: [...earlier.findings, ...later.findings],
    held: later.held ?? earlier.held,
    evicted: mergeEvicted(earlier.evicted, later.evicted),
    cleared: earlier.cleared,
    status: later.status ?? earlier.status,
  };
  if (updated.length > 0) merged.updatedCommands = updated;
  return merged;
}

function mergeEvicted(a: EventBatch['evicted'], b: EventBatch['evicted']): EventBatch['evicted'] {
  if (a === null) return b;
  if (b === null) return a;
  // Eviction goes oldest first, so two reports cover one span.
  return { fromId: Math.min(a.fromId, b.fromId), toId: Math.max(a.toId, b.toId) };
}

/** How many records a batch carries: the measure a backlog limit counts. */
export function batchSize(batch: EventBatch): number {
  return batch.sessions.length + batch.commands.length + (batch.updatedCommands?.length ?? 0)
    + batch.exchanges.length + batch.findings.length + (batch.held?.length ?? 0);
}
