// Per-thread priority on a real worker thread: the worker's kernel thread is reniced, the process's
// main thread (the gateway's) is not.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { currentThreadId, lowerHelperThreadsPriority, lowerThreadPriority, startThreadPoolHere, V8_HELPER_THREAD_NAME } from './thread-priority.ts';

const linux = process.platform === 'linux';
/** Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value. */
const niceOf = (tid: number): number => Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);

// The worker imports the module under test by URL: Node strips the types itself.
const moduleUrl = new URL('./thread-priority.ts', import.meta.url).href;
function inWorker(code: string): Promise<unknown> {
  const source = `import { parentPort } from 'node:worker_threads'; import * as tp from ${JSON.stringify(moduleUrl)}; ${code}`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('lowerThreadPriority', () => {
  it.skipIf(!linux)('renices only the calling thread, never raises it again, and names bad input', async () => {
    const mainTid = currentThreadId()!;
    expect(mainTid).toBe(process.pid);
    const mainNice = niceOf(mainTid);
    const result = (await inWorker(`
      const first = tp.lowerThreadPriority(10);
      const again = tp.lowerThreadPriority(5);
      parentPort.postMessage({ first, again, stat: first.ok ? Number((await import('node:fs')).readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]) : null });
    `)) as { first: { ok: boolean; tid: number; nice: number }; again: { ok: boolean; nice: number }; stat: number };
    expect(result.first).toMatchObject({ ok: true, nice: 10 });
    expect(result.first.tid).not.toBe(mainTid);
    expect(result.stat).toBe(10);
    // Lowering to 5 would raise a thread at 10: refused silently, the thread stays at 10.
    expect(result.again).toMatchObject({ ok: true, nice: 10 });
    expect(niceOf(mainTid)).toBe(mainNice);
    expect(getPriority()).toBe(mainNice);
  });

  it('says why when it cannot', () => {
    expect(lowerThreadPriority(10, 'darwin')).toEqual({ ok: false, reason: 'per-thread priority is not supported on darwin' });
    expect(lowerThreadPriority(25)).toEqual({ ok: false, reason: 'niceness must be an integer 0-19, not 25' });
    expect(lowerThreadPriority(-1)).toMatchObject({ ok: false });
    expect(currentThreadId('win32')).toBeNull();
  });
});

describe('lowerHelperThreadsPriority', () => {
  // In a process of its own: the helpers are the whole process's, and the test runner's own
  // collections should not be slowed for the rest of the suite.
  it.skipIf(!linux)('renices every V8 helper thread of the process and nothing else', () => {
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      import * as tp from ${JSON.stringify(moduleUrl)};
      const threads = () => readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
        return { tid: Number(tid), name: readFileSync('/proc/self/task/' + tid + '/comm', 'utf8').trim(), nice: Number(stat.split(') ')[1].split(' ')[16]) };
      });
      const before = threads();
      const result = tp.lowerHelperThreadsPriority(10);
      const again = tp.lowerHelperThreadsPriority(5);
      process.stdout.write(JSON.stringify({ before, result, again, after: threads() }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as {
      before: { tid: number; name: string; nice: number }[];
      result: { ok: true; tids: number[]; nice: number };
      again: { ok: true; tids: number[]; nice: number };
      after: { tid: number; name: string; nice: number }[];
    };
    const helpers = out.before.filter((t) => t.name === V8_HELPER_THREAD_NAME).map((t) => t.tid);
    expect(helpers.length).toBeGreaterThan(0);
    expect(out.result).toEqual({ ok: true, tids: helpers, nice: 10 });
    for (const t of out.after) {
      const was = out.before.find((b) => b.tid === t.tid)!.nice;
      // Helpers go to 10 (never back up to 5); every other thread, the main one included, stays.
      expect(t.nice, `${t.name} ${t.tid}`).toBe(helpers.includes(t.tid) ? Math.max(was, 10) : was);
    }
    expect(out.again).toMatchObject({ ok: true, tids: helpers });
  });

  it('says why when it cannot', () => {
    expect(lowerHelperThreadsPriority(10, 'win32')).toEqual({ ok: false, reason: 'per-thread priority is not supported on win32' });
    expect(lowerHelperThreadsPriority(20)).toEqual({ ok: false, reason: 'niceness must be an integer 0-19, not 20' });
    const dir = mkdtempSync(join(tmpdir(), 'tasks-'));
    try {
      mkdirSync(join(dir, '4242'));
      writeFileSync(join(dir, '4242', 'comm'), 'node\n');
      expect(lowerHelperThreadsPriority(10, 'linux', dir)).toEqual({ ok: false, reason: 'no V8Worker threads in this process' });
      expect(lowerHelperThreadsPriority(10, 'linux', join(dir, 'missing'))).toMatchObject({ ok: false, reason: expect.stringContaining('ENOENT') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('startThreadPoolHere', () => {
  // Each case in a fresh process: the pool is created once per process, on first use.
  const poolNiceness = (startHereFirst: boolean): number[] => {
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      import { Worker } from 'node:worker_threads';
      import * as tp from ${JSON.stringify(moduleUrl)};
      if (${startHereFirst}) await tp.startThreadPoolHere();
      // A thread that lowers itself, then does file I/O: the inspector's thread and its capture log.
      const code = "const tp = await import(" + JSON.stringify(${JSON.stringify(moduleUrl)}) + "); tp.lowerThreadPriority(10); await (await import('node:fs/promises')).stat('.'); (await import('node:worker_threads')).parentPort.postMessage('done');";
      const worker = new Worker(new URL('data:text/javascript,' + encodeURIComponent(code)));
      await new Promise((resolve) => worker.once('message', resolve));
      await worker.terminate();
      const pool = readdirSync('/proc/self/task')
        .filter((tid) => readFileSync('/proc/self/task/' + tid + '/comm', 'utf8').trim() === 'libuv-worker')
        .map((tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]));
      process.stdout.write(JSON.stringify(pool));
    `;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as number[];
  };

  it.skipIf(!linux)('keeps libuv\'s pool at the calling thread\'s priority, not that of a lowered thread that uses it first', async () => {
    const own = getPriority();
    const lowered = poolNiceness(false);
    expect(lowered.length).toBeGreaterThan(0);
    expect(lowered.every((n) => n === Math.max(own, 10))).toBe(true);
    const kept = poolNiceness(true);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((n) => n === own)).toBe(true);
    await expect(startThreadPoolHere()).resolves.toBeUndefined();
  });
});
