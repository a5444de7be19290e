// Menu actions that need native dialogs: open/save/export/import pick a path, then call the same
// named operation the renderer would (capture.*), so the renderer needs no extra bridge methods.
import type { ExportFormat, Status } from '../../shared/api/contract.ts';
import type { BridgeApi } from './ipc-bridge.ts';

export interface DialogLike {
  showOpenDialog(win: unknown, options: { title: string; properties: string[]; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(win: unknown, options: { title: string; defaultPath?: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
  showMessageBox(
    win: unknown,
    options: { type?: string; title?: string; message: string; detail?: string; buttons?: string[]; defaultId?: number; cancelId?: number; noLink?: boolean },
  ): Promise<{ response: number }>;
}

export const EXPORT_FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  har: { name: 'HAR (HTTP Archive)', extensions: ['har'] },
  pcapng: { name: 'pcapng (Wireshark)', extensions: ['pcapng'] },
  transcript: { name: 'Transcript', extensions: ['txt'] },
  ndjson: { name: 'Capture (NDJSON)', extensions: ['ndjson'] },
};

const CAPTURE_FILTERS = [
  { name: 'Captures (NDJSON)', extensions: ['ndjson', 'jsonl'] },
  { name: 'All files', extensions: ['*'] },
];

export interface DialogContext {
  dialog: DialogLike;
  window: unknown;
  api: BridgeApi;
}

type OpResult = { ok: true } | { ok: false; error: string };

async function report(ctx: DialogContext, what: string, run: () => Promise<unknown>): Promise<OpResult> {
  let result: unknown;
  try {
    result = await run();
  } catch (err) {
    result = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const r = result as { ok?: boolean; error?: string };
  if (r && r.ok === false) {
    await ctx.dialog.showMessageBox(ctx.window, { type: 'error', title: what, message: `${what} failed`, detail: r.error ?? 'unknown error', buttons: ['OK'] });
    return { ok: false, error: r.error ?? 'unknown error' };
  }
  return { ok: true };
}

export async function openCapture(ctx: DialogContext, op: 'capture.open' | 'capture.import' = 'capture.open'): Promise<OpResult | null> {
  const importing = op === 'capture.import';
  const picked = await ctx.dialog.showOpenDialog(ctx.window, {
    title: importing ? 'Import HAR' : 'Open Capture',
    properties: ['openFile'],
    filters: importing ? [{ name: 'HAR (HTTP Archive)', extensions: ['har', 'json'] }, CAPTURE_FILTERS[1]] : CAPTURE_FILTERS,
  });
  if (picked.canceled || !picked.filePaths[0]) return null;
  const path = picked.filePaths[0];
  return report(ctx, importing ? 'Import' : 'Open capture', () => ctx.api.call(op, { path }));
}

export async function saveCapture(ctx: DialogContext): Promise<OpResult | null> {
  const picked = await ctx.dialog.showSaveDialog(ctx.window, { title: 'Save Capture', defaultPath: `capture-${fileStamp()}.ndjson`, filters: [CAPTURE_FILTERS[0]] });
  if (picked.canceled || !picked.filePath) return null;
  const path = picked.filePath;
  return report(ctx, 'Save capture', () => ctx.api.call('capture.save', { path }));
}

export async function exportCapture(ctx: DialogContext, format: ExportFormat): Promise<OpResult | null> {
  const filter = EXPORT_FILTERS[format];
  const picked = await ctx.dialog.showSaveDialog(ctx.window, {
    title: `Export ${filter.name} (credentials redacted)`,
    defaultPath: `capture-${fileStamp()}.${filter.extensions[0]}`,
    filters: [filter],
  });
  if (picked.canceled || !picked.filePath) return null;
  const path = picked.filePath;
  return report(ctx, 'Export', () => ctx.api.call('capture.export', { path, format }));
}

export async function confirmClear(ctx: DialogContext): Promise<boolean> {
  const { response } = await ctx.dialog.showMessageBox(ctx.window, {
    type: 'question',
    title: 'Clear',
    message: 'Clear every session and command from the view?',
    detail: 'The capture log on disk keeps them.',
    buttons: ['Clear', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  if (response !== 0) return false;
  await report(ctx, 'Clear', () => ctx.api.call('capture.clear', {}));
  return true;
}

/** Fallback ports offered when the configured one is refused; 0 means any free port. */
export const FALLBACK_CHOICES = [8080, 8000, 8888, 0] as const;

export async function chooseFallbackPort(dialog: DialogLike, win: unknown, gateway: Status['gateway'], current: number): Promise<number | null> {
  const buttons = [...FALLBACK_CHOICES.map((p) => (p === 0 ? 'Any free port' : String(p))), 'Cancel'];
  const { response } = await dialog.showMessageBox(win, {
    type: 'question',
    title: 'Fallback port',
    message: 'Which port should the gateway use when its configured port is refused?',
    detail: `Now: ${gateway.listening ? `listening on ${gateway.host}:${gateway.port}` : 'not listening'}; fallback ${current || 'any free port'}. Clients reach a port other than 80 in HTTP-proxy mode (see Help > Connection Guide).`,
    buttons,
    cancelId: buttons.length - 1,
    noLink: true,
  });
  return response >= 0 && response < FALLBACK_CHOICES.length ? FALLBACK_CHOICES[response] : null;
}

function fileStamp(d = new Date()): string {
  return d.toISOString().slice(0, 19).replace(/[:T]/g, '-');
}
