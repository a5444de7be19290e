import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BytesEvent, GatewayEvent } from '../../shared/api/gateway-events.ts';
import { plain, runGateway } from './__test__/gateway-run.ts';
import { CaptureFormatError } from './format.ts';
import { CaptureWriter, readAllEvents, readCapture, type RetentionReport } from './log.ts';
import { indexCapture, readRange } from './range.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'capture-test-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function bytesEvent(seq: number, size = 100): BytesEvent {
  return { type: 'bytes', seq, time: 1_700_000_000_000 + seq + 0.25, sessionId: '111222333', direction: seq % 2 ? 'client' : 'server', exchangeId: seq, bytes: new Uint8Array(size).fill(seq & 0xff) };
}

describe('capture log of a real gateway run', () => {
  it('writes every event as it goes and reopens them identical (bytes, times, order)', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: '9.9.9' });
    const run = await runGateway((e) => writer.write(e));
    await writer.close();
    expect(run.events.length).toBeGreaterThan(40);
    const types = new Set(run.events.map((e) => e.type));
    for (const t of ['session-opened', 'http-request', 'http-response', 'bytes', 'session-closed', 'upstream-connected']) expect(types).toContain(t);

    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const text = await readFile(join(dir, files[0]), 'utf8');
    const [headerLine, ...lines] = text.split('\n');
    expect(JSON.parse(headerLine)).toMatchObject({ format: 'msn-gateway-inspector-capture', version: 1, app: '9.9.9', segment: 0, captureId: writer.captureId });
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(run.events.length + 1);

    const back = await readAllEvents(join(dir, files[0]));
    expect(back.problems).toEqual([]);
    expect(back.events).toEqual(plain(run.events));
    // A directory holding one capture reads the same.
    expect((await readAllEvents(dir)).events).toEqual(plain(run.events));
  });

  it('flushes on its own within about flushMs, without close()', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't', flushMs: 50 });
    writer.write(bytesEvent(1));
    const deadline = Date.now() + 2000;
    let lines = 0;
    while (Date.now() < deadline && lines < 2) {
      await new Promise((r) => setTimeout(r, 20));
      lines = (await readFile(writer.currentFile, 'utf8')).split('\n').filter(Boolean).length;
    }
    expect(lines).toBe(2);
    await writer.close();
  });
});

describe('reopening damaged or foreign files', () => {
  it('a writer killed with SIGKILL mid-run leaves a capture that reopens (at most one partial line)', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, [fileURLToPath(new URL('./__test__/writer-child.ts', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`writer child exited early (${code})`)));
    });
    await new Promise((r) => setTimeout(r, 30));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const problems: string[] = [];
    const { events } = await readAllEvents(dir, { onProblem: (p) => problems.push(p.kind) });
    expect(events.length).toBeGreaterThanOrEqual(50);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(problems.filter((k) => k !== 'truncated-line')).toEqual([]);
    expect(problems.length).toBeLessThanOrEqual(1);
  });

  it('reports a truncated last line instead of throwing, and keeps the complete ones', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't' });
    for (let i = 1; i <= 5; i++) writer.write(bytesEvent(i));
    await writer.close();
    const full = await readFile(writer.currentFile, 'utf8');
    const lastLine = full.trimEnd().split('\n').at(-1)!;
    await writeFile(writer.currentFile, full + lastLine.slice(0, 40)); // killed mid-line
    const seen: string[] = [];
    const reader = readCapture(writer.currentFile, { onProblem: (p) => seen.push(p.message) });
    const events: GatewayEvent[] = [];
    for await (const e of reader) events.push(e);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(reader.problems).toHaveLength(1);
    expect(reader.problems[0]).toMatchObject({ kind: 'truncated-line', offset: Buffer.byteLength(full) });
    expect(seen[0]).toMatch(/incomplete/);
  });

  it('skips and reports a corrupt line in the middle', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't' });
    writer.write(bytesEvent(1));
    await writer.flush();
    await appendFile(writer.currentFile, '{"type":"bytes", garbage\n{"type":"no-such-event","seq":1,"time":1}\n');
    writer.write(bytesEvent(2));
    await writer.close();
    const { events, problems } = await readAllEvents(writer.currentFile);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(problems.map((p) => p.kind)).toEqual(['bad-line', 'bad-line']);
    expect(problems[1].message).toMatch(/unknown record type "no-such-event"/);
  });

  it('rejects files that are not captures with a clear error', async () => {
    const dir = await tempDir();
    const cases: Array<[string, string | Uint8Array, RegExp]> = [
      ['empty.ndjson', '', /is empty: not a capture file/],
      ['har.json', '{"log":{"version":"1.2"}}\n', /not a capture file: it does not start with a capture header/],
      ['binary.pcapng', new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x1c]), /not a capture file/],
      ['future.ndjson', '{"format":"msn-gateway-inspector-capture","version":99,"app":"x","started":"x","captureId":"x","segment":0}\n', /version 99 is not supported/],
      ['other.ndjson', '{"format":"something-else","version":1}\n', /format is "something-else"/],
    ];
    for (const [name, content, message] of cases) {
      await writeFile(join(dir, name), content);
      const error = await readAllEvents(join(dir, name)).then(() => null, (e: unknown) => e);
      expect(error, name).toBeInstanceOf(CaptureFormatError);
      expect((error as Error).message, name).toMatch(message);
    }
    await expect(readAllEvents(join(dir, 'missing.ndjson'))).rejects.toThrow(/cannot open capture .*ENOENT/);
    await expect(readAllEvents(await tempDir())).rejects.toThrow(/holds no capture segment files/);
  });

  it('skips a line over the length limit and says so', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't' });
    writer.write(bytesEvent(1, 10));
    writer.write(bytesEvent(2, 5000));
    writer.write(bytesEvent(3, 10));
    await writer.close();
    const { events, problems } = await readAllEvents(writer.currentFile, { maxLineBytes: 2000 });
    expect(events.map((e) => e.seq)).toEqual([1, 3]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'long-line' })]);
  });
});

