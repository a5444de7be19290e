// One browser (or tool) connected to the API over a WebSocket: ClientMessage in, ServerMessage
// out, with limits so a misbehaving or slow client costs bounded memory and never crashes the run.
import type { RawData, WebSocket } from 'ws';
import { OPERATION_NAMES } from '../../shared/api/contract.ts';
import type { EventBatch, OperationName, ServerMessage } from '../../shared/api/contract.ts';
import { batchSize, mergeBatches } from './batch-merge.ts';

/** What the transport needs from the inspector (the shape of createInspectorApi's result). */
export interface InspectorEndpoint {
  call(op: OperationName, request: unknown): Promise<unknown>;
  onBatch(listener: (batch: EventBatch) => void): () => void;
  /** Batches already serialized as `{kind:'events', batch}` (an inspector on its own thread does that). */
  onBatchJson?(listener: (json: string) => void): () => void;
}

export interface TransportLimits {
  /** Largest ClientMessage; a bigger one closes the socket with 1009. */
  maxMessageBytes: number;
  /** Calls of one connection running at once; more get an error result. */
  maxInFlight: number;
  /** Calls per second (token bucket refill) and the burst allowed above it. */
  callsPerSecond: number;
  callBurst: number;
  /** Above this many unsent bytes, batches for the client are coalesced instead of sent. */
  softBufferedBytes: number;
  /** Above this many unsent bytes the client is dropped. */
  hardBufferedBytes: number;
  /** Records a coalesced backlog may hold before the client is dropped. */
  maxBacklogRecords: number;
  /** Connected clients at once; more are refused with 503. */
  maxClients: number;
  /** Ping interval; a client that did not answer the previous ping is cut. */
  heartbeatMs: number;
}

export const TRANSPORT_LIMITS: TransportLimits = {
  maxMessageBytes: 1024 * 1024,
  maxInFlight: 16,
  callsPerSecond: 200,
  callBurst: 400,
  softBufferedBytes: 1024 * 1024,
  hardBufferedBytes: 16 * 1024 * 1024,
  maxBacklogRecords: 50_000,
  maxClients: 16,
  heartbeatMs: 30_000,
};

/** Close codes a client may see besides the standard ones (1001 shutdown, 1009 too big). */
export const CLOSE_SLOW_CLIENT = 4001;
export const CLOSE_SHUTDOWN = 1001;

/** The id used in an error result when the message had no usable id. */
export const NO_ID = -1;

const OPERATIONS: ReadonlySet<string> = new Set(OPERATION_NAMES);
const BACKLOG_RETRY_MS = 50;

function messageText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}

export class ApiConnection {
  readonly #ws: WebSocket;
  readonly #api: InspectorEndpoint;
  readonly #limits: TransportLimits;
  #inFlight = 0;
  #tokens: number;
  #refilledAt = Date.now();
  #backlog: EventBatch | null = null;
  #backlogTimer: NodeJS.Timeout | null = null;
  #closed = false;
  #closeListeners: (() => void)[] = [];
  /** Set by the heartbeat: false once a ping went out, true again on the pong. */
  alive = true;

