// Re-reading events the inspector evicted from memory: a sparse index of (seq, file, byte offset)
// taken every N events and at the start of every segment, so a range is read by seeking to the
// nearest entry at or before it and scanning forward, never from the top of the capture.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { decodeLine } from './format.ts';
import { DEFAULT_MAX_LINE_BYTES, readLines } from './lines.ts';
import { captureFiles } from './read.ts';

export interface CaptureIndexEntry {
  seq: number;
  file: string;
  /** Byte offset of that event's line. */
  offset: number;
}

export const DEFAULT_INDEX_EVERY = 1000;
/** Most events one readRange call returns. */
export const MAX_RANGE_EVENTS = 100_000;

export class CaptureIndex {
  readonly every: number;
  private readonly entries: CaptureIndexEntry[] = [];

  constructor(every = DEFAULT_INDEX_EVERY) {
    if (!Number.isInteger(every) || every < 1) throw new RangeError(`index interval must be a positive integer, not ${every}`);
    this.every = every;
  }

  /** Entries must arrive in increasing seq order (the writer's order). */
  add(entry: CaptureIndexEntry): void {
    const last = this.entries.at(-1);
    if (last && entry.seq <= last.seq) return;
    this.entries.push(entry);
  }

  /** Forgets the entries of deleted files. */
  dropFiles(files: ReadonlySet<string>): void {
    const kept = this.entries.filter((e) => !files.has(e.file));
    this.entries.length = 0;
    this.entries.push(...kept);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The lowest seq still on disk, or null when nothing is indexed. */
  get firstSeq(): number | null {
    return this.entries[0]?.seq ?? null;
  }

  list(): readonly CaptureIndexEntry[] {
    return this.entries;
  }

  /** The last entry at or before `seq` (binary search), else the first entry. */
  locate(seq: number): CaptureIndexEntry | null {
    let lo = 0;
    let hi = this.entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].seq <= seq) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return this.entries[Math.max(found, 0)] ?? null;
  }

  /** Files in the order their entries appear, starting at `file`. */
  filesFrom(file: string): string[] {
    const files: string[] = [];
    for (const e of this.entries) if (files.at(-1) !== e.file) files.push(e.file);
    const at = files.indexOf(file);
    return at === -1 ? [] : files.slice(at);
  }
}

export interface RangeResult {
  /** Events with seq >= fromSeq, in order, at most `count`. */
  events: GatewayEvent[];
  /**
   * Lowest seq still on disk. When it is above `fromSeq`, the events before it were removed by
   * disk retention (and were reported when they were).
   */
  firstAvailableSeq: number | null;
}

/** Reads up to `count` events from `fromSeq` on, using `index` to start near them. */
export async function readRange(index: CaptureIndex, fromSeq: number, count: number): Promise<RangeResult> {
  const limit = Math.min(Math.max(0, Math.floor(count)), MAX_RANGE_EVENTS);
  const events: GatewayEvent[] = [];
  const start = index.locate(fromSeq);
  if (!start || limit === 0) return { events, firstAvailableSeq: index.firstSeq };
  let offset = start.offset;
  for (const file of index.filesFrom(start.file)) {
    for await (const line of readLines(file, offset, DEFAULT_MAX_LINE_BYTES)) {
      if (!line.complete || line.tooLong || line.text.length === 0) continue;
      let decoded;
      try {
        decoded = decodeLine(line.text);
      } catch {
        continue; // the full reader reports damaged lines; a range just skips them
      }
      if (decoded.kind !== 'event' || decoded.event.seq < fromSeq) continue;
      events.push(decoded.event);
      if (events.length >= limit) return { events, firstAvailableSeq: index.firstSeq };
    }
    offset = 0;
  }
  return { events, firstAvailableSeq: index.firstSeq };
}

/** Builds an index for a reopened capture (a file or a segment directory) by scanning it once. */
export async function indexCapture(path: string, every = DEFAULT_INDEX_EVERY): Promise<CaptureIndex> {
  const index = new CaptureIndex(every);
  let n = 0;
  for (const file of await captureFiles(path)) {
    let firstInFile = true;
    for await (const line of readLines(file)) {
      if (!line.complete || line.tooLong || line.text.startsWith('{"format":') || line.text.startsWith('{"$capture":')) continue;
      // A top-level key: inside JSON strings a quote is escaped, so `"seq":` cannot match there.
      const seq = /"seq":(\d+)/.exec(line.text)?.[1];
      if (seq === undefined) continue;
      if (firstInFile || n % index.every === 0) index.add({ seq: Number(seq), file, offset: line.offset });
      firstInFile = false;
      n++;
    }
  }
  return index;
}
