// The capture log: every GatewayEvent appended as one NDJSON line to segment files in a directory
// (or to one named file and its continuation files), as the run goes. Lines are encoded at once (the event is snapshotted) and written in batches at
// least every `flushMs`, always whole lines, so a crash loses at most the batch in flight and
// leaves at most one partial last line. Segments rotate at `segmentBytes`; when the directory's
// capture files pass `diskBytes` the oldest segments are deleted and the deletion is reported. A
// named file is the user's record of the run: nothing is deleted, and past `diskBytes` later
// events are dropped and counted instead.
import { randomBytes } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { CAPTURE_FORMAT, CAPTURE_VERSION, encodeRecord, type CaptureHeader } from './format.ts';
import { LineQueue } from './line-queue.ts';
import { CaptureIndex, DEFAULT_INDEX_EVERY, readRange, type RangeResult } from './range.ts';
import { enforceDiskLimit, type RetentionReport } from './retention.ts';
import { checkCaptureFile, continuationFile } from './target.ts';

export { readCapture, readAllEvents, type CaptureReader, type CaptureProblem, type ReadCaptureOptions } from './read.ts';
export type { RetentionReport, RemovedSegment } from './retention.ts';

export interface CaptureWriterOptions {
  /** Directory for the segment files (created if missing). Give this or `file`. */
  dir?: string;
  /**
   * The file for this run's capture (its directory must exist; an existing file is refused unless
   * empty). Later segments go beside it as `<name>.0001<ext>`, ... Give this or `dir`.
   */
  file?: string;
  appVersion: string;
  /** Longest time a written event waits in memory (default 200 ms). */
  flushMs?: number;
  /** A segment file is closed and a new one started past this size (default 64 MiB). */
  segmentBytes?: number;
  /**
   * Budget for all capture segment files in `dir`, this run's and earlier ones (default 1 GiB).
   * With `file`: the most this run's files hold; later events are dropped and counted.
   */
  diskBytes?: number;
  /** Encoded events waiting for the disk beyond this are dropped, counted and noted (default 64 MiB). */
  maxPendingBytes?: number;
  /** Index a byte offset every this many events (default 1000). */
  indexEvery?: number;
  /** Told about every deletion made to stay within `diskBytes`. */
  onRetention?: (report: RetentionReport) => void;
  /** Told when writing failed (the writer then stops and counts what it could not write). */
  onError?: (error: Error) => void;
  /** With `file`: told once, when the next event would pass `diskBytes` (later events are dropped). */
  onFull?: (info: CaptureFullInfo) => void;
  /** For tests: the capture's start time. */
  now?: () => Date;
}

export const CAPTURE_DEFAULTS = {
  flushMs: 200,
  segmentBytes: 64 * 1024 * 1024,
  diskBytes: 1024 * 1024 * 1024,
  maxPendingBytes: 64 * 1024 * 1024,
} as const;

/** Below this, segments would rotate on nearly every event. */
const MIN_SEGMENT_BYTES = 4096;
/** A batch this large is written without waiting for the timer. */
const EARLY_FLUSH_BYTES = 1024 * 1024;

export interface CaptureFullInfo {
  /** Bytes this run's files hold (queued lines included). */
  bytes: number;
  limitBytes: number;
  /** Seq of the first event not saved. */
  firstDroppedSeq: number;
}

