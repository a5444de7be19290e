// Reading in batches: lines that straddle the 1 MiB reads, batches() equal to per-event iteration,
// and decoded bytes that stay intact while many more are decoded after them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BytesEvent, GatewayEvent } from '../../shared/api/gateway-events.ts';
import { readLineBatches } from './lines.ts';
import { CaptureWriter } from './log.ts';
import { readAllEvents, readCapture } from './read.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function bytesEvent(seq: number, size: number): BytesEvent {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (seq * 31 + i * 7) & 0xff;
  return { type: 'bytes', seq, time: 1_700_000_000_000 + seq, sessionId: '42', direction: seq % 2 ? 'client' : 'server', exchangeId: null, bytes };
}

async function capture(events: GatewayEvent[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'capture-read-'));
  dirs.push(dir);
  const writer = await CaptureWriter.open({ dir, appVersion: 't' });
  for (const e of events) writer.write(e);
  await writer.close();
  return writer.currentFile;
}

describe('reading a capture in batches', () => {
  it('reads lines that straddle reads, and lines of several MiB, byte for byte', async () => {
    const events: GatewayEvent[] = [];
    for (let seq = 1; seq <= 3000; seq++) events.push(bytesEvent(seq, seq % 1500 === 0 ? 1536 * 1024 : 1 + (seq % 700)));
    const file = await capture(events);
    const { events: back, problems } = await readAllEvents(file);
    expect(problems).toEqual([]);
    expect(back).toHaveLength(3000);
    for (let i = 0; i < 3000; i++) {
      const { bytes, ...rest } = back[i] as BytesEvent;
      const { bytes: want, ...wantRest } = events[i] as BytesEvent;
      expect(rest).toEqual(wantRest);
      expect(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(want)).toBe(true);
    }

    let batches = 0;
    let n = 0;
    for await (const batch of readCapture(file).batches()) {
      batches++;
      for (const e of batch) expect(e.seq).toBe(++n);
    }
    expect(n).toBe(3000);
    expect(batches).toBeGreaterThan(1);
  });

  it('gives every line its byte offset across reads', async () => {
    const events: GatewayEvent[] = [];
    for (let seq = 1; seq <= 4000; seq++) events.push(bytesEvent(seq, 500 + (seq % 300)));
    const file = await capture(events);
    const { readFile } = await import('node:fs/promises');
    const whole = await readFile(file);
    let count = 0;
    for await (const lines of readLineBatches(file)) {
      for (const line of lines) {
        expect(whole.toString('utf8', line.offset, line.offset + line.length)).toBe(line.text);
        expect(whole[line.offset + line.length]).toBe(0x0a);
        count++;
      }
    }
    expect(count).toBe(4001);
  });
});