  constructor(ws: WebSocket, api: InspectorEndpoint, limits: TransportLimits) {
    this.#ws = ws;
    this.#api = api;
    this.#limits = limits;
    this.#tokens = limits.callBurst;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => this.#dispose());
    // Errors (bad frames, oversized messages) are followed by 'close'; ws answers them itself.
    ws.on('error', () => {});
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Called once when the client is gone: closed by either side or dropped. */
  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  /** A new batch from the inspector; `json` is the ServerMessage already serialized once for all. */
  /** `batch` may be left out when `json` is its message; it is parsed back only to coalesce. */
  pushBatch(batch: EventBatch | null, json: string): void {
    if (this.#closed) return;
    if (this.#backlog === null && this.#ws.bufferedAmount <= this.#limits.softBufferedBytes) {
      this.#send(json);
      return;
    }
    const b = batch ?? (JSON.parse(json) as { batch: EventBatch }).batch;
    this.#backlog = this.#backlog === null ? b : mergeBatches(this.#backlog, b);
    const size = batchSize(this.#backlog);
    if (size > this.#limits.maxBacklogRecords) {
      this.drop(CLOSE_SLOW_CLIENT, `slow client: event backlog over ${this.#limits.maxBacklogRecords} records; reconnect to resync`);
      return;
    }
    this.#backlogTimer ??= setTimeout(() => this.#flushBacklog(), BACKLOG_RETRY_MS);
  }

  ping(): void {
    if (this.#closed) return;
    if (!this.alive) {
      this.#ws.terminate();
      return;
    }
    this.alive = false;
    this.#ws.ping();
  }

  /** Closes with a reason the client can show; cuts the socket if the close cannot get through. */
  drop(code: number, reason: string): void {
    if (this.#closed) return;
    this.#dispose();
    this.#ws.close(code, reason.slice(0, 120));
    setTimeout(() => this.#ws.terminate(), 1000).unref();
  }

  #dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const listener of this.#closeListeners.splice(0)) listener();
    this.#backlog = null;
    if (this.#backlogTimer) clearTimeout(this.#backlogTimer);
    this.#backlogTimer = null;
  }

  #flushBacklog(): void {
    this.#backlogTimer = null;
    if (this.#closed || this.#backlog === null) return;
    if (this.#ws.bufferedAmount > this.#limits.softBufferedBytes) {
      this.#backlogTimer = setTimeout(() => this.#flushBacklog(), BACKLOG_RETRY_MS);
      return;
    }
    const batch = this.#backlog;
    this.#backlog = null;
    this.#send(JSON.stringify({ kind: 'events', batch } satisfies ServerMessage));
  }

  #send(json: string): void {
    if (this.#closed || this.#ws.readyState !== this.#ws.OPEN) return;
    if (this.#ws.bufferedAmount > this.#limits.hardBufferedBytes) {
      this.drop(CLOSE_SLOW_CLIENT, `slow client: over ${this.#limits.hardBufferedBytes} bytes unread; reconnect to resync`);
      return;
    }
    this.#ws.send(json);
  }

  #result(message: ServerMessage): void {
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch (error) {
      const id = message.kind === 'result' ? message.id : NO_ID;
      json = JSON.stringify({ kind: 'result', id, ok: false, error: `the response could not be serialized: ${(error as Error).message}` } satisfies ServerMessage);
    }
    this.#send(json);
  }

  #error(id: number, error: string): void {
    this.#result({ kind: 'result', id, ok: false, error });
  }

  #takeToken(): boolean {
    const now = Date.now();
    const { callsPerSecond, callBurst } = this.#limits;
    this.#tokens = Math.min(callBurst, this.#tokens + ((now - this.#refilledAt) / 1000) * callsPerSecond);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#closed) return;
    if (isBinary) {
      this.#error(NO_ID, 'binary messages are not accepted: send a ClientMessage as JSON text');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(messageText(data));
    } catch {
      this.#error(NO_ID, 'invalid JSON: send {"kind":"call","id":N,"op":"...","request":{...}}');
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.#error(NO_ID, 'a message must be a JSON object {"kind":"call","id":N,"op":"...","request":{...}}');
      return;
    }
    const { kind, id, op, request } = message as Record<string, unknown>;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
      this.#error(NO_ID, `id must be a non-negative integer, got ${describe(id)}`);
      return;
    }
    if (kind !== 'call') {
      this.#error(id, `unknown message kind ${describe(kind)}: only "call" is accepted`);
      return;
    }
    if (typeof op !== 'string' || !OPERATIONS.has(op)) {
      this.#error(id, `unknown operation ${describe(op)}`);
      return;
    }
    if (!this.#takeToken()) {
      this.#error(id, `rate limit: at most ${this.#limits.callsPerSecond} calls per second`);
      return;
    }
    if (this.#inFlight >= this.#limits.maxInFlight) {
      this.#error(id, `too many calls in flight (at most ${this.#limits.maxInFlight}): wait for answers first`);
      return;
    }
    void this.#call(id, op as OperationName, request === undefined ? {} : request);
  }

  async #call(id: number, op: OperationName, request: unknown): Promise<void> {
    this.#inFlight++;
    try {
      const response = await this.#api.call(op, request);
      this.#result({ kind: 'result', id, ok: true, response });
    } catch (error) {
      this.#error(id, `${op} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#inFlight--;
    }
  }
}