export interface CaptureWriterStats {
  events: number;
  /** Bytes written to disk by this writer, headers included. */
  bytes: number;
  dropped: number;
  segments: number;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export class CaptureWriter {
  /** The directory the segment files are in. */
  readonly dir: string;
  /** The named file of this capture, or null for a directory of `capture-*` segment files. */
  readonly file: string | null;
  readonly captureId: string;
  readonly started: Date;
  readonly index: CaptureIndex;
  private readonly opts: Required<Omit<CaptureWriterOptions, 'dir' | 'file' | 'onRetention' | 'onError' | 'onFull' | 'now'>> &
    Pick<CaptureWriterOptions, 'onRetention' | 'onError' | 'onFull'>;
  private readonly queue = new LineQueue();
  private dropped: { count: number; firstSeq: number; lastSeq: number } | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** A flush chained but not started yet: later data joins it instead of chaining another. */
  private nextFlush: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private fh: FileHandle | null = null;
  /** The segment file open for writing. */
  private segment = -1;
  // Where the queued lines will land once written: segments are decided, and lines indexed, as
  // events are queued, so a flush only copies blocks out.
  private tailSegment = 0;
  private tailSize = 0;
  private tailEvents = 0;
  private queuedEvents = 0;
  /** Named file: bytes of the segments before the tail one (the budget counts all of them). */
  private doneBytes = 0;
  /** Named file: the budget is used up; events are dropped until close. */
  private full = false;
  /** Named file: an existing empty file is taken over instead of created. */
  private reuseEmpty = false;
  private failed: Error | null = null;
  private closed = false;
  private readonly files: string[] = [];
  readonly stats: CaptureWriterStats = { events: 0, bytes: 0, dropped: 0, segments: 0 };

  private constructor(opts: CaptureWriterOptions) {
    if ((opts.dir === undefined) === (opts.file === undefined)) throw new TypeError('capture writer needs either dir or file');
    this.opts = {
      appVersion: opts.appVersion,
      flushMs: opts.flushMs ?? CAPTURE_DEFAULTS.flushMs,
      segmentBytes: opts.segmentBytes ?? CAPTURE_DEFAULTS.segmentBytes,
      diskBytes: opts.diskBytes ?? CAPTURE_DEFAULTS.diskBytes,
      maxPendingBytes: opts.maxPendingBytes ?? CAPTURE_DEFAULTS.maxPendingBytes,
      indexEvery: opts.indexEvery ?? DEFAULT_INDEX_EVERY,
      onRetention: opts.onRetention,
      onError: opts.onError,
      onFull: opts.onFull,
    };
    for (const key of ['flushMs', 'segmentBytes', 'diskBytes', 'maxPendingBytes'] as const) {
      const v = this.opts[key];
      if (!Number.isFinite(v) || v <= 0) throw new RangeError(`capture option ${key} must be a positive number, not ${v}`);
    }
    if (this.opts.segmentBytes < MIN_SEGMENT_BYTES) throw new RangeError(`capture option segmentBytes must be at least ${MIN_SEGMENT_BYTES}`);
    if (this.opts.diskBytes < this.opts.segmentBytes) throw new RangeError('capture option diskBytes must be at least segmentBytes');
    this.file = opts.file ?? null;
    this.dir = opts.file !== undefined ? dirname(opts.file) : opts.dir!;
    this.started = (opts.now ?? (() => new Date()))();
    this.captureId = randomBytes(4).toString('hex');
    this.index = new CaptureIndex(this.opts.indexEvery);
  }

  /**
   * Creates the directory and the first segment (and applies the disk budget to older files); or,
   * with `file`, checks it may be written (CaptureTargetError otherwise) and creates it.
   */
  static async open(opts: CaptureWriterOptions): Promise<CaptureWriter> {
    const writer = new CaptureWriter(opts);
    if (writer.file !== null) writer.reuseEmpty = (await checkCaptureFile(writer.file)).exists;
    else await mkdir(writer.dir, { recursive: true });
    await writer.startSegment();
    writer.tailSize = Buffer.byteLength(writer.headerLine(0), 'utf8');
    writer.timer = setInterval(() => void writer.flush(), writer.opts.flushMs);
    writer.timer.unref();
    return writer;
  }

  /** The segment file being written. */
  get currentFile(): string {
    return this.files.at(-1)!;
  }

  /** This run's segment files still on disk, oldest first. */
  get segmentFiles(): readonly string[] {
    return this.files;
  }

  /** Queues one event. Never throws: a failed or overloaded writer counts the event as dropped. */
  write(event: GatewayEvent): void {
    if (this.closed) return;
    if (this.failed || this.full || this.queue.bytes > this.opts.maxPendingBytes) {
      this.noteDrop(event.seq);
      return;
    }
    let line: string;
    try {
      line = encodeRecord(event);
    } catch {
      this.noteDrop(event.seq); // not JSON-representable (a cycle, a bigint): never the gateway's events
      return;
    }
    if (this.file !== null && this.overBudget(line, event.seq)) return;
    if (this.dropped) this.queueNote();
    if (this.tailEvents > 0 && this.tailSize + line.length * 3 > this.opts.segmentBytes) {
      if (this.tailSize + Buffer.byteLength(line, 'utf8') > this.opts.segmentBytes) this.rotateTail();
    }
    if (this.tailEvents === 0 || this.queuedEvents % this.opts.indexEvery === 0) {
      this.index.add({ seq: event.seq, file: this.fileFor(this.tailSegment), offset: this.tailSize });
    }
    this.tailSize += this.queue.append(line, this.tailSegment, true);
    this.tailEvents++;
    this.queuedEvents++;
    if (this.queue.bytes >= EARLY_FLUSH_BYTES) void this.flush();
  }

  /** Writes everything queued so far; resolves once it is on disk (in the OS's hands). */
  flush(): Promise<void> {
    if (this.nextFlush) return this.nextFlush;
    const next = this.chain.then(() => {
      this.nextFlush = null;
      return this.writeBatch();
    });
    this.nextFlush = next;
    this.chain = next;
    return next;
  }

  /** Flushes and closes the file. Later writes are ignored. */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    this.chain = this.chain.then(async () => {
      await this.fh?.close().catch(() => undefined);
      this.fh = null;
    });
    return this.chain;
  }

