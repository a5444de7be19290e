// last-run.log in the app's data directory: start, gateway state, renderer crashes, refused IPC
// calls and shutdown of the latest run, so "what happened" survives a crash. Size-capped.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_LOG = 'last-run.log';
export const MAX_RUN_LOG_BYTES = 1024 * 1024;

export function createRunLog(dir: string, now: () => Date = () => new Date()) {
  const file = join(dir, RUN_LOG);
  let written = 0;
  let ok = true;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '');
  } catch {
    ok = false;
  }
  return {
    file,
    write(line: string): void {
      if (!ok || written > MAX_RUN_LOG_BYTES) return;
      const text = `${now().toISOString()} ${line.replace(/[\r\n]+/g, ' ')}\n`;
      written += Buffer.byteLength(text);
      try {
        appendFileSync(file, written > MAX_RUN_LOG_BYTES ? `${now().toISOString()} (log full)\n` : text);
      } catch {
        ok = false;
      }
    },
  };
}
