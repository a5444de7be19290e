// Calls an operation from a view; failures land in the status bar instead of throwing into React.
import { useCallback } from 'react';
import type { OperationName, OperationRequest, OperationResponse } from '../../../shared/api/contract.ts';
import { useClient, useInspectorStore } from './context.tsx';

export function useOperation() {
  const client = useClient();
  const store = useInspectorStore();
  return useCallback(
    async <N extends OperationName>(op: N, request: OperationRequest<N>): Promise<OperationResponse<N> | null> => {
      try {
        return await client.call(op, request);
      } catch (error) {
        store.getState().setError(`${op} failed: ${(error as Error).message}`);
        return null;
      }
    },
    [client, store],
  );
}
