// CPU by thread of this process over a window, read from /proc (Linux only; elsewhere empty).
// process.cpuUsage() sums every thread: it cannot tell the gateway's loop from the inspector's
// thread or from V8's collector helpers, and at saturation that split is what explains a tail.
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel ticks per second in /proc/<pid>/task/<tid>/stat (USER_HZ: 100 on Linux's ABI). */
const USER_HZ = 100;

export interface ThreadTicks {
  tid: number;
  /** The thread's name (`comm`): MainThread, WorkerThread, V8Worker, libuv-worker... */
  name: string;
  user: number;
  system: number;
  /** Scheduling niceness (the inspector's thread and V8's helpers run below the gateway's). */
  nice: number;
}

/** Parses one stat line; `comm` may hold spaces and parentheses, so fields count from the last ')'. */
export function parseTaskStat(line: string): Omit<ThreadTicks, 'tid'> & { tid: number } {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${line.slice(0, 60)}`);
  const rest = line.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15, nice is field 19.
  return { tid: Number(line.slice(0, open).trim()), name: line.slice(open + 1, close), user: Number(rest[11]), system: Number(rest[12]), nice: Number(rest[16]) };
}

export function readThreadTicks(pid: number | 'self' = 'self'): ThreadTicks[] {
  if (process.platform !== 'linux') return [];
  const out: ThreadTicks[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const tid of tids) {
    try {
      out.push(parseTaskStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/**
 * % of one core per thread name between two readings, the process's own main thread as `main`
 * (threads of the same name summed: V8's helpers, libuv's pool). Threads born in the window count
 * from zero; ones that ended are left out.
 */
export function threadCpuPercent(before: ThreadTicks[], after: ThreadTicks[], windowMs: number, mainTid = process.pid): Record<string, number> {
  const was = new Map(before.map((t) => [t.tid, t]));
  const out: Record<string, number> = {};
  for (const t of after) {
    const b = was.get(t.tid);
    const ticks = t.user + t.system - (b ? b.user + b.system : 0);
    const key = t.tid === mainTid ? 'main' : t.name;
    out[key] = (out[key] ?? 0) + ((ticks / USER_HZ) * 1000 * 100) / windowMs;
  }
  for (const k of Object.keys(out)) out[k] = Math.round(out[k] * 10) / 10;
  return out;
}

/** Niceness per thread name (as threadCpuPercent names them), the highest where threads of a name differ. */
export function threadNiceness(ticks: ThreadTicks[], mainTid = process.pid): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ticks) {
    const key = t.tid === mainTid ? 'main' : t.name;
    out[key] = Math.max(out[key] ?? -20, t.nice);
  }
  return out;
}
