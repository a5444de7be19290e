// A run written to one named file (`--capture run.ndjson`): the rule that tells a file from a
// directory, the refusals, rotation into `run.0001.ndjson` ..., the reader finding those again by
// captureId, and the size limit (nothing deleted: later events dropped and noted).
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BytesEvent } from '../../shared/api/gateway-events.ts';
import { CaptureWriter, readAllEvents, type CaptureFullInfo } from './log.ts';
import { indexCapture, readRange } from './range.ts';
import { saveSegments } from './save-run.ts';
import { CaptureTargetError, checkCaptureFile, continuationFile, namedCaptureFiles, resolveCaptureTarget } from './target.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'capture-target-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function bytesEvent(seq: number, size = 300): BytesEvent {
  return { type: 'bytes', seq, time: 1_700_000_000_000 + seq, sessionId: '111222333', direction: seq % 2 ? 'client' : 'server', exchangeId: seq, bytes: new Uint8Array(size).fill(seq & 0xff) };
}

describe('resolveCaptureTarget', () => {
  it('takes an existing directory or a trailing slash as a directory, anything else as the file', async () => {
    const dir = await tempDir();
    expect(await resolveCaptureTarget(dir)).toEqual({ kind: 'dir', dir });
    expect(await resolveCaptureTarget(join(dir, 'new') + '/')).toEqual({ kind: 'dir', dir: join(dir, 'new') });
    expect(await resolveCaptureTarget(join(dir, 'run.ndjson'))).toEqual({ kind: 'file', file: join(dir, 'run.ndjson') });
    expect(await resolveCaptureTarget(join(dir, 'missing', 'run.ndjson'))).toEqual({ kind: 'file', file: join(dir, 'missing', 'run.ndjson') });
    await expect(resolveCaptureTarget('')).rejects.toThrow(CaptureTargetError);
  });

  it('names continuation segments beside the file, before its extension', () => {
    expect(continuationFile('/a/run.ndjson', 0)).toBe('/a/run.ndjson');
    expect(continuationFile('/a/run.ndjson', 1)).toBe('/a/run.0001.ndjson');
    expect(continuationFile('/a/run.ndjson', 12345)).toBe('/a/run.12345.ndjson');
    expect(continuationFile('/a/run', 2)).toBe('/a/run.0002');
    expect(continuationFile('/a.b/run.x.json', 3)).toBe('/a.b/run.x.0003.json');
  });
});

