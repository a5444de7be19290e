// Exposes `window.msnInspector`: one named method per API operation, each on its own IPC channel,
// plus onBatch. No generic invoke/send reaches the page. Built as CommonJS (sandboxed preload).
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/api/bridge.ts';
import { createBridge } from './shell/preload-bridge.ts';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridge(ipcRenderer));
