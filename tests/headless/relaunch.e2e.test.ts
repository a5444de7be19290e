// `msn-gateway-inspector headless` runs itself again with a larger V8 young generation
// (bin/relaunch.mjs): the real bin, real processes. Linux only: the child is found through
// /proc, which is how CI checks the flag really reached it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/msn-gateway-inspector.mjs');
const started: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of started.splice(0)) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function launch(): { parent: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'relaunch-'));
  dirs.push(dataDir);
  const env = { ...process.env, NODE_OPTIONS: '' };
  const parent = spawn(process.execPath, [BIN, 'headless', '--gateway-port', '0', '--ns-port', '0', '--sb-port', '0', '--no-capture', '--data-dir', dataDir], { env });
  started.push(parent);
  let out = '';
  let err = '';
  parent.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  parent.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => parent.on('exit', (code) => resolve(code)));
  return { parent, out: () => out, err: () => err, exited };
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The one process whose parent is `pid`, from /proc (field 4 of stat, after the command in parentheses). */
function childOf(pid: number): number {
  const pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).flatMap((n) => {
    try {
      const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(n)] : [];
    } catch {
      return []; // gone meanwhile
    }
  });
  expect(pids).toHaveLength(1);
  return pids[0];
}

const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe.skipIf(process.platform !== 'linux')('headless relaunch with a larger young generation', () => {
  it('the child carries the flag, prints the endpoints, and closes in order on one Ctrl+C to the launcher', async () => {
    const run = launch();
    await until(() => run.out().includes('inspector: http://'));
    expect(run.out()).toMatch(/^gateway: http:\/\/127\.0\.0\.1:\d+\/gateway\/gateway\.dll$/m);
    const child = childOf(run.parent.pid!);
    const argv = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain('--max-semi-space-size=64');
    expect(argv).toContain('headless');
    run.parent.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.err()).toContain('closing...');
    expect(alive(child)).toBe(false);
  }, 30_000);

  it('the child closes by itself when the launcher is killed outright', async () => {
    const run = launch();
    await until(() => run.out().includes('inspector: http://'));
    const child = childOf(run.parent.pid!);
    run.parent.kill('SIGKILL');
    await run.exited;
    await until(() => !alive(child), 15_000);
  }, 30_000);
});
