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
