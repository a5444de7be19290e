// Stand-in for the `electron` module in vitest: the real binary cannot run here. It keeps just
// enough state to exercise the shell's wiring: windows with web contents, IPC between a fake
// renderer and ipcMain handlers, the default session's handlers, menus and dialogs.
// `fake` (below) exposes that state to tests; `resetFake()` starts over.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly send = vi.fn((channel: string, ...args: unknown[]) => {
    this.sent.push({ channel, args });
  });
  readonly reload = vi.fn(() => undefined);
  readonly openDevTools = vi.fn();
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** Emits an Electron-style event with a preventable first argument; returns whether it was prevented. */
  emitPreventable(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  readonly focus = vi.fn();
  readonly show = vi.fn();
  readonly restore = vi.fn(() => {
    this.minimized = false;
  });
  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    FakeBrowserWindow.all.push(this);
    // Electron announces every new web contents on the app.
    appEvents.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed);
  }
  async loadFile(path: string): Promise<void> {
    this.webContents.url = pathToFileURL(path).href;
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.url = url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

const appEvents = new EventEmitter();

export const app = {
  whenReady: vi.fn(async () => undefined),
  on: vi.fn((name: string, listener: (...args: unknown[]) => void) => {
    appEvents.on(name, listener);
    return app;
  }),
  emit: (name: string, ...args: unknown[]) => appEvents.emit(name, ...args),
  quit: vi.fn(),
  exit: vi.fn(),
  getPath: vi.fn((name: string) => `/tmp/fake-electron/${name}`),
  setPath: vi.fn(),
  getAppPath: vi.fn(() => '/tmp/fake-electron/app'),
  getVersion: vi.fn(() => '0.0.0-fake'),
  isPackaged: false,
  name: 'MSN Gateway Inspector',
  requestSingleInstanceLock: vi.fn(() => true),
  setAppUserModelId: vi.fn(),
};

const handlers = new Map<string, Handler>();

export const ipcMain = {
  handle: vi.fn((channel: string, handler: Handler) => {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => {
    handlers.delete(channel);
  }),
  on: vi.fn(),
};

/** Who the fake renderer is: ipcRenderer.invoke calls arrive from this sender and frame URL. */
const rendererState: { sender: FakeWebContents | null; frameUrl: string | null } = { sender: null, frameUrl: null };
const rendererListeners = new EventEmitter();

export const ipcRenderer = {
  invoke: vi.fn(async (channel: string, ...args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const sender = rendererState.sender ?? new FakeWebContents();
    const frameUrl = rendererState.frameUrl ?? sender.url;
    // Electron copies arguments with the structured clone algorithm.
    return handler({ sender, senderFrame: { url: frameUrl } }, ...structuredClone(args));
  }),
  on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
    rendererListeners.on(channel, listener);
  }),
  removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
    rendererListeners.removeListener(channel, listener);
  }),
  send: vi.fn(),
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn((key: string, value: unknown) => {
    contextBridge.exposed.set(key, value);
  }),
};

type PermissionRequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void;
type PermissionCheckHandler = (wc: unknown, permission: string) => boolean;
type HeadersListener = (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;

export const session = {
  defaultSession: {
    permissionRequestHandler: null as PermissionRequestHandler | null,
    permissionCheckHandler: null as PermissionCheckHandler | null,
    headersListener: null as HeadersListener | null,
    setPermissionRequestHandler: vi.fn((h: PermissionRequestHandler | null) => {
      session.defaultSession.permissionRequestHandler = h;
    }),
    setPermissionCheckHandler: vi.fn((h: PermissionCheckHandler | null) => {
      session.defaultSession.permissionCheckHandler = h;
    }),
    webRequest: {
      onHeadersReceived: vi.fn((l: HeadersListener) => {
        session.defaultSession.headersListener = l;
      }),
    },
  },
};

export const Menu = {
  current: null as { template: unknown[] } | null,
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn((menu: { template: unknown[] } | null) => {
    Menu.current = menu;
  }),
};

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
  showErrorBox: vi.fn(),
};

export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
export const clipboard = { writeText: vi.fn() };

export const BrowserWindow = FakeBrowserWindow;

/** Test helpers, not part of Electron's API. */
export const fake = {
  handlers,
  rendererState,
  /** What the main process sends on a channel reaches the fake renderer's listeners. */
  deliverToRenderer(channel: string, ...args: unknown[]): void {
    rendererListeners.emit(channel, {}, ...args);
  },
  rendererListenerCount(channel: string): number {
    return rendererListeners.listenerCount(channel);
  },
};

export function resetFake(): void {
  handlers.clear();
  rendererListeners.removeAllListeners();
  appEvents.removeAllListeners();
  rendererState.sender = null;
  rendererState.frameUrl = null;
  contextBridge.exposed.clear();
  FakeBrowserWindow.all = [];
  session.defaultSession.permissionRequestHandler = null;
  session.defaultSession.permissionCheckHandler = null;
  session.defaultSession.headersListener = null;
  Menu.current = null;
  vi.clearAllMocks();
}

export default { app, BrowserWindow, ipcMain, ipcRenderer, contextBridge, session, Menu, dialog, shell, clipboard };