describe('rotation and disk retention', () => {
  it('rotates segments, deletes the oldest past diskBytes and reports every deletion', async () => {
    const dir = await tempDir();
    const reports: RetentionReport[] = [];
    const writer = await CaptureWriter.open({ dir, appVersion: 't', segmentBytes: 8192, diskBytes: 3 * 8192, indexEvery: 7, onRetention: (r) => reports.push(r) });
    for (let i = 1; i <= 400; i++) writer.write(bytesEvent(i, 200));
    await writer.close();
    expect(writer.stats.segments).toBeGreaterThan(5);
    const onDisk = (await readdir(dir)).sort();
    expect(onDisk.length).toBeLessThanOrEqual(4);
    expect(onDisk.map((f) => join(dir, f))).toEqual([...writer.segmentFiles]);
    const removed = reports.flatMap((r) => r.removed);
    expect(removed.length).toBe(writer.stats.segments - onDisk.length);
    for (const r of reports) expect(r.keptBytes).toBeLessThanOrEqual(r.limitBytes);
    // Removed ranges are contiguous from seq 1 and the files left hold exactly the rest.
    expect(removed[0].firstSeq).toBe(1);
    for (let i = 1; i < removed.length; i++) expect(removed[i].firstSeq).toBe(removed[i - 1].lastSeq! + 1);
    const { events, problems } = await readAllEvents(dir);
    expect(problems).toEqual([]);
    expect(events[0].seq).toBe(removed.at(-1)!.lastSeq! + 1);
    expect(events.at(-1)!.seq).toBe(400);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => events[0].seq + i));
    // Every segment starts with its own header, so each is readable alone.
    for (const f of onDisk) expect(JSON.parse((await readFile(join(dir, f), 'utf8')).split('\n')[0]).captureId).toBe(writer.captureId);

    // A range that starts in a deleted segment says where disk history begins.
    const range = await writer.readRange(1, 5);
    expect(range.firstAvailableSeq).toBe(events[0].seq);
    expect(range.events[0].seq).toBe(events[0].seq);
  });

  it('applies the budget to earlier runs in the directory when a capture opens', async () => {
    const dir = await tempDir();
    const old = await CaptureWriter.open({ dir, appVersion: 't', segmentBytes: 8192, diskBytes: 1 << 20, now: () => new Date('2020-01-01T00:00:00Z') });
    for (let i = 1; i <= 200; i++) old.write(bytesEvent(i, 200));
    await old.close();
    const reports: RetentionReport[] = [];
    const writer = await CaptureWriter.open({ dir, appVersion: 't', segmentBytes: 8192, diskBytes: 16384, onRetention: (r) => reports.push(r) });
    await writer.close();
    expect(reports).toHaveLength(1);
    expect(reports[0].removed.map((r) => r.file)).toEqual(old.segmentFiles.slice(0, reports[0].removed.length));
    expect(reports[0].keptBytes).toBeLessThanOrEqual(16384);
  });

  it('rejects nonsense limits', async () => {
    const dir = await tempDir();
    await expect(CaptureWriter.open({ dir, appVersion: 't', segmentBytes: 10 })).rejects.toThrow(/at least 4096/);
    await expect(CaptureWriter.open({ dir, appVersion: 't', flushMs: 0 })).rejects.toThrow(/flushMs must be a positive number/);
    await expect(CaptureWriter.open({ dir, appVersion: 't', segmentBytes: 1 << 20, diskBytes: 1 << 19 })).rejects.toThrow(/diskBytes must be at least segmentBytes/);
  });

  it('drops past maxPendingBytes, counts the drop and notes it in the file', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't', maxPendingBytes: 2000 });
    for (let i = 1; i <= 50; i++) writer.write(bytesEvent(i, 200));
    await writer.close();
    expect(writer.stats.dropped).toBeGreaterThan(0);
    expect(writer.stats.events + writer.stats.dropped).toBe(50);
    const { events, problems } = await readAllEvents(writer.currentFile);
    expect(events).toHaveLength(writer.stats.events);
    expect(problems).toEqual([expect.objectContaining({ kind: 'dropped-events', message: expect.stringContaining(`dropped ${writer.stats.dropped} events`) })]);
  });
});

