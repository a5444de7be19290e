// The desktop shell's wiring, given the electron module: single-instance lock, hardened session
// and window, IPC bridge, menu, crash recovery, settings persistence, gateway notices, shutdown.
// main.ts passes the real module; tests pass tests/fakes/electron.ts.
import type * as ElectronModule from 'electron';
import type { Settings, Status } from '../../shared/api/contract.ts';
import { connectionGuide } from './connection-guide.ts';
import { createCrashRecovery } from './crash-recovery.ts';
import { chooseFallbackPort, confirmClear, exportCapture, openCapture, saveCapture } from './dialogs.ts';
import type { DialogLike } from './dialogs.ts';
import { runHostsDialog } from './hosts-dialog.ts';
import { forwardBatches, registerIpcBridge } from './ipc-bridge.ts';
import type { BridgeApi, IpcMainLike } from './ipc-bridge.ts';
import { buildMenuTemplate } from './menu.ts';
import type { MenuAction } from './menu.ts';
import { createRunLog } from './run-log.ts';
import { SettingsStore } from './settings-store.ts';
import type { ShellPrefs } from './settings-store.ts';
import { guardWebContents, hardenSession, mainWindowOptions } from './window.ts';
import type { GuardedContents, SessionLike } from './window.ts';

type Electron = Pick<typeof ElectronModule, 'app' | 'BrowserWindow' | 'ipcMain' | 'session' | 'Menu' | 'dialog' | 'shell' | 'clipboard'>;

export interface ShellCore {
  readonly api: BridgeApi;
  gatewayStatus(): Status['gateway'];
  restartGateway(fallbackPort?: number): Promise<Status['gateway']>;
  close(): Promise<void>;
}

export interface CoreRequest {
  dataDir: string;
  settings: Settings;
  fallbackPort: number;
  onSettingsChange: (settings: Settings) => void;
  onGatewayStatus: (status: Status['gateway']) => void;
  warn: (message: string) => void;
}

export interface ShellOptions {
  preload: string;
  rendererDir: string;
  indexHtml: string;
  startCore: (request: CoreRequest) => Promise<ShellCore>;
  platform?: NodeJS.Platform;
  devTools?: boolean;
  /** Overrides app.getPath('userData') (smoke tests run with a temporary one). */
  userDataDir?: string;
}

export interface ShellHandle {
  window(): ElectronModule.BrowserWindow | null;
  core: ShellCore;
  settingsFile: string;
  runAction(action: MenuAction): Promise<void>;
}

