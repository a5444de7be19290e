// Records arrive in id order, so id lookups are binary searches over plain arrays (no Maps to copy
// on every animation frame when 100,000 commands are loaded).

/** Index of the first element whose id is >= `id` (array sorted by id ascending). */
export function lowerBoundById(list: readonly { id: number }[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function findById<T extends { id: number }>(list: readonly T[], id: number): T | undefined {
  const i = lowerBoundById(list, id);
  return i < list.length && list[i].id === id ? list[i] : undefined;
}

/**
 * Merges changed or new records into a sorted list; returns the same array when nothing changed.
 * New ids past the end are appended; records in the middle replace their namesakes or are inserted.
 */
export function upsertSorted<T extends { id: number }>(list: readonly T[], incoming: readonly T[]): T[] {
  if (incoming.length === 0) return list as T[];
  const out = list.slice();
  for (const record of incoming) {
    const last = out.length > 0 ? out[out.length - 1].id : -Infinity;
    if (record.id > last) {
      out.push(record);
      continue;
    }
    const i = lowerBoundById(out, record.id);
    if (i < out.length && out[i].id === record.id) out[i] = record;
    else out.splice(i, 0, record);
  }
  return out;
}

/** Drops the oldest entries beyond `max`. */
export function capFront<T>(list: T[], max: number): { list: T[]; dropped: number } {
  if (list.length <= max) return { list, dropped: 0 };
  const dropped = list.length - max;
  return { list: list.slice(dropped), dropped };
}

/**
 * Puts `older` (sorted by id) in front of `list`, keeping only records older than list's first, and
 * no more than fit under `max`; returns the same array when nothing is added.
 */
export function prependOlderById<T extends { id: number }>(list: readonly T[], older: readonly T[], max = Infinity): T[] {
  const first = list.length > 0 ? list[0].id : Infinity;
  let end = older.length;
  while (end > 0 && older[end - 1].id >= first) end--;
  const start = Math.max(0, end - Math.max(0, max - list.length));
  if (end <= start) return list as T[];
  return older.slice(start, end).concat(list);
}
