// Electron transport: the preload exposes `window.msnInspector` (shape in shared/api/bridge.ts),
// one named method per operation plus onBatch. IPC cannot drop, so the state is always open.
import { bridgeMethodName } from '../../../shared/api/bridge.ts';
import type { InspectorBridge } from '../../../shared/api/bridge.ts';
import type { OperationName, OperationRequest, OperationResponse } from '../../../shared/api/contract.ts';
import type { ConnectionState, InspectorClient } from './client.ts';

export function isInspectorBridge(value: unknown): value is InspectorBridge {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.onBatch === 'function' && typeof v.sessionsList === 'function' && typeof v.commandsQuery === 'function';
}

export function createIpcClient(bridge: InspectorBridge): InspectorClient {
  const unsubscribers: (() => void)[] = [];
  return {
    call<N extends OperationName>(op: N, request: OperationRequest<N>): Promise<OperationResponse<N>> {
      const method = (bridge as unknown as Record<string, unknown>)[bridgeMethodName(op)];
      if (typeof method !== 'function') return Promise.reject(new Error(`the desktop bridge has no ${op} operation`));
      return (method as (r: OperationRequest<N>) => Promise<OperationResponse<N>>)(request);
    },
    onBatch(listener) {
      const off = bridge.onBatch(listener);
      unsubscribers.push(off);
      return off;
    },
    onState(listener: (state: ConnectionState) => void) {
      listener('open');
      return () => {};
    },
    close() {
      for (const off of unsubscribers.splice(0)) off();
    },
  };
}
