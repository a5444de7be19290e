// What holds the server's event loop during a measured window: GC pauses (by kind) and the loop's
// delay histogram. Tail latency under load comes from these stalls more than from average cost.
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

export interface StallReport {
  gc: Record<string, { count: number; totalMs: number; maxMs: number; over50ms: number }>;
  loopDelayMs: { p50: number; p99: number; max: number };
  /**
   * The longest gaps between ticks of a 5 ms interval on this thread: `cpuMs` is the CPU the thread
   * used in the gap and `gcMs` the GC pauses that ended in it. A gap mostly made of CPU is work
   * holding the loop; a gap with little CPU is the thread waiting to be scheduled (or in a syscall).
   */
  longest: { atEpochMs: number; gapMs: number; cpuMs: number; gcMs: number }[];
}

const TICK_MS = 5;
const KEEP = 8;

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export class StallMonitor {
  private readonly gc: StallReport['gc'] = {};
  private observer: PerformanceObserver | null = null;
  private histogram: IntervalHistogram | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private longest: StallReport['longest'] = [];
  private gcSinceTick = 0;

  start(): void {
    let last = performance.now();
    let lastCpu = process.threadCpuUsage();
    this.ticker = setInterval(() => {
      const now = performance.now();
      const gapMs = now - last;
      if (gapMs > 4 * TICK_MS) {
        const cpu = process.threadCpuUsage(lastCpu);
        this.note({ atEpochMs: Date.now(), gapMs: Math.round(gapMs), cpuMs: Math.round((cpu.user + cpu.system) / 1000), gcMs: Math.round(this.gcSinceTick) });
      }
      last = now;
      lastCpu = process.threadCpuUsage();
      this.gcSinceTick = 0;
    }, TICK_MS);
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.gcSinceTick += entry.duration;
        const kind = KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
        const g = (this.gc[kind] ??= { count: 0, totalMs: 0, maxMs: 0, over50ms: 0 });
        g.count++;
        g.totalMs += entry.duration;
        g.maxMs = Math.max(g.maxMs, entry.duration);
        if (entry.duration > 50) g.over50ms++;
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
  }

  private note(gap: StallReport['longest'][number]): void {
    if (this.longest.length === KEEP && gap.gapMs <= this.longest[KEEP - 1]!.gapMs) return;
    this.longest.push(gap);
    this.longest.sort((a, b) => b.gapMs - a.gapMs);
    this.longest.length = Math.min(this.longest.length, KEEP);
  }

  stop(): StallReport {
    if (this.ticker) clearInterval(this.ticker);
    this.observer?.disconnect();
    const h = this.histogram!;
    h.disable();
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    for (const g of Object.values(this.gc)) {
      g.totalMs = Math.round(g.totalMs);
      g.maxMs = Math.round(g.maxMs * 10) / 10;
    }
    return { gc: this.gc, longest: this.longest, loopDelayMs: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) } };
  }
}
