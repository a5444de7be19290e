// Exposes named methods only (never a generic invoke/send); the API contract grows here.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('msnInspector', {
  platform: process.platform,
});
