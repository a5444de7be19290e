// The desktop shell: the only place (with preload.ts) that imports `electron`. It stays thin:
// a hardened window around the renderer; the core lives in plain-Node modules.
import { app, BrowserWindow, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';

const preload = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const indexHtml = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'MSN Gateway Inspector',
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
  });
  // The renderer never navigates away or opens windows; links go to the OS browser.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadFile(indexHtml);
  return win;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    createWindow();
  });
  app.on('window-all-closed', () => app.quit());
}
