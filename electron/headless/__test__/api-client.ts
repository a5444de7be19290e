// Test helpers: a browser-less API client over `ws` (it can set Origin and Host, which Node's
// global WebSocket cannot), and a fake inspector endpoint for transport-only tests.
import WebSocket from 'ws';
import type { EventBatch, OperationName, ServerMessage } from '../../../shared/api/contract.ts';
import type { InspectorEndpoint } from '../ws-transport.ts';

export interface Refusal {
  status: number;
  body: string;
}

export class ApiClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  readonly batches: EventBatch[] = [];
  closeInfo: { code: number; reason: string } | null = null;
  #nextId = 1;
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.messages.push(message);
      if (message.kind === 'events') this.batches.push(message.batch);
      this.#wake();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.#wake();
    });
    ws.on('error', () => {});
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Connects or rejects with the refusal's status and body. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<ApiClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, perMessageDeflate: false });
      ws.once('open', () => resolve(new ApiClient(ws)));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { refusal: { status: res.statusCode ?? 0, body } })));
      });
      ws.once('error', reject);
    });
  }

  /** Waits until `check` holds (re-checked on every message or close). */
  async until<T>(check: () => T | undefined | null | false, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting on the API client');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Sends a call and resolves with its result message. */
  async call(op: OperationName | string, request: unknown = {}): Promise<Extract<ServerMessage, { kind: 'result' }>> {
    const id = this.#nextId++;
    this.ws.send(JSON.stringify({ kind: 'call', id, op, request }));
    return this.result(id);
  }

  result(id: number): Promise<Extract<ServerMessage, { kind: 'result' }>> {
    return this.until(() => this.messages.find((m): m is Extract<ServerMessage, { kind: 'result' }> => m.kind === 'result' && m.id === id));
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.terminate();
    });
  }
}

export async function refusalOf(url: string, headers: Record<string, string> = {}): Promise<Refusal> {
  try {
    const client = await ApiClient.connect(url, headers);
    await client.close();
  } catch (error) {
    const refusal = (error as { refusal?: Refusal }).refusal;
    if (refusal) return refusal;
    throw error;
  }
  throw new Error('the connection was accepted');
}

export class FakeApi implements InspectorEndpoint {
  readonly calls: { op: OperationName; request: unknown }[] = [];
  readonly listeners = new Set<(batch: EventBatch) => void>();
  /** Per-op behaviour; default: echo the op and the request. */
  handlers: Partial<Record<string, (request: unknown) => Promise<unknown>>> = {};

  call(op: OperationName, request: unknown): Promise<unknown> {
    this.calls.push({ op, request });
    const handler = this.handlers[op];
    return handler ? handler(request) : Promise.resolve({ op, request });
  }

  onBatch(listener: (batch: EventBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(batch: EventBatch): void {
    for (const listener of this.listeners) listener(batch);
  }
}

export function emptyBatch(seq: number, patch: Partial<EventBatch> = {}): EventBatch {
  return { seq, time: seq, sessions: [], commands: [], exchanges: [], findings: [], held: null, evicted: null, cleared: false, status: null, ...patch };
}
