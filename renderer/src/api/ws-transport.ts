// Headless transport: one WebSocket to `/api?token=...` carrying ClientMessage/ServerMessage JSON.
// Calls made while (re)connecting wait in a bounded queue; a dropped socket rejects what is in
// flight and reconnects with backoff, so the views can resynchronise.
import type { ClientMessage, EventBatch, OperationName, OperationRequest, OperationResponse } from '../../../shared/api/contract.ts';
import { Listeners } from './client.ts';
import type { ConnectionState, InspectorClient } from './client.ts';
import { parseServerMessage } from './server-message.ts';

export interface WsClientOptions {
  /** For tests; the browser's WebSocket otherwise. */
  WebSocketImpl?: typeof WebSocket;
  callTimeoutMs?: number;
  maxPending?: number;
  reconnect?: boolean;
  maxBackoffMs?: number;
}

export const WS_LIMITS = { callTimeoutMs: 30_000, maxPending: 1000, maxBackoffMs: 10_000 } as const;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  message: string;
  sent: boolean;
}

/** The API URL for a page served by the headless inspector: token from `#token=...`. */
export function apiUrlFromLocation(location: { protocol: string; host: string; hash: string }): string | null {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (!token) return null;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

export function createWsClient(url: string, options: WsClientOptions = {}): InspectorClient {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const callTimeoutMs = options.callTimeoutMs ?? WS_LIMITS.callTimeoutMs;
  const maxPending = options.maxPending ?? WS_LIMITS.maxPending;
  const maxBackoffMs = options.maxBackoffMs ?? WS_LIMITS.maxBackoffMs;
  const batches = new Listeners<EventBatch>();
  const states = new Listeners<ConnectionState>();
  const pending = new Map<number, Pending>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let nextId = 1;
  let backoff = 500;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    states.emit(next);
  };

  const failAll = (reason: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
      pending.delete(id);
    }
  };

  const flush = () => {
    for (const p of pending.values()) {
      if (!p.sent && socket && socket.readyState === Impl.OPEN) {
        socket.send(p.message);
        p.sent = true;
      }
    }
  };

  const open = () => {
    setState('connecting');
    const ws = new Impl(url);
    socket = ws;
    ws.onopen = () => {
      backoff = 500;
      setState('open');
      flush();
    };
    ws.onmessage = (event: MessageEvent) => {
      const message = typeof event.data === 'string' ? parseServerMessage(event.data) : null;
      if (!message) {
        console.warn('inspector API: ignored a message that is not a ServerMessage');
        return;
      }
      if (message.kind === 'events') {
        batches.emit(message.batch);
        return;
      }
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.ok) p.resolve(message.response);
      else p.reject(new Error(message.error));
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failAll('the inspector connection closed');
      setState('closed');
      if (!closed && options.reconnect !== false) {
        retryTimer = setTimeout(open, backoff);
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    };
  };

  open();

  return {
    call<N extends OperationName>(op: N, request: OperationRequest<N>): Promise<OperationResponse<N>> {
      if (closed) return Promise.reject(new Error('the inspector connection is closed'));
      if (pending.size >= maxPending) return Promise.reject(new Error(`more than ${maxPending} calls are waiting for the inspector`));
      const id = nextId++;
      const message: ClientMessage = { kind: 'call', id, op, request };
      return new Promise<OperationResponse<N>>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${op} got no answer within ${callTimeoutMs} ms`));
        }, callTimeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, message: JSON.stringify(message), sent: false });
        flush();
      });
    },
    onBatch: (listener) => batches.add(listener),
    onState(listener) {
      listener(state);
      return states.add(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      failAll('the inspector connection is closed');
      socket?.close();
      socket = null;
      batches.clear();
      states.clear();
    },
  };
}
