// `headless --capture FILE`: the run goes to exactly that file (a real child process), `export`
// reads it back, and a file that would be refused stops the command before anything listens.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureWriter } from '../capture/log.ts';
import { main } from './cli.ts';
import { HEADLESS_USAGE } from './headless-command.ts';

const BIN = fileURLToPath(new URL('../../bin/msn-gateway-inspector.mjs', import.meta.url));
const cleanups: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'headless-capture-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

const PORTS = ['--gateway-port', '0', '--ns-port', '0', '--sb-port', '0'];

describe('headless --capture FILE refuses clearly, before listening', () => {
  it('a file whose directory does not exist', async () => {
    const dir = await tempDir();
    const a = io();
    expect(await main(['headless', ...PORTS, '--data-dir', dir, '--capture', join(dir, 'nope', 'run.ndjson')], a.io)).toBe(1);
    expect(a.err.join('')).toMatch(/^msn-gateway-inspector headless: --capture: cannot write the capture to ".*run\.ndjson": its directory ".*nope" does not exist\n$/);
    expect(a.out).toEqual([]);
  });

  it('a file that exists and is not a capture of ours (left untouched)', async () => {
    const dir = await tempDir();
    const file = join(dir, 'notes.ndjson');
    await writeFile(file, '{"hello":1}\n');
    const a = io();
    expect(await main(['headless', ...PORTS, '--data-dir', dir, '--capture', file], a.io)).toBe(1);
    expect(a.err.join('')).toMatch(/exists and is not a capture of ours \(it does not start with a capture header\); refusing to overwrite it/);
    expect(await readFile(file, 'utf8')).toBe('{"hello":1}\n');
  });

  it('a capture of ours: a run never appends to it', async () => {
    const dir = await tempDir();
    const file = join(dir, 'old.ndjson');
    const writer = await CaptureWriter.open({ file, appVersion: 't' });
    await writer.close();
    const a = io();
    expect(await main(['headless', ...PORTS, '--data-dir', dir, '--capture', file], a.io)).toBe(1);
    expect(a.err.join('')).toContain(`is already a capture (id ${writer.captureId}`);
  });

  it('documents the rule in --help', () => {
    expect(HEADLESS_USAGE).toMatch(/--capture FILE\|DIR/);
    expect(HEADLESS_USAGE).toMatch(/run\.0001\.ndjson/);
    expect(HEADLESS_USAGE).toMatch(/path ending with \//);
  });
});

describe('headless --capture FILE in a real run', () => {
  async function run(args: string[]): Promise<{ lines: string[]; err: () => string; stop: () => Promise<number | null> }> {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'headless', ...PORTS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 15_000;
    while (out.split('\n').length < 7 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const lines = out.trimEnd().split('\n');
    expect(lines, err).toHaveLength(6);
    // The child writes its capture line to stderr right after those lines, but stderr is its own
    // pipe: its bytes may reach this process a turn later than stdout's (seen once in CI).
    while (!err.includes('capture log: ') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    return {
      lines,
      err: () => err,
      stop: async () => {
        child.kill('SIGTERM');
        return exited;
      },
    };
  }

  it('writes the run to exactly that file, which export reads', async () => {
    const dir = await tempDir();
    const file = join(dir, 'run.ndjson');
    const h = await run(['--data-dir', join(dir, 'data'), '--capture', file]);
    expect(h.err()).toContain(`capture log: ${file}\n`);
    const gateway = h.lines[0].slice('gateway: '.length);
    const res = await fetch(`${gateway}?Action=open&Server=NS&IP=messenger.hotmail.com`, { method: 'POST', body: 'VER 1 MSNP8 CVR0\r\n' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('VER 1 MSNP8\r\n');
    expect(await h.stop()).toBe(0);
    // Only the named file: no capture directory in the data directory, nothing else beside it.
    expect((await readdir(dir)).sort()).toEqual(['data', 'run.ndjson']);
    expect(await readdir(join(dir, 'data'))).not.toContain('captures');

    const a = io();
    expect(await main(['export', file, '--format', 'transcript', '-o', join(dir, 'run.txt')], a.io), a.err.join('')).toBe(0);
    expect(await readFile(join(dir, 'run.txt'), 'utf8')).toMatch(/^C: NS 000: VER 1 MSNP8 CVR0\nS: NS 000: VER 1 MSNP8$/m);
    const b = io();
    expect(await main(['export', file, '--format', 'har', '-o', join(dir, 'run.har')], b.io), b.err.join('')).toBe(0);
    const har = JSON.parse(await readFile(join(dir, 'run.har'), 'utf8'));
    expect(har.log.entries).toHaveLength(1);
    expect(har.log.entries[0].request).toMatchObject({ method: 'POST', postData: { text: 'VER 1 MSNP8 CVR0\r\n' } });
    expect(har.log.entries[0].request.url).toMatch(/\/gateway\/gateway\.dll\?Action=open&Server=NS&IP=messenger\.hotmail\.com$/);
    expect(har.log.entries[0].response).toMatchObject({ status: 200, content: { text: 'VER 1 MSNP8\r\n' } });

    // A second run with the same file is refused, and the first run's file is kept as it was.
    const before = await readFile(file);
    const c = io();
    expect(await main(['headless', ...PORTS, '--data-dir', join(dir, 'data'), '--capture', file], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/is already a capture/);
    expect(await readFile(file)).toEqual(before);
  });

  it('keeps the directory form for an existing directory or a path ending with a slash', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'caps'));
    const h = await run(['--data-dir', join(dir, 'data'), '--capture', `${join(dir, 'new')}/`]);
    expect(await h.stop()).toBe(0);
    expect(await readdir(join(dir, 'new'))).toEqual([expect.stringMatching(/^capture-\d{8}T\d{6}Z-[0-9a-f]{8}-0000\.ndjson$/)]);
    const h2 = await run(['--data-dir', join(dir, 'data'), '--capture', join(dir, 'caps')]);
    expect(h2.err()).toMatch(new RegExp(`capture log: ${join(dir, 'caps')}/capture-`));
    expect(await h2.stop()).toBe(0);
    expect(await readdir(join(dir, 'caps'))).toHaveLength(1);
  });
});
