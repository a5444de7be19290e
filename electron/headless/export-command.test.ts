import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWN_TICKET, runGateway } from '../capture/__test__/gateway-run.ts';
import { importHar } from '../capture/har.ts';
import { CaptureWriter } from '../capture/log.ts';
import { EXPORT_USAGE, runExport } from './export-command.ts';

let dir: string;
let capture: string;
let eventCount: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-test-'));
  const writer = await CaptureWriter.open({ dir: join(dir, 'captures'), appVersion: '1.2.3' });
  const run = await runGateway((e) => writer.write(e));
  await writer.close();
  capture = writer.currentFile;
  eventCount = run.events.length;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runExport(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('msn-gateway-inspector export', () => {
  it('har: a redacted HAR 1.2 that imports back', async () => {
    const file = join(dir, 'out.har');
    const r = await cli(capture, '--format', 'har', '-o', file);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(new RegExp(`^exported ${eventCount} events \\(\\d+ HTTP exchanges\\) to .*out\\.har \\(redacted\\)\\n$`));
    const text = await readFile(file, 'utf8');
    const har = JSON.parse(text);
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'MSN Gateway Inspector', version: '1.2.3' });
    expect(text).not.toContain(TWN_TICKET);
    expect(importHar(text).length).toBe(eventCount);
  });

  it('pcapng and transcript, from a file or the capture directory; --unredacted keeps secrets', async () => {
    const pcap = join(dir, 'out.pcapng');
    expect((await cli(join(dir, 'captures'), '--format', 'pcapng', '-o', pcap)).code).toBe(0);
    expect([...(await readFile(pcap)).subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    const txt = join(dir, 'out.txt');
    const r = await cli(capture, '--format', 'transcript', '--unredacted', '-o', txt);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/UNREDACTED/);
    const transcript = await readFile(txt, 'utf8');
    expect(transcript).toContain('C: NS 000: VER 1 MSNP8 CVR0');
    expect(transcript).toContain(`USR 4 TWN S ${TWN_TICKET}`);
  });

  it('warns about a truncated capture and still exports it', async () => {
    const damaged = join(dir, 'damaged.ndjson');
    await writeFile(damaged, (await readFile(capture, 'utf8')) + '{"type":"bytes","se');
    const r = await cli(damaged, '--format', 'transcript', '-o', join(dir, 'damaged.txt'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^export: warning: .*damaged\.ndjson at byte \d+: last line is incomplete/);
  });

  it('clear errors and a non-zero exit for bad usage, missing or foreign captures, and unwritable output', async () => {
    const out = join(dir, 'x.har');
    const usage = [
      [[], /missing CAPTURE/],
      [[capture, '-o', out], /missing --format/],
      [[capture, '--format', 'csv', '-o', out], /--format must be har, pcapng or transcript, not "csv"/],
      [[capture, '--format', 'har'], /missing -o FILE/],
      [[capture, '--format', 'har', '-o', out, '--bogus'], /Unknown option '--bogus'/],
      [[capture, '--format', 'har', '-o', capture], /the output file is the capture itself/],
    ] as const;
    for (const [argv, message] of usage) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect((await cli('--format', 'har', '-o', out)).err).toContain(EXPORT_USAGE);

    const foreign = join(dir, 'foreign.json');
    await writeFile(foreign, '{"log":{}}\n');
    const failures = [
      [[join(dir, 'missing.ndjson'), '--format', 'har', '-o', out], /^export: cannot open capture .*missing\.ndjson.*ENOENT/],
      [[foreign, '--format', 'har', '-o', out], /^export: ".*foreign\.json" is not a capture file/],
      [[capture, '--format', 'har', '-o', join(dir, 'no-such-dir', 'x.har')], /cannot write .*its directory does not exist/],
    ] as const;
    for (const [argv, message] of failures) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
    // A directory in the way of the output: the write fails, and no temporary file is left behind.
    const blocked = join(dir, 'blocked');
    await mkdir(join(blocked, 'out.har'), { recursive: true });
    const r = await cli(capture, '--format', 'har', '-o', join(blocked, 'out.har'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot write .*out\.har.*: EISDIR/);
    expect(await readdir(blocked)).toEqual(['out.har']);
  });
});
