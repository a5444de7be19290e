// Stand-in for the `electron` module in vitest: the real binary cannot run here.
import { vi } from 'vitest';

export const app = {
  whenReady: vi.fn(async () => undefined),
  on: vi.fn(),
  quit: vi.fn(),
  getPath: vi.fn((name: string) => `/tmp/fake-electron/${name}`),
  requestSingleInstanceLock: vi.fn(() => true),
};
export const BrowserWindow = vi.fn();
export const ipcMain = { handle: vi.fn(), on: vi.fn(), removeHandler: vi.fn() };
export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() };
export default { app, BrowserWindow, ipcMain, contextBridge, ipcRenderer };
