// The shape the Electron preload exposes as the page's global `msnInspector`: one named, camel-cased method
// per operation of the API contract (never a generic invoke), plus `onBatch` for event batches.
// The preload builds it from BRIDGE_METHODS; the renderer's IPC transport calls it. Pure TypeScript.
import { OPERATION_NAMES } from './contract.ts';
import type { EventBatch, OperationName, OperationRequest, OperationResponse } from './contract.ts';

/** `sessions.list` -> `sessionsList`, `held.forward` -> `heldForward`. */
export type BridgeMethodName<N extends string> = N extends `${infer Head}.${infer Tail}` ? `${Head}${Capitalize<Tail>}` : N;

export type BridgeOperations = {
  [N in OperationName as BridgeMethodName<N>]: (request: OperationRequest<N>) => Promise<OperationResponse<N>>;
};

export interface InspectorBridge extends BridgeOperations {
  /** Subscribes to event batches; returns the unsubscribe function. */
  onBatch(listener: (batch: EventBatch) => void): () => void;
}

/** The global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'msnInspector';

export function bridgeMethodName<N extends OperationName>(op: N): BridgeMethodName<N> {
  const dot = op.indexOf('.');
  return (op.slice(0, dot) + op.charAt(dot + 1).toUpperCase() + op.slice(dot + 2)) as BridgeMethodName<N>;
}

/** Operation name -> bridge method name, for every operation (the preload iterates this). */
export const BRIDGE_METHODS: Readonly<Record<OperationName, string>> = Object.fromEntries(
  OPERATION_NAMES.map((op) => [op, bridgeMethodName(op)]),
) as Record<OperationName, string>;
