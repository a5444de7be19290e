// When the renderer process dies, reload it (the core runs in main, so no data is lost) and tell
// the user once. If it keeps dying, stop reloading and say so instead of looping.

export interface CrashPolicy {
  /** Most reloads within `windowMs` before giving up. */
  maxReloads: number;
  windowMs: number;
}

export const CRASH_POLICY: CrashPolicy = { maxReloads: 3, windowMs: 60_000 };

export type CrashDecision = { action: 'reload'; notice: string } | { action: 'give-up'; notice: string } | { action: 'ignore' };

export function createCrashRecovery(policy: CrashPolicy = CRASH_POLICY, now: () => number = Date.now) {
  const reloads: number[] = [];
  return {
    /** `reason` is Electron's RenderProcessGoneDetails.reason. */
    decide(reason: string, exitCode?: number): CrashDecision {
      // A clean exit happens when the window closes; nothing to recover.
      if (reason === 'clean-exit') return { action: 'ignore' };
      const t = now();
      while (reloads.length && t - reloads[0] > policy.windowMs) reloads.shift();
      const what = `The inspector window's renderer stopped (${reason}${exitCode !== undefined ? `, exit code ${exitCode}` : ''}).`;
      if (reloads.length >= policy.maxReloads) {
        return {
          action: 'give-up',
          notice: `${what} It stopped ${reloads.length + 1} times within ${Math.round(policy.windowMs / 1000)} s, so it was not reloaded again. The gateway keeps running; use View > Reload to try again.`,
        };
      }
      reloads.push(t);
      return { action: 'reload', notice: `${what} It was reloaded; the gateway and the capture kept running, so nothing was lost.` };
    },
  };
}
