// A short, CI-sized soak (bench/soak.bench.ts runs the long one): sessions of legacy users sign in
// through the gateway to the emulator, poll, change presence, chat and sign out continuously for
// ~24 s with the inspector and capture log recording; the heap after GC must show no upward trend
// once the (scaled-down) retention windows are full. Memory, not timing, is asserted.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/lib/soak.ts';

describe('soak (short)', () => {
  it('sessions open and close continuously with no errors and a flat heap after warm-up', async () => {
    const r = await runSoak({
      durationMs: 24_000,
      concurrent: 30,
      sessionLifeMs: 2_500,
      sampleEveryMs: 1_500,
      pollMs: 300,
      presenceEveryS: 1,
      chatEveryS: 2,
      // Sessions a client left after OUT are reaped at the idle timeout, compressed like the rest.
      stack: { idleTimeoutMs: 3_000, inspector: { memoryCommands: 1_000, maxExchanges: 1_000, maxFindings: 500, maxClosedSessions: 100 } },
    });
    expect(r.errorSamples).toEqual([]);
    expect(r.errors).toBe(0);
    // Enough churn to matter: hundreds of sessions through the windows.
    expect(r.sessionsOpened).toBeGreaterThan(150);
    expect(r.samples.length).toBeGreaterThanOrEqual(12);
    // No leak trend: the last third's peak within a few MB of the first third's, and no slope.
    expect(r.growthMb).toBeLessThan(4);
    expect(r.slopeMbPerMin).toBeLessThan(6);
  }, 60_000);
});
