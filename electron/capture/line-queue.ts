// Encoded lines waiting for the disk, copied at once into large Buffers. Lines kept as JS strings
// until the next flush lived long enough to be promoted out of the young generation, so the
// capture log made every major GC of a busy inspector heavier; bytes off the JS heap do not.
// Each block belongs to one segment file, so the writer can rotate between blocks.

export interface QueuedBlock {
  buf: Buffer;
  used: number;
  /** The segment file these lines go to. */
  segment: number;
  /** Events among the lines (headers and notes are not events). */
  events: number;
}

/** Blocks of this size are kept for reuse once written. */
export const BLOCK_BYTES = 1024 * 1024;
const MAX_SPARE = 2;
/** Worst case of UTF-8 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_UNIT = 3;

export class LineQueue {
  private blocks: QueuedBlock[] = [];
  private current: QueuedBlock | null = null;
  private readonly spare: Buffer[] = [];
  /** Bytes queued and not yet taken. */
  bytes = 0;

  /** Copies `line` in; returns its length in bytes. */
  append(line: string, segment: number, isEvent: boolean): number {
    let block = this.current !== null && this.current.segment === segment ? this.current : null;
    let room = block === null ? 0 : block.buf.length - block.used;
    if (block === null || line.length * MAX_UTF8_PER_UNIT > room) {
      const exact = Buffer.byteLength(line, 'utf8');
      if (block === null || exact > room) {
        block = this.open(segment, exact);
        room = block.buf.length;
      }
    }
    const n = block.buf.write(line, block.used, room, 'utf8');
    block.used += n;
    if (isEvent) block.events++;
    this.bytes += n;
    return n;
  }

  get empty(): boolean {
    return this.bytes === 0;
  }

  /** Everything queued, in order; the queue starts over empty. */
  take(): QueuedBlock[] {
    const out = this.blocks.filter((b) => b.used > 0);
    this.blocks = [];
    this.current = null;
    this.bytes = 0;
    return out;
  }

  /** Gives a written block's memory back for the next lines. */
  recycle(block: QueuedBlock): void {
    if (block.buf.length === BLOCK_BYTES && this.spare.length < MAX_SPARE) this.spare.push(block.buf);
  }

  private open(segment: number, atLeast: number): QueuedBlock {
    const size = Math.max(BLOCK_BYTES, atLeast);
    const buf = size === BLOCK_BYTES && this.spare.length > 0 ? this.spare.pop()! : Buffer.allocUnsafe(size);
    const block: QueuedBlock = { buf, used: 0, segment, events: 0 };
    this.blocks.push(block);
    this.current = block;
    return block;
  }
}
