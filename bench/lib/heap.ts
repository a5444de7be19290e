// Heap after a full GC, for leak checks. Works without --expose-gc too (vitest workers): the flag
// is turned on at run time and `gc` fetched from a fresh context.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null = null;

export function getGc(): () => void {
  if (gcFn) return gcFn;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return (gcFn = exposed);
  setFlagsFromString('--expose-gc');
  gcFn = runInNewContext('gc') as () => void;
  return gcFn;
}

/** Bytes of heap in use after two full collections (weak and finalization work settled between). */
export async function heapAfterGc(): Promise<number> {
  const gc = getGc();
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed;
}

export const mb = (bytes: number): number => bytes / (1024 * 1024);
