// The one client interface the views use, whatever carries it (Electron IPC or WebSocket).
import type { EventBatch, OperationName, OperationRequest, OperationResponse } from '../../../shared/api/contract.ts';

export interface InspectorClient {
  call<N extends OperationName>(op: N, request: OperationRequest<N>): Promise<OperationResponse<N>>;
  /** Subscribes to event batches; returns the unsubscribe function. */
  onBatch(listener: (batch: EventBatch) => void): () => void;
  /** Connection state changes (the WebSocket transport can drop; IPC never does). */
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** A tiny listener set, shared by the transports. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch (error) {
        // One broken view must not stop the others from getting the batch.
        console.error(error);
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
