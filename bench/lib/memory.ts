// Samples process memory while a benchmark phase runs (peak and final RSS / heap).

export interface MemorySummary {
  rssPeakMb: number;
  rssEndMb: number;
  heapUsedPeakMb: number;
  heapUsedEndMb: number;
}

const MB = 1024 * 1024;

export class MemorySampler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private rssPeak = 0;
  private heapPeak = 0;
  private readonly intervalMs: number;

  constructor(intervalMs = 100) {
    this.intervalMs = intervalMs;
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): MemorySummary {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const end = this.sample();
    return {
      rssPeakMb: this.rssPeak / MB,
      rssEndMb: end.rss / MB,
      heapUsedPeakMb: this.heapPeak / MB,
      heapUsedEndMb: end.heapUsed / MB,
    };
  }

  private sample(): NodeJS.MemoryUsage {
    const m = process.memoryUsage();
    if (m.rss > this.rssPeak) this.rssPeak = m.rss;
    if (m.heapUsed > this.heapPeak) this.heapPeak = m.heapUsed;
    return m;
  }
}

/** Collects garbage between phases when node runs with --expose-gc, so phases start level. */
export async function settle(): Promise<boolean> {
  const gc = (globalThis as { gc?: () => void }).gc;
  await new Promise((r) => setTimeout(r, 50));
  if (!gc) return false;
  gc();
  gc();
  return true;
}
