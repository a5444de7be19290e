// Runs N signed-in legacy users against a gateway (or the bare baseline) from one process:
// ramp-up logins, then a measured window of the steady mix (2 s polls, presence changes, chats).
import { StallMonitor, type StallReport } from './stalls.ts';
import { newStats, recordError, sleep, type LoadStats } from './msn-client.ts';
import type { LoadUserInfo } from './msn-stack.ts';
import { groupOf, loadHandle } from './msn-stack.ts';
import { MsnUser } from './msn-user.ts';
import { summarize, type LatencySummary } from './stats.ts';
import { readThreadTicks, threadCpuPercent } from './thread-cpu.ts';

export interface MsnLoadOptions {
  port: number;
  sessions: number;
  /** Null for the bare baseline (handles and tickets made up; nothing checks them). */
  users: LoadUserInfo[] | null;
  bare: boolean;
  group?: number;
  rampPerSecond?: number;
  pollMs?: number;
  presenceEveryS?: number;
  chatEveryS?: number;
}

export interface MeasureResult {
  sessions: number;
  online: number;
  durationMs: number;
  requests: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  kinds: Record<string, number>;
  /** p99 latency (ms) per request kind. */
  p99ByKind: Record<string, number>;
  errors: number;
  errorSamples: string[];
  loginMs: number;
  loginErrors: number;
  chatsDone: number;
  /** CPU the load process used in the window (user + system), in % of one core. */
  cpuPercent: number;
  /** The same by thread name, % of one core (Linux; `main` is the event loop's thread). */
  threadCpu: Record<string, number>;
  /** Date.now() when the measured window began. */
  startedAtEpochMs: number;
  /** The 250 ms slices of the window with the most requests over SLOW_MS, busiest first. */
  slowSlices: { atEpochMs: number; count: number }[];
  /** The load process's own stalls (it measures the latencies, so its pauses count too). */
  stalls: StallReport;
}

export class MsnLoad {
  readonly stats: LoadStats = newStats();
  readonly users: MsnUser[] = [];
  private readonly byHandle = new Map<string, MsnUser>();
  loginMs = 0;
  loginErrors = 0;

  constructor(o: MsnLoadOptions) {
    const group = o.group ?? 10;
    for (let i = 0; i < o.sessions; i++) {
      const info = o.users?.[i] ?? { handle: loadHandle(i), ticket: `t=bare${i}&p=bare`, contacts: groupOf(i, o.sessions, group) };
      const u = new MsnUser({
        port: o.port, handle: info.handle, ticket: info.ticket, contacts: info.contacts, stats: this.stats, bare: o.bare,
        pollMs: o.pollMs ?? 2000, presenceEveryS: o.presenceEveryS ?? 60, chatEveryS: o.chatEveryS ?? 300,
        peer: (h) => this.byHandle.get(h),
      });
      this.users.push(u);
      this.byHandle.set(info.handle, u);
    }
    this.rampPerSecond = o.rampPerSecond ?? 500;
  }

  private readonly rampPerSecond: number;

  /** Logs everyone in (at `rampPerSecond`) and starts their poll loops. */
  async login(): Promise<void> {
    const t0 = performance.now();
    const errors0 = this.stats.errors;
    const gap = 1000 / this.rampPerSecond;
    const all: Promise<void>[] = [];
    for (const [i, u] of this.users.entries()) {
      const due = t0 + i * gap;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      all.push(u.login().then(() => u.start(), (err) => recordError(this.stats, `${u.plan.handle} login: ${(err as Error).message}`)));
    }
    await Promise.all(all);
    this.loginMs = performance.now() - t0;
    this.loginErrors = this.stats.errors - errors0;
  }

  async measure(warmupS: number, durationS: number): Promise<MeasureResult> {
    await sleep(warmupS * 1000);
    const s = this.stats;
    s.latencies = [];
    s.requests = 0;
    s.kinds = {};
    s.byKind = {};
    const errors0 = s.errors;
    const samples0 = s.errorSamples.length;
    const chats0 = this.users.reduce((n, u) => n + u.chatsDone, 0);
    s.slowAtEpochMs = [];
    const stalls = new StallMonitor();
    stalls.start();
    const startedAtEpochMs = Date.now();
    s.recording = true;
    const cpu0 = process.cpuUsage();
    const threads0 = readThreadTicks();
    const t0 = performance.now();
    await sleep(durationS * 1000);
    s.recording = false;
    const durationMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const threadCpu = threadCpuPercent(threads0, readThreadTicks(), durationMs);
    const slices = new Map<number, number>();
    for (const at of s.slowAtEpochMs) {
      const slice = startedAtEpochMs + Math.floor((at - startedAtEpochMs) / 250) * 250;
      slices.set(slice, (slices.get(slice) ?? 0) + 1);
    }
    return {
      sessions: this.users.length,
      online: this.users.filter((u) => u.online && !u.ns.closedByGateway).length,
      durationMs,
      requests: s.requests,
      requestsPerSecond: (s.requests / durationMs) * 1000,
      latency: summarize(s.latencies),
      kinds: s.kinds,
      p99ByKind: Object.fromEntries(Object.entries(s.byKind).map(([k, v]) => [k, Math.round(summarize(v).p99Ms * 10) / 10])),
      errors: s.errors - errors0,
      errorSamples: s.errorSamples.slice(samples0, samples0 + 10),
      loginMs: this.loginMs,
      loginErrors: this.loginErrors,
      chatsDone: this.users.reduce((n, u) => n + u.chatsDone, 0) - chats0,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / durationMs) * 100,
      threadCpu,
      startedAtEpochMs,
      slowSlices: [...slices].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([atEpochMs, count]) => ({ atEpochMs, count })),
      stalls: stalls.stop(),
    };
  }

  async stop(signOut: boolean): Promise<void> {
    await Promise.all(this.users.map((u) => u.stop(signOut)));
  }
}
