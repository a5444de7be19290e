// Fuzz budgets and seeds. In the test suite every property runs a fixed number of cases from a
// fixed seed, so CI is deterministic; FUZZ_SEED / FUZZ_PATH replay one failure (fast-check prints
// both in its failure message), FUZZ_SCALE multiplies every budget for a longer local run.
import type { Parameters } from 'fast-check';

const env = (name: string): string | undefined => (typeof process !== 'undefined' ? process.env[name] : undefined);

/** A stable seed per property name, so adding a property does not reshuffle the others. */
export function seedFor(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

export function fuzzParams<T>(name: string, ciRuns: number): Parameters<T> {
  const scale = Number(env('FUZZ_SCALE') ?? '1');
  const seedText = env('FUZZ_SEED');
  const path = env('FUZZ_PATH');
  return {
    numRuns: Math.max(1, Math.round(ciRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    seed: seedText !== undefined && seedText !== '' ? Number(seedText) : seedFor(name),
    ...(path ? { path } : {}),
    // Shrinking a socket-level case can take long; the printed seed and path replay it anyway.
    endOnFailure: false,
  };
}

/** True while replaying one case (FUZZ_PATH): coverage checks over a whole run do not apply. */
export const replaying = Boolean(env('FUZZ_PATH'));
