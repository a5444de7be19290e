// Commands in memory, oldest first, with contiguous ids so a lookup is an index computation and an
// unfiltered page is a slice. Beyond the retention window the oldest are evicted (they stay on disk
// in the capture log); the evicted id range is reported so the UI can say so.
import type { CommandEntry } from './entry.ts';

const NONE: CommandEntry[] = [];

export class CommandStore {
  private entries: (CommandEntry | undefined)[] = [];
  private head = 0;
  /** Id of entries[head]; ids are contiguous from here. */
  private firstIdInMemory = 1;
  private nextIdValue = 1;
  private limit: number;
  evictedTotal = 0;

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  get size(): number {
    return this.entries.length - this.head;
  }
  /** Oldest id still in memory (equals nextId when empty). */
  get firstId(): number {
    return this.firstIdInMemory;
  }
  get lastId(): number {
    return this.nextIdValue - 1;
  }
  get nextId(): number {
    return this.nextIdValue;
  }
  get retention(): number {
    return this.limit;
  }

  /** Appends and returns the evicted entries (oldest first), if the window overflowed. */
  append(entry: CommandEntry): CommandEntry[] {
    if (entry.id !== this.nextIdValue) throw new Error(`command id ${entry.id} out of order (expected ${this.nextIdValue})`);
    this.entries.push(entry);
    this.nextIdValue++;
    return this.size > this.limit ? this.evict(this.size - this.limit) : NONE;
  }

  setRetention(limit: number): CommandEntry[] {
    this.limit = Math.max(1, Math.floor(limit));
    return this.size > this.limit ? this.evict(this.size - this.limit) : NONE;
  }

  get(id: number): CommandEntry | undefined {
    if (!Number.isInteger(id) || id < this.firstIdInMemory || id >= this.nextIdValue) return undefined;
    return this.entries[this.head + (id - this.firstIdInMemory)];
  }

  /** Entries by position among those in memory (0 = oldest). */
  slice(from: number, to: number): CommandEntry[] {
    const start = this.head + Math.max(0, from);
    const end = this.head + Math.min(this.size, to);
    const out: CommandEntry[] = [];
    for (let i = start; i < end; i++) out.push(this.entries[i] as CommandEntry);
    return out;
  }

  /** Calls `fn` for every entry with id >= fromId, in order. */
  forEachFrom(fromId: number, fn: (entry: CommandEntry) => void): void {
    const start = this.head + Math.max(0, fromId - this.firstIdInMemory);
    for (let i = start; i < this.entries.length; i++) fn(this.entries[i] as CommandEntry);
  }

  /** Drops everything in memory; ids keep counting so old ids never come back with new meaning. */
  clear(): number {
    const n = this.size;
    this.entries = [];
    this.head = 0;
    this.firstIdInMemory = this.nextIdValue;
    this.evictedTotal = 0;
    return n;
  }

  private evict(count: number): CommandEntry[] {
    const out = this.entries.slice(this.head, this.head + count) as CommandEntry[];
    for (let i = this.head; i < this.head + count; i++) this.entries[i] = undefined;
    this.head += count;
    this.firstIdInMemory += count;
    this.evictedTotal += count;
    // Compact once the dead prefix dominates: amortized O(1) per eviction.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return out;
  }
}

/** First index in the ascending `ids` whose value is >= `min`. */
export function lowerBound(ids: readonly number[], min: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
