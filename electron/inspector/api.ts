// The inspector's API: every named operation of shared/api/contract.ts, each request checked at
// run time, plus batched events. Both transports (preload IPC, WebSocket) sit on `dispatch`, which
// never throws: bad input and failures come back as `{ ok: false, error }`.
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { EventBatch, OperationName, OperationResponse, ServerMessage } from '../../shared/api/contract.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import type { Gateway } from '../gateway/types.ts';
import { InspectorCore } from './core.ts';
import type { CoreOptions } from './core.ts';
import type { InjectGateway } from './inject.ts';
import type { CommandInterceptor } from './interceptor.ts';
import { ApiError, makeHandlers } from './operations.ts';
import { REQUEST_CHECKS } from './requests.ts';

export { ApiError } from './operations.ts';

export interface InspectorApiOptions extends Omit<CoreOptions, 'gateway'> {
  gateway: Pick<Gateway, 'onEvent'> & InjectGateway;
  /** How often unanswered requests are checked against the reply timeout (ms, default 1000). */
  sweepIntervalMs?: number;
}

export type ResultMessage = Extract<ServerMessage, { kind: 'result' }>;

export interface InspectorApi {
  /** Runs one operation; rejects with an ApiError (clear message) for bad input or failure. */
  call<N extends OperationName>(op: N, request: unknown): Promise<OperationResponse<N>>;
  /** Transport entry: a ClientMessage in (untrusted), a result message out. Never rejects. */
  dispatch(message: unknown): Promise<ResultMessage>;
  onBatch(listener: (batch: EventBatch) => void): () => void;
  /** For the gateway's per-command hook (breakpoints); the lead wires it into the gateway. */
  readonly interceptor: CommandInterceptor;
  /** Feeds one event as if the gateway had emitted it (replays, tests). */
  ingest(event: GatewayEvent): void;
  /** Emits pending changes now instead of at the next tick. */
  flush(): void;
  /** Unsubscribes from the gateway, releases held commands, stops timers. */
  close(): void;
}

const NAMES = new Set<string>(OPERATION_NAMES);

export function createInspectorApi(options: InspectorApiOptions): InspectorApi {
  const core = new InspectorCore(options);
  const handlers = makeHandlers(core);
  const unsubscribe = options.gateway.onEvent((e) => core.ingest(e));
  const sweep = setInterval(() => {
    core.live.sweep(Date.now());
    core.afterChange();
  }, options.sweepIntervalMs ?? 1000);
  sweep.unref?.();
  let closed = false;

  async function call<N extends OperationName>(op: N, request: unknown): Promise<OperationResponse<N>> {
    if (closed) throw new ApiError('the inspector is closed');
    if (typeof op !== 'string' || !NAMES.has(op)) throw new ApiError(`unknown operation ${JSON.stringify(op)}`);
    const checked = REQUEST_CHECKS[op](request ?? {}, '');
    if (!checked.ok) throw new ApiError(`${op}: ${checked.error}`);
    try {
      const handler = handlers[op] as (r: unknown) => OperationResponse<N> | Promise<OperationResponse<N>>;
      return await handler(checked.value);
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(`${op}: ${err.message}`);
      throw new ApiError(`${op} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return {
    call,
    async dispatch(message) {
      const m = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
      const id = typeof m.id === 'number' && Number.isSafeInteger(m.id) ? m.id : -1;
      if (m.kind !== 'call' || id < 0) return { kind: 'result', id, ok: false, error: 'a message must be {kind:"call", id:<integer>, op, request}' };
      try {
        const response = await call(m.op as OperationName, m.request);
        return { kind: 'result', id, ok: true, response };
      } catch (err) {
        return { kind: 'result', id, ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
    onBatch: (listener) => core.batcher.onBatch(listener),
    interceptor: core.breakpoints,
    ingest: (event) => core.ingest(event),
    flush: () => core.batcher.flush(),
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(sweep);
      core.cancelLoad();
      core.breakpoints.releaseAll();
      core.batcher.flush();
      core.batcher.close();
    },
  };
}