  /** Events from `fromSeq` on, re-read from disk (what is still queued is flushed first). */
  async readRange(fromSeq: number, count: number): Promise<RangeResult> {
    await this.flush();
    return readRange(this.index, fromSeq, count);
  }

  /** Named file: true (and the event counted as dropped) when writing `line` would pass the budget. */
  private overBudget(line: string, seq: number): boolean {
    if (!this.full) {
      const used = this.doneBytes + this.tailSize;
      if (used + line.length * 3 <= this.opts.diskBytes) return false;
      const bytes = Buffer.byteLength(line, 'utf8');
      const rotates = this.tailEvents > 0 && this.tailSize + bytes > this.opts.segmentBytes;
      const next = rotates ? this.doneBytes + this.tailSize + Buffer.byteLength(this.headerLine(this.tailSegment + 1), 'utf8') : used;
      if (next + bytes <= this.opts.diskBytes) return false;
      this.full = true;
      this.opts.onFull?.({ bytes: used, limitBytes: this.opts.diskBytes, firstDroppedSeq: seq });
    }
    this.noteDrop(seq);
    return true;
  }

  private noteDrop(seq: number): void {
    this.stats.dropped++;
    if (this.dropped) {
      this.dropped.count++;
      this.dropped.lastSeq = seq;
    } else this.dropped = { count: 1, firstSeq: seq, lastSeq: seq };
  }

  private fileFor(segment: number): string {
    if (this.file !== null) return continuationFile(this.file, segment);
    return join(this.dir, `capture-${stamp(this.started)}-${this.captureId}-${String(segment).padStart(4, '0')}.ndjson`);
  }

  private headerLine(segment: number): string {
    const header: CaptureHeader = {
      format: CAPTURE_FORMAT,
      version: CAPTURE_VERSION,
      app: this.opts.appVersion,
      started: this.started.toISOString(),
      captureId: this.captureId,
      segment,
    };
    return encodeRecord(header);
  }

  private rotateTail(): void {
    this.doneBytes += this.tailSize;
    this.tailSegment++;
    this.tailSize = Buffer.byteLength(this.headerLine(this.tailSegment), 'utf8');
    this.tailEvents = 0;
  }

  /** The drop note goes where the gap is: before the next event written, or at the next flush. */
  private queueNote(): void {
    const note = encodeRecord({ $capture: 'dropped', ...this.dropped!, ...(this.full ? { reason: 'budget' as const } : {}) });
    this.dropped = null;
    this.tailSize += this.queue.append(note, this.tailSegment, false);
  }

  private async writeBatch(): Promise<void> {
    if (this.failed || !this.fh) return;
    // A full named capture drops every later event: one note at close, not one per flush.
    if (this.dropped && (!this.full || this.closed)) this.queueNote();
    const blocks = this.queue.take();
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      try {
        if (block.segment !== this.segment) await this.startSegment();
        await this.fh.write(block.buf, 0, block.used);
      } catch (error) {
        this.failed = error as Error;
        // What was queued and never reached the file is lost: count it with the drops.
        for (let j = i; j < blocks.length; j++) this.stats.dropped += blocks[j].events;
        this.opts.onError?.(this.failed);
        return;
      }
      this.stats.bytes += block.used;
      this.stats.events += block.events;
      this.queue.recycle(block);
    }
  }

  private async startSegment(): Promise<void> {
    await this.fh?.close();
    this.fh = null;
    this.segment++;
    const file = this.fileFor(this.segment);
    // 'ax': never clobber a file another run wrote; appends land at the end whatever else wrote there.
    // An empty named file was checked at open and is taken over ('a').
    this.fh = await open(file, this.segment === 0 && this.reuseEmpty ? 'a' : 'ax');
    this.files.push(file);
    const line = Buffer.from(this.headerLine(this.segment), 'utf8');
    await this.fh.write(line);
    this.stats.bytes += line.length;
    this.stats.segments++;
    await this.applyRetention();
  }

  private async applyRetention(): Promise<void> {
    if (this.file !== null) return; // a named capture's directory is the user's: nothing there is deleted
    const report = await enforceDiskLimit(this.dir, this.opts.diskBytes, this.currentFile);
    if (report.removed.length === 0) return;
    const gone = new Set(report.removed.map((r) => r.file));
    const entries = this.index.list();
    for (const r of report.removed) {
      const at = entries.findIndex((e) => e.file === r.file);
      if (at === -1) continue;
      r.firstSeq = entries[at].seq;
      const next = entries.slice(at).find((e) => e.file !== r.file);
      if (next) r.lastSeq = next.seq - 1;
    }
    this.index.dropFiles(gone);
    for (let i = this.files.length - 1; i >= 0; i--) if (gone.has(this.files[i])) this.files.splice(i, 1);
    this.opts.onRetention?.(report);
  }
}
