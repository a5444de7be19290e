// The inspector window: its options and the guards on its web contents. The renderer never
// navigates and never opens windows; https links go to the OS browser after the user clicks them.
import { isRendererUrl } from './sender.ts';

/** Same as the meta CSP in renderer/index.html, minus WebSocket (the desktop uses IPC only). */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'";

export function mainWindowOptions(preload: string) {
  return {
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'MSN Gateway Inspector',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  } as const;
}

type Preventable = { preventDefault(): void };

export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: Preventable, url?: unknown) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardOptions {
  rendererDir: string;
  openExternal: (url: string) => unknown;
}

/** Only https links leave the app, and only to the OS browser. */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

export function guardWebContents(contents: GuardedContents, options: GuardOptions): void {
  const blockUnlessOurs = (event: Preventable, target: unknown) => {
    // Electron puts the URL on the event (will-frame-navigate has nothing else) and, for the
    // older events, also passes it as a string.
    const fromEvent = (event as { url?: unknown }).url;
    const url = typeof fromEvent === 'string' ? fromEvent : typeof target === 'string' ? target : '';
    // A reload of our own page is allowed; every other navigation is stopped.
    if (!isRendererUrl(url, options.rendererDir)) event.preventDefault();
  };
  contents.on('will-navigate', blockUnlessOurs);
  contents.on('will-redirect', blockUnlessOurs);
  contents.on('will-frame-navigate', blockUnlessOurs);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void options.openExternal(url);
    return { action: 'deny' };
  });
}

export interface SessionLike {
  setPermissionRequestHandler(handler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((wc: unknown, permission: string) => boolean) | null): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string | string[]> },
        callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
      ) => void,
    ): void;
  };
}

/** The inspector needs no camera, notifications, clipboard reads or anything else: deny all. */
export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // The meta CSP covers file:// pages; this covers anything served over a protocol with headers.
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [RENDERER_CSP];
    callback({ responseHeaders: headers });
  });
}