export async function runShell(electron: Electron, options: ShellOptions): Promise<ShellHandle | null> {
  const { app, BrowserWindow, ipcMain, session, Menu, dialog, shell, clipboard } = electron;
  const platform = options.platform ?? process.platform;
  // Before the lock: the lock lives in the user data directory, so a test instance is separate.
  if (options.userDataDir) app.setPath('userData', options.userDataDir);
  if (!app.requestSingleInstanceLock()) {
    // Another instance owns the gateway port and the data directory; it gets focused instead.
    app.quit();
    return null;
  }
  let win: ElectronModule.BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  // Defense in depth: every web contents gets the guards, not only the main window's.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents as unknown as GuardedContents, { rendererDir: options.rendererDir, openExternal: (url) => shell.openExternal(url) });
  });

  await app.whenReady();
  hardenSession(session.defaultSession as unknown as SessionLike);

  const dataDir = app.getPath('userData');
  const log = createRunLog(dataDir);
  log.write(`start: ${app.name} ${app.getVersion()} on ${platform}`);
  const store = new SettingsStore(dataDir);
  const loaded = store.load();
  for (const p of loaded.problems) log.write(`settings: ${p}`);
  let settings = loaded.settings;
  const prefs: ShellPrefs = loaded.shell;
  const persist = () => {
    try {
      store.save({ settings, shell: prefs });
    } catch (err) {
      log.write(`settings: cannot save: ${(err as Error).message}`);
    }
  };

  let core: ShellCore | null = null;
  const dialogs = dialog as unknown as DialogLike;
  let lastNotice = '';
  const gatewayNotice = (status: Status['gateway']) => {
    log.write(`gateway: ${status.listening ? `listening on ${status.host}:${status.port}` : 'not listening'}${status.error ? ` (${status.error})` : ''}`);
    if (!status.error || status.error === lastNotice || !win) return;
    lastNotice = status.error;
    void showGatewayNotice(status);
  };
  const showGatewayNotice = async (status: Status['gateway']) => {
    const { response } = await dialogs.showMessageBox(win, {
      type: 'warning',
      title: 'Gateway port',
      message: status.error ?? '',
      detail: status.remedies.map((r) => `• ${r}`).join('\n'),
      buttons: ['OK', 'Connection Guide', 'Fallback Port…'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    if (response === 1) await runAction('help.guide');
    if (response === 2) await runAction('gateway.fallback');
  };

  try {
    core = await options.startCore({
      dataDir,
      settings,
      fallbackPort: prefs.fallbackPort,
      onSettingsChange: (next) => {
        settings = next;
        persist();
        refreshMenu();
      },
      onGatewayStatus: gatewayNotice,
      warn: (m) => log.write(`core: ${m}`),
    });
  } catch (err) {
    log.write(`core failed: ${(err as Error).message}`);
    dialog.showErrorBox('MSN Gateway Inspector cannot start', (err as Error).message);
    app.quit();
    return null;
  }
  const started = core;

  registerIpcBridge({
    ipcMain: ipcMain as unknown as IpcMainLike,
    api: () => core?.api ?? null,
    windowId: () => (win && !win.isDestroyed() ? win.webContents.id : null),
    rendererDir: options.rendererDir,
    onRefused: (op, reason) => log.write(`ipc: ${op} refused: ${reason}`),
  });

  let capturing = true;
  forwardBatches(started.api, () => (win && !win.isDestroyed() ? win.webContents : null));
  started.api.onBatch((batch) => {
    if (batch.status && batch.status.capturing !== capturing) {
      capturing = batch.status.capturing;
      refreshMenu();
    }
  });

  const recovery = createCrashRecovery();
  const createWindow = () => {
    const w = new BrowserWindow(mainWindowOptions(options.preload));
    w.once('ready-to-show', () => w.show());
    w.webContents.on('render-process-gone', (_event, details) => {
      const decision = recovery.decide(details.reason, details.exitCode);
      log.write(`renderer gone: ${details.reason} (${details.exitCode}) -> ${decision.action}`);
      if (decision.action === 'ignore' || w.isDestroyed()) return;
      if (decision.action === 'reload') w.webContents.reload();
      void dialogs.showMessageBox(w, { type: decision.action === 'reload' ? 'warning' : 'error', title: 'Window recovered', message: decision.notice, buttons: ['OK'] });
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    void w.loadFile(options.indexHtml);
    return w;
  };

  const dialogCtx = () => ({ dialog: dialogs, window: win, api: started.api });
  async function runAction(action: MenuAction): Promise<void> {
    try {
      switch (action) {
        case 'capture.open':
        case 'capture.import':
          await openCapture(dialogCtx(), action);
          break;
        case 'capture.save':
          await saveCapture(dialogCtx());
          break;
        case 'export.har':
        case 'export.pcapng':
        case 'export.transcript':
        case 'export.ndjson':
          await exportCapture(dialogCtx(), action.slice('export.'.length) as 'har');
          break;
        case 'capture.pause':
        case 'capture.resume': {
          const r = (await started.api.call(action, {})) as { capturing: boolean };
          capturing = r.capturing;
          refreshMenu();
          break;
        }
        case 'capture.clear':
          await confirmClear(dialogCtx());
          break;
        case 'gateway.restart':
          gatewayNotice(await started.restartGateway());
          break;
        case 'gateway.fallback': {
          const port = await chooseFallbackPort(dialogs, win, started.gatewayStatus(), prefs.fallbackPort);
          if (port === null) break;
          prefs.fallbackPort = port;
          persist();
          lastNotice = '';
          gatewayNotice(await started.restartGateway(port));
          break;
        }
        case 'view.reload':
          win?.webContents.reload();
          break;
        case 'view.theme.system':
        case 'view.theme.light':
        case 'view.theme.dark':
          await started.api.call('settings.set', { theme: action.slice('view.theme.'.length) });
          break;
        case 'help.guide':
          await dialogs.showMessageBox(win, { type: 'info', title: 'Connection Guide', message: 'Connecting a Messenger client', detail: connectionGuide({ gateway: started.gatewayStatus(), platform }), buttons: ['OK'] });
          break;
        case 'help.hosts':
          await runHostsDialog({
            dialog: dialogs,
            window: win,
            platform,
            listenHost: started.gatewayStatus().host,
            workDir: dataDir,
            copyText: (text) => clipboard.writeText(text),
          });
          break;
        case 'help.about':
          await dialogs.showMessageBox(win, { type: 'info', title: 'About', message: `${app.name} ${app.getVersion()}`, detail: `Settings: ${store.file}\nRun log: ${log.file}`, buttons: ['OK'] });
          break;
      }
    } catch (err) {
      log.write(`menu ${action} failed: ${(err as Error).message}`);
      await dialogs.showMessageBox(win, { type: 'error', title: 'Error', message: `${action} failed`, detail: (err as Error).message, buttons: ['OK'] });
    }
  }

  function refreshMenu(): void {
    const template = buildMenuTemplate((a) => void runAction(a), { capturing, theme: settings.theme }, platform, options.devTools ?? !app.isPackaged);
    Menu.setApplicationMenu(Menu.buildFromTemplate(template as ElectronModule.MenuItemConstructorOptions[]));
  }

  refreshMenu();
  win = createWindow();
  // A refusal that happened before the window existed is shown now.
  gatewayNotice(started.gatewayStatus());

  let closed = false;
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void started.close().finally(() => {
      closed = true;
      log.write('stop');
      app.quit();
    });
  });

  return { window: () => win, core: started, settingsFile: store.file, runAction };
}