describe('checkCaptureFile refuses clearly', () => {
  it('a missing directory, a directory in the way, a file that is not ours, a capture of ours, leftovers', async () => {
    const dir = await tempDir();
    const refusal = async (file: string) => ((await checkCaptureFile(file).catch((e: unknown) => e)) as Error);
    expect(await refusal(join(dir, 'nope', 'run.ndjson'))).toMatchObject({ name: 'CaptureTargetError', message: expect.stringMatching(/directory ".*nope" does not exist/) });
    await writeFile(join(dir, 'plain'), 'x');
    expect((await refusal(join(dir, 'plain', 'run.ndjson'))).message).toMatch(/"[^"]*plain" is not a directory/);
    await mkdir(join(dir, 'sub.ndjson'));
    expect((await refusal(join(dir, 'sub.ndjson'))).message).toMatch(/not a regular file/);

    await writeFile(join(dir, 'notes.txt'), 'my notes\n');
    expect((await refusal(join(dir, 'notes.txt'))).message).toMatch(/exists and is not a capture of ours \(its first line is not JSON\); refusing to overwrite/);
    await writeFile(join(dir, 'other.json'), '{"format":"something-else"}\n');
    expect((await refusal(join(dir, 'other.json'))).message).toMatch(/not a capture of ours \(format is "something-else"/);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');

    const earlier = await CaptureWriter.open({ file: join(dir, 'earlier.ndjson'), appVersion: 't' });
    await earlier.close();
    expect((await refusal(join(dir, 'earlier.ndjson'))).message).toMatch(new RegExp(`is already a capture \\(id ${earlier.captureId}, started .*never appends`));
    await expect(CaptureWriter.open({ file: join(dir, 'earlier.ndjson'), appVersion: 't' })).rejects.toThrow(CaptureTargetError);

    await writeFile(join(dir, 'left.0003.ndjson'), 'x');
    expect((await refusal(join(dir, 'left.ndjson'))).message).toMatch(/"[^"]*left\.0003\.ndjson" already exists/);
  });

  it('takes over an existing empty file (mktemp)', async () => {
    const dir = await tempDir();
    const file = join(dir, 'tmp.ndjson');
    await writeFile(file, '');
    expect(await checkCaptureFile(file)).toEqual({ exists: true });
    const writer = await CaptureWriter.open({ file, appVersion: 't' });
    writer.write(bytesEvent(1));
    await writer.close();
    expect((await readAllEvents(file)).events.map((e) => e.seq)).toEqual([1]);
  });
});

describe('a named capture file', () => {
  it('holds the run, rotates into continuation files, and reads back whole from the named file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'run.ndjson');
    await writeFile(join(dir, 'unrelated.txt'), 'keep me');
    const writer = await CaptureWriter.open({ file, appVersion: 't', segmentBytes: 4096, indexEvery: 4 });
    expect(writer.file).toBe(file);
    expect(writer.currentFile).toBe(file);
    for (let seq = 1; seq <= 60; seq++) writer.write(bytesEvent(seq));
    await writer.close();

    const names = (await readdir(dir)).sort();
    expect(names[0]).toBe('run.0001.ndjson');
    expect(names).toContain('run.ndjson');
    expect(names).toContain('unrelated.txt');
    const segments = names.filter((n) => n.startsWith('run.'));
    expect(segments.length).toBeGreaterThan(3);
    expect(writer.segmentFiles).toEqual([file, ...segments.filter((n) => n !== 'run.ndjson').map((n) => join(dir, n))]);
    for (const f of writer.segmentFiles) expect((await stat(f)).size).toBeLessThanOrEqual(4096);
    for (const [i, f] of writer.segmentFiles.entries()) {
      expect(JSON.parse((await readFile(f, 'utf8')).split('\n')[0])).toMatchObject({ captureId: writer.captureId, segment: i });
    }

    const back = await readAllEvents(file);
    expect(back.problems).toEqual([]);
    expect(back.events.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(back.headers.map((h) => h.segment)).toEqual(writer.segmentFiles.map((_, i) => i));
    // A continuation file opened by itself is read alone.
    expect((await readAllEvents(writer.segmentFiles[1])).headers.map((h) => h.segment)).toEqual([1]);
    // Re-reading by seq across the files, as a reopened capture does.
    const index = await indexCapture(file, 4);
    expect((await readRange(index, 41, 5)).events.map((e) => e.seq)).toEqual([41, 42, 43, 44, 45]);
    // Saving the run as one file copies every segment.
    const saved = join(dir, 'saved.ndjson');
    await saveSegments(saved, { format: 'msn-gateway-inspector-capture', version: 1, app: 't', started: writer.started.toISOString(), captureId: writer.captureId, segment: 0 }, writer.segmentFiles);
    expect((await readAllEvents(saved)).events).toEqual(back.events);
  });

  it('ignores look-alike files of another capture, and reports a missing segment', async () => {
    const dir = await tempDir();
    const file = join(dir, 'run.ndjson');
    const writer = await CaptureWriter.open({ file, appVersion: 't', segmentBytes: 4096 });
    for (let seq = 1; seq <= 40; seq++) writer.write(bytesEvent(seq));
    await writer.close();
    expect(writer.segmentFiles.length).toBeGreaterThanOrEqual(3);
    // A segment of another capture under a matching name is not part of this one.
    const other = await CaptureWriter.open({ file: join(dir, 'o.ndjson'), appVersion: 't', segmentBytes: 4096 });
    for (let seq = 1; seq <= 20; seq++) other.write(bytesEvent(seq));
    await other.close();
    await rename(other.segmentFiles[1], join(dir, 'run.0099.ndjson'));
    expect((await namedCaptureFiles(file)).files).toEqual(writer.segmentFiles);

    await rm(writer.segmentFiles[1]);
    const back = await readAllEvents(file);
    expect(back.problems).toEqual([expect.objectContaining({ kind: 'missing-segments', file, message: expect.stringMatching(/^segment file 1 of this capture is missing/) })]);
    expect(back.events.length).toBeGreaterThan(0);
    expect(back.events.every((e, i, all) => i === 0 || e.seq > all[i - 1].seq)).toBe(true);
  });

  it('deletes nothing past the size limit: later events are dropped, told once and noted at the end', async () => {
    const dir = await tempDir();
    const file = join(dir, 'run.ndjson');
    const full: CaptureFullInfo[] = [];
    const writer = await CaptureWriter.open({ file, appVersion: 't', segmentBytes: 4096, diskBytes: 3 * 4096, onFull: (i) => full.push(i), onRetention: () => expect.fail('a named capture never deletes') });
    for (let seq = 1; seq <= 200; seq++) writer.write(bytesEvent(seq));
    await writer.close();
    expect(full).toHaveLength(1);
    const kept = writer.stats.events;
    expect(kept).toBeGreaterThan(20);
    expect(full[0]).toMatchObject({ limitBytes: 3 * 4096, firstDroppedSeq: kept + 1 });
    expect(writer.stats.dropped).toBe(200 - kept);
    const sizes = await Promise.all(writer.segmentFiles.map(async (f) => (await stat(f)).size));
    const note = 120; // the one drop note may go past the limit
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3 * 4096 + note);

    const back = await readAllEvents(file);
    expect(back.events.map((e) => e.seq)).toEqual(Array.from({ length: kept }, (_, i) => i + 1));
    expect(back.problems).toEqual([
      expect.objectContaining({ kind: 'dropped-events', message: `the writer dropped ${200 - kept} events (seq ${kept + 1} to 200): the capture reached its size limit` }),
    ]);
  });
});
