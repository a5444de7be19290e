// The desktop app's entry: the only place (with preload.ts) that imports `electron` at run time.
// It stays thin: electron/shell/app.ts wires window, IPC, menu and settings; electron/core runs
// the gateway and emulator in this process and the inspector on its own worker thread.
import * as electron from 'electron';
import { fileURLToPath } from 'node:url';
import { startCore } from './core/compose.ts';
import { runShell } from './shell/app.ts';

const preload = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const indexHtml = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
// The inspector's thread, built beside this file as its own entry (electron.vite.config.ts).
const inspectorWorker = new URL('./inspector-worker.js', import.meta.url);

void runShell(electron, {
  preload,
  rendererDir,
  indexHtml,
  // Smoke tests and side-by-side runs use their own data directory (settings, captures, lock).
  userDataDir: process.env.MSN_INSPECTOR_USER_DATA || undefined,
  startCore: (request) =>
    startCore({ ...request, env: { platform: process.platform, execPath: process.execPath }, inspectorThread: { workerUrl: inspectorWorker } }),
}).catch((err: unknown) => {
  electron.dialog.showErrorBox('MSN Gateway Inspector', err instanceof Error ? err.message : String(err));
  electron.app.exit(1);
});
