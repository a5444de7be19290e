// Profiles a window of a benchmark child (e.g. only the measured steady state, not the login burst),
// so a profile shows where the time goes under the load that the figures describe.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export class WindowProfiler {
  private session: Session | null = null;

  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 500 });
    await this.session.post('Profiler.start');
  }

  /** Stops and writes the profile (Chrome DevTools .cpuprofile format). */
  async stop(file: string): Promise<void> {
    if (!this.session) return;
    const { profile } = await this.session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    this.session.disconnect();
    this.session = null;
  }
}

/**
 * Samples allocations that outlive a young-generation collection (they are promoted, and only a
 * full GC frees them): what makes the old generation grow between full collections.
 */
export class PromotionProfiler {
  private session: Session | null = null;

  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('HeapProfiler.enable');
    await this.session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false } as never);
  }

  async stop(file: string): Promise<void> {
    if (!this.session) return;
    const { profile } = await this.session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    this.session.disconnect();
    this.session = null;
  }
}
