import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BytesEvent } from '../../shared/api/gateway-events.ts';
import { CaptureWriter } from './log.ts';
import { readAllEvents } from './read.ts';
import { saveSegments } from './save-run.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function bytesEvent(seq: number, size: number): BytesEvent {
  return { type: 'bytes', seq, time: 1_700_000_000_000 + seq, sessionId: '7', direction: 'server', exchangeId: seq, bytes: new Uint8Array(size).fill(seq & 0xff) };
}

describe('saveSegments', () => {
  it('copies every segment after one header, keeps drop notes, leaves out a partial last line, never overwrites', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capture-save-'));
    dirs.push(dir);
    const writer = await CaptureWriter.open({ dir, appVersion: 't', segmentBytes: 8192, diskBytes: 1 << 30, maxPendingBytes: 20_000 });
    for (let seq = 1; seq <= 200; seq++) writer.write(bytesEvent(seq, 50 + (seq % 300)));
    await writer.flush();
    for (let seq = 201; seq <= 260; seq++) writer.write(bytesEvent(seq, 2000)); // some are dropped
    await writer.close();
    expect(writer.segmentFiles.length).toBeGreaterThan(3);
    expect(writer.stats.dropped).toBeGreaterThan(0);
    // A writer appending when the save started: its half-written line is not copied.
    await appendFile(writer.currentFile, '{"type":"bytes","seq":999,');

    const header = { format: 'msn-gateway-inspector-capture' as const, version: 1, app: 't', started: writer.started.toISOString(), captureId: writer.captureId, segment: 0 };
    const out = join(dir, 'saved.ndjson');
    const bytes = await saveSegments(out, header, writer.segmentFiles);
    const text = await readFile(out, 'utf8');
    expect(Buffer.byteLength(text)).toBe(bytes);
    expect(text.split('\n').filter((l) => l.startsWith('{"format"'))).toHaveLength(1);
    expect(text.endsWith('}\n')).toBe(true);

    const saved = await readAllEvents(out);
    const direct = await readAllEvents(dir);
    expect(saved.events).toEqual(direct.events.filter((e) => e.seq !== 999));
    expect(saved.events).toHaveLength(writer.stats.events);
    const notes = (r: typeof saved) => r.problems.filter((p) => p.kind === 'dropped-events').map((p) => p.message);
    expect(notes(saved).length).toBeGreaterThan(0);
    expect(notes(saved)).toEqual(notes(direct));
    expect(saved.problems.every((p) => p.kind === 'dropped-events')).toBe(true);
    await expect(saveSegments(out, header, writer.segmentFiles)).rejects.toThrow(/EEXIST/);
  });
});
