// Picks the transport: the preload's bridge in the desktop app, else the headless WebSocket.
import { BRIDGE_GLOBAL } from '../../../shared/api/bridge.ts';
import type { InspectorClient } from './client.ts';
import { createIpcClient, isInspectorBridge } from './ipc-transport.ts';
import { apiUrlFromLocation, createWsClient } from './ws-transport.ts';

export type ConnectResult = { ok: true; client: InspectorClient; transport: 'ipc' | 'ws' } | { ok: false; error: string };

export function connectInspector(win: Window = window): ConnectResult {
  const bridge = (win as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
  if (isInspectorBridge(bridge)) return { ok: true, client: createIpcClient(bridge), transport: 'ipc' };
  const url = apiUrlFromLocation(win.location);
  if (url) return { ok: true, client: createWsClient(url), transport: 'ws' };
  return {
    ok: false,
    error: 'No inspector to talk to: open this page from the link the headless inspector prints (it ends in #token=...), or run the desktop app.',
  };
}
