// The inspector's thread runs at a lower scheduling priority than the gateway's. On a loaded
// machine (two cores shared by the gateway, the inspector and a farm of clients) the kernel then
// gives the relay the CPU first, and the inspector catches up from its bounded backlog; without
// this, the inspector's bursts delayed polls by 100-250 ms (bench:load, 10,000 sessions).
// Linux only: there setpriority(2) on a thread id applies to that thread alone, and an
// unprivileged process may always lower its own priority. Elsewhere it would renice the whole
// process, the gateway included, so it is not done.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';

/** Default niceness of the inspector's thread (0 keeps the gateway's priority; 19 is the lowest). */
export const INSPECTOR_THREAD_NICE = 10;

export type PriorityResult = { ok: true; tid: number; nice: number } | { ok: false; reason: string };

/** This thread's kernel id (Linux), from /proc/thread-self; null where there is none. */
export function currentThreadId(platform: NodeJS.Platform = process.platform): number | null {
  if (platform !== 'linux') return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Lowers the calling thread's priority to `nice` (never raises it: that would need privileges). */
export function lowerThreadPriority(nice: number, platform: NodeJS.Platform = process.platform): PriorityResult {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) return { ok: false, reason: `niceness must be an integer 0-19, not ${nice}` };
  const tid = currentThreadId(platform);
  if (tid === null) return { ok: false, reason: `per-thread priority is not supported on ${platform}` };
  try {
    const current = getPriority(tid);
    if (current >= nice) return { ok: true, tid, nice: current };
    setPriority(tid, nice);
    return { ok: true, tid, nice: getPriority(tid) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/**
 * Node's V8 platform threads: one pool per process, shared by every isolate in it. They run the
 * parallel and concurrent parts of garbage collection (and background compiles) for the gateway's
 * isolate and the inspector's alike.
 */
export const V8_HELPER_THREAD_NAME = 'V8Worker';

export type HelperPriorityResult = { ok: true; tids: number[]; nice: number } | { ok: false; reason: string };

/**
 * Lowers V8's helper threads to `nice` as well. The inspector's heap holds the retained model, so
 * its major collections are the process's big ones (100-270 ms pauses at 10,000 sessions), and
 * their parallel marking and compaction ran on these threads at the gateway's priority: on two
 * cores they took both from the relay and the clients at once, and polls waited 100-250 ms
 * (bench:load). Below the gateway's thread, that work fills the gaps the relay leaves. The
 * gateway's own scavenges still use them: their pauses measured the same (bench:load's stall
 * report, minor GC total and maximum).
 */
export function lowerHelperThreadsPriority(nice: number, platform: NodeJS.Platform = process.platform, taskDir = '/proc/self/task'): HelperPriorityResult {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) return { ok: false, reason: `niceness must be an integer 0-19, not ${nice}` };
  if (platform !== 'linux') return { ok: false, reason: `per-thread priority is not supported on ${platform}` };
  let tids: number[];
  try {
    tids = readdirSync(taskDir)
      .map(Number)
      .filter((tid) => Number.isSafeInteger(tid) && tid > 0 && threadName(taskDir, tid) === V8_HELPER_THREAD_NAME);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (tids.length === 0) return { ok: false, reason: `no ${V8_HELPER_THREAD_NAME} threads in this process` };
  const lowered: number[] = [];
  for (const tid of tids) {
    try {
      if (getPriority(tid) < nice) setPriority(tid, nice);
      lowered.push(tid);
    } catch {
      // The thread ended between the listing and the call: nothing left to lower.
    }
  }
  return { ok: true, tids: lowered, nice };
}

function threadName(taskDir: string, tid: number): string | null {
  try {
    return readFileSync(`${taskDir}/${tid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Starts libuv's thread pool from the calling thread. The pool is the whole process's (the
 * gateway's DNS lookups of a TCP upstream, the capture log's file I/O) and is created on first
 * use; on Linux a new thread takes the niceness of the thread that creates it. Called from the
 * gateway's thread before the inspector's thread lowers itself, the pool keeps the gateway's
 * priority (bench:load found it at niceness 10, started by the capture log's first write).
 */
export async function startThreadPoolHere(): Promise<void> {
  await stat(process.execPath).catch(() => undefined);
}
