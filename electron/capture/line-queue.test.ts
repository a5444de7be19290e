import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, LineQueue, type QueuedBlock } from './line-queue.ts';

function text(blocks: QueuedBlock[]): string {
  return blocks.map((b) => b.buf.toString('utf8', 0, b.used)).join('');
}

describe('LineQueue', () => {
  it('copies lines in order, counts UTF-8 bytes and events, and empties on take()', () => {
    const q = new LineQueue();
    expect(q.append('{"a":"ü€"}\n', 0, true)).toBe(Buffer.byteLength('{"a":"ü€"}\n'));
    q.append('{"$capture":"dropped"}\n', 0, false);
    q.append('{"b":1}\n', 0, true);
    expect(q.bytes).toBe(Buffer.byteLength('{"a":"ü€"}\n{"$capture":"dropped"}\n{"b":1}\n'));
    const blocks = q.take();
    expect(text(blocks)).toBe('{"a":"ü€"}\n{"$capture":"dropped"}\n{"b":1}\n');
    expect(blocks.reduce((n, b) => n + b.events, 0)).toBe(2);
    expect(q.empty).toBe(true);
    expect(q.take()).toEqual([]);
  });

  it('never splits a line between blocks, however the lines fall against the block size', () => {
    const q = new LineQueue();
    const lines: string[] = [];
    // Multi-byte lines sized to straddle the end of the first block.
    for (let i = 0, n = 0; n < BLOCK_BYTES * 1.5; i++) {
      lines.push(`${'é'.repeat(1000 + (i % 7))}${i}\n`);
      n += lines[i].length;
    }
    for (const l of lines) q.append(l, 0, true);
    const blocks = q.take();
    expect(blocks.length).toBeGreaterThan(1);
    for (const b of blocks) expect(b.buf[b.used - 1]).toBe(0x0a);
    expect(text(blocks)).toBe(lines.join(''));
  });

  it('gives a line larger than a block a block of its own', () => {
    const q = new LineQueue();
    const big = `${'x'.repeat(BLOCK_BYTES + 10)}\n`;
    q.append('small\n', 0, true);
    q.append(big, 0, true);
    q.append('after\n', 0, true);
    const blocks = q.take();
    expect(text(blocks)).toBe(`small\n${big}after\n`);
    expect(blocks.find((b) => b.used === big.length)).toBeDefined();
  });

  it('starts a new block when the segment changes', () => {
    const q = new LineQueue();
    q.append('a\n', 0, true);
    q.append('b\n', 1, true);
    q.append('c\n', 1, true);
    expect(q.take().map((b) => [b.segment, b.buf.toString('utf8', 0, b.used)])).toEqual([
      [0, 'a\n'],
      [1, 'b\nc\n'],
    ]);
  });

  it('reuses written blocks', () => {
    const q = new LineQueue();
    q.append('a\n', 0, true);
    const [first] = q.take();
    q.recycle(first);
    q.append('b\n', 0, true);
    const [second] = q.take();
    expect(second.buf).toBe(first.buf);
    expect(second.buf.toString('utf8', 0, second.used)).toBe('b\n');
  });
});