describe('writing cheaply and safely', () => {
  it('puts the drop note where the gap is when writing resumes, and indexes around it', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't', maxPendingBytes: 2000, indexEvery: 3 });
    for (let i = 1; i <= 20; i++) writer.write(bytesEvent(i, 200));
    const droppedFirst = writer.stats.dropped;
    expect(droppedFirst).toBeGreaterThan(0);
    await writer.flush();
    for (let i = 21; i <= 23; i++) writer.write(bytesEvent(i, 200));
    await writer.close();
    const lines = (await readFile(writer.currentFile, 'utf8')).trimEnd().split('\n').slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
    const note = lines.findIndex((l) => l.$capture === 'dropped');
    expect(lines[note]).toMatchObject({ count: droppedFirst, firstSeq: 20 - droppedFirst + 1, lastSeq: 20 });
    expect(lines[note - 1].seq).toBe(20 - droppedFirst);
    expect(lines[note + 1].seq).toBe(21);
    expect(writer.stats.events + writer.stats.dropped).toBe(23);
    // The index built while writing points at the lines a fresh scan finds.
    expect((await indexCapture(writer.currentFile, 3)).list()).toEqual(writer.index.list());
  });

  it('counts an event that cannot be encoded as dropped instead of throwing', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't' });
    writer.write(bytesEvent(1));
    expect(() => writer.write({ ...bytesEvent(2), detail: 2n } as unknown as GatewayEvent)).not.toThrow();
    writer.write(bytesEvent(3));
    await writer.close();
    expect(writer.stats).toMatchObject({ events: 2, dropped: 1 });
    const { events, problems } = await readAllEvents(writer.currentFile);
    expect(events.map((e) => e.seq)).toEqual([1, 3]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'dropped-events', message: expect.stringContaining('seq 2 to 2') })]);
  });

  it('joins flushes asked for while one is waiting, and loses nothing across segment rotations', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't', segmentBytes: 4096, diskBytes: 1 << 30, indexEvery: 5 });
    const flushes = new Set<Promise<void>>();
    for (let i = 1; i <= 300; i++) {
      writer.write(bytesEvent(i, 300 + (i % 50)));
      if (i % 10 === 0) flushes.add(writer.flush());
    }
    expect(flushes.size).toBeLessThan(30);
    await writer.close();
    expect(writer.segmentFiles.length).toBeGreaterThan(20);
    for (const f of writer.segmentFiles) expect((await readFile(f)).length).toBeLessThanOrEqual(4096);
    const { events, problems } = await readAllEvents(dir);
    expect(problems).toEqual([]);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect((await indexCapture(dir, 5)).list()).toEqual(writer.index.list());
    expect(writer.stats.bytes).toBe((await Promise.all(writer.segmentFiles.map((f) => readFile(f)))).reduce((n, b) => n + b.length, 0));
  });
});

describe('readRange: re-reading evicted events from disk', () => {
  it('reads any range through the sparse index, across segments, live and after reopening', async () => {
    const dir = await tempDir();
    const writer = await CaptureWriter.open({ dir, appVersion: 't', segmentBytes: 64 * 1024, diskBytes: 1 << 30, indexEvery: 10 });
    for (let i = 1; i <= 1000; i++) writer.write(bytesEvent(i, 150));
    const live = await writer.readRange(537, 20);
    expect(live.events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 537 + i));
    expect((live.events[3] as BytesEvent).bytes).toEqual(bytesEvent(540, 150).bytes);
    expect(writer.index.size).toBeGreaterThanOrEqual(100);
    expect(writer.segmentFiles.length).toBeGreaterThan(2);
    await writer.close();

    const index = await indexCapture(dir, 10);
    expect(index.list()).toEqual(writer.index.list());
    const across = await readRange(index, 990, 50);
    expect(across.events.map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => 990 + i));
    expect((await readRange(index, 1, 3)).events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await readRange(index, 5000, 3)).events).toEqual([]);
    expect((await readRange(index, 1, 0)).events).toEqual([]);
  });
});
