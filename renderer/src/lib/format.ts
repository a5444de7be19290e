// Display formats shared by the views.

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local wall-clock time with milliseconds: 14:03:07.125. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A duration in the unit that reads best: 850 µs, 12.3 ms, 4.07 s, 2 m 05 s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const a = Math.abs(ms);
  if (a < 1) return `${Math.round(ms * 1000)} µs`;
  if (a < 100) return `${ms.toFixed(1)} ms`;
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.trunc(ms / 60_000);
  return `${m} m ${pad(Math.round((a % 60_000) / 1000))} s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const arrow = (direction: 'client' | 'server') => (direction === 'client' ? 'C→S' : 'S→C');
