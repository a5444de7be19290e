// Per-thread priority on a real worker thread: the worker's kernel thread is reniced, the process's
// main thread (the gateway's) is not.
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { currentThreadId, lowerThreadPriority } from './thread-priority.ts';

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
