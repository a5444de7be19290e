// Time-compressed soak: users sign in, live a short while (polls, presence, chats), sign out with
// OUT, and are replaced at once, so sessions open and close continuously; the heap after GC is
// sampled throughout. Used by bench/soak.bench.ts (minutes) and tests/soak (seconds).
import { heapAfterGc, mb } from './heap.ts';
import { newStats, recordError, sleep } from './msn-client.ts';
import { startMsnStack, type StackOptions } from './msn-stack.ts';
import { MsnUser } from './msn-user.ts';

export interface SoakOptions {
  durationMs: number;
  /** Users signed in at once. */
  concurrent: number;
  /** Mean life of a session (ms), uniformly 0.5x..1.5x. */
  sessionLifeMs: number;
  sampleEveryMs: number;
  pollMs?: number;
  presenceEveryS?: number;
  chatEveryS?: number;
  stack?: Partial<StackOptions>;
  /** Called with each sample as it is taken. */
  onSample?: (s: SoakSample) => void;
}

export interface SoakSample {
  t: number;
  heapAfterGcMb: number;
  /** The inspector thread's part of heapAfterGcMb (the rest is the gateway's thread, load included). */
  inspectorHeapAfterGcMb: number;
  rssMb: number;
  sessionsOpened: number;
  liveGatewaySessions: number;
  errors: number;
}

export interface SoakResult {
  samples: SoakSample[];
  sessionsOpened: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  /** Max heap after GC in the first and last thirds of the samples (MB), and the growth between. */
  firstThirdMb: number;
  lastThirdMb: number;
  growthMb: number;
  /** Least-squares slope of heap after GC over the last two thirds, MB per minute. */
  slopeMbPerMin: number;
}

function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  // Handles are reused in a pool twice the concurrency: the store and tickets stay fixed in size.
  const pool = o.concurrent * 2;
  const stack = await startMsnStack({ users: pool, ...o.stack });
  const stats = newStats();
  stats.recording = true;
  const free = stack.users.slice();
  let opened = 0;
  let stopping = false;
  const t0 = performance.now();

  async function lane(): Promise<void> {
    while (!stopping) {
      const info = free.shift()!;
      const user = new MsnUser({
        port: stack.port, handle: info.handle, ticket: info.ticket, contacts: info.contacts, stats, bare: false,
        pollMs: o.pollMs ?? 2000, presenceEveryS: o.presenceEveryS ?? 20, chatEveryS: o.chatEveryS ?? 60,
      });
      try {
        opened++;
        await user.login();
        user.start();
        await sleep(o.sessionLifeMs * (0.5 + Math.random()));
      } catch (err) {
        recordError(stats, `${info.handle} login: ${(err as Error).message}`);
      }
      await user.stop(true);
      free.push(info);
    }
  }

  const lanes: Promise<void>[] = [];
  for (let i = 0; i < o.concurrent; i++) {
    lanes.push(lane());
    await sleep(Math.min(20, o.sessionLifeMs / o.concurrent));
  }
  const samples: SoakSample[] = [];
  while (performance.now() - t0 < o.durationMs) {
    await sleep(o.sampleEveryMs);
    // The soak reports counts, not latencies: dropped here so the load's own records (one number
    // per request) do not show up as growth of the heap under test.
    stats.latencies = [];
    stats.byKind = {};
    stats.slowAtEpochMs = [];
    const mainHeap = await heapAfterGc();
    const inspectorHeap = await stack.inspectorHeapAfterGc();
    const s: SoakSample = {
      t: (performance.now() - t0) / 1000,
      // Both threads: the gateway's and the inspector's (where the model lives).
      heapAfterGcMb: mb(mainHeap + inspectorHeap),
      inspectorHeapAfterGcMb: mb(inspectorHeap),
      rssMb: mb(process.memoryUsage().rss),
      sessionsOpened: opened,
      liveGatewaySessions: stack.sessions(),
      errors: stats.errors,
    };
    samples.push(s);
    o.onSample?.(s);
  }
  stopping = true;
  await Promise.all(lanes);
  await stack.close();
  const third = Math.max(1, Math.floor(samples.length / 3));
  const firstThirdMb = Math.max(...samples.slice(0, third).map((s) => s.heapAfterGcMb));
  const lastThirdMb = Math.max(...samples.slice(-third).map((s) => s.heapAfterGcMb));
  return {
    samples,
    sessionsOpened: opened,
    requests: stats.requests,
    errors: stats.errors,
    errorSamples: stats.errorSamples.slice(0, 10),
    firstThirdMb,
    lastThirdMb,
    growthMb: lastThirdMb - firstThirdMb,
    slopeMbPerMin: slope(samples.slice(third).map((s) => [s.t / 60, s.heapAfterGcMb])),
  };
}
