// What holds the server's event loop during a measured window: GC pauses (by kind) and the loop's
// delay histogram. Tail latency under load comes from these stalls more than from average cost.
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

export interface StallReport {
  gc: Record<string, { count: number; totalMs: number; maxMs: number; over50ms: number }>;
  loopDelayMs: { p50: number; p99: number; max: number };
}

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

  start(): void {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
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

  stop(): StallReport {
    this.observer?.disconnect();
    const h = this.histogram!;
    h.disable();
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    for (const g of Object.values(this.gc)) {
      g.totalMs = Math.round(g.totalMs);
      g.maxMs = Math.round(g.maxMs * 10) / 10;
    }
    return { gc: this.gc, loopDelayMs: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) } };
  }
}
