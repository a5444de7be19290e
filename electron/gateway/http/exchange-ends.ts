// The two ends of one HTTP request on the gateway's front: the request as received (its head's
// exact bytes, its body once read) and the responder that writes its answer in turn.
import type { RequestHead } from './request-head.ts';

export type BodyResult = { ok: true; body: Uint8Array } | { ok: false; tooLarge: boolean; received: number };

export const EMPTY = new Uint8Array(0);
/** Every poll's body: shared, since nobody writes to it. */
const EMPTY_BODY: BodyResult = Object.freeze({ ok: true, body: EMPTY });

/** What a request and its responder need from their connection. */
export interface ConnectionSide {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  /** True once nothing more can be written (socket closed, or ended after a last answer). */
  readonly finished: boolean;
  flush(): void;
}

export class HttpRequest {
  readonly method: string;
  readonly target: string;
  readonly version: '1.0' | '1.1';
  readonly rawHeaders: readonly string[];
  /** The request line and headers exactly as received, through the blank line. */
  readonly head: Uint8Array;
  readonly expectContinue: boolean;
  readonly contentLength: number | null;
  readonly chunked: boolean;
  /** True once `100 Continue` was written (or is not owed). */
  continued: boolean;
  private first: Buffer | null = null;
  private chunks: Buffer[] | null = null;
  private length = 0;
  private result: BodyResult | null = null;
  private waiter: ((result: BodyResult) => void) | null = null;
  responder: HttpResponder | null = null;
  private readonly conn: ConnectionSide;

  constructor(head: RequestHead, headBytes: Uint8Array, conn: ConnectionSide) {
    this.conn = conn;
    this.method = head.method;
    this.target = head.target;
    this.version = head.version;
    this.rawHeaders = head.rawHeaders;
    this.head = headBytes;
    this.expectContinue = head.expectContinue;
    this.continued = !head.expectContinue;
    this.contentLength = head.contentLength;
    this.chunked = head.chunked;
  }

  get remoteAddress(): string {
    return this.conn.remoteAddress;
  }
  get remotePort(): number {
    return this.conn.remotePort;
  }
  get localAddress(): string {
    return this.conn.localAddress;
  }
  get bodyLength(): number {
    return this.length;
  }
  get bodyPending(): boolean {
    return this.result === null;
  }

  /** Calls `done` once the whole body is read (at once when it already is), or failed. */
  readBody(done: (result: BodyResult) => void): void {
    if (this.result !== null) done(this.result);
    else this.waiter = done;
  }

  addBody(bytes: Buffer): void {
    if (this.first === null) this.first = bytes;
    else (this.chunks ??= [this.first]).push(bytes);
    this.length += bytes.length;
  }

  finishBody(): void {
    if (this.length === 0) this.settle(EMPTY_BODY);
    else this.settle({ ok: true, body: this.chunks === null ? this.first! : Buffer.concat(this.chunks, this.length) });
    this.first = null;
    this.chunks = null;
  }

  /** The body is over the limit: it is not read, and the connection ends after the answer. */
  tooLarge(): void {
    this.first = null;
    this.chunks = null;
    if (this.responder) this.responder.keepAlive = false;
    this.settle({ ok: false, tooLarge: true, received: this.length });
  }

  /** The body will never come whole (client gone, broken framing): nobody can be answered. */
  abort(): void {
    this.first = null;
    this.chunks = null;
    this.settle({ ok: false, tooLarge: false, received: this.length });
    this.responder?.abandon();
  }

  private settle(result: BodyResult): void {
    if (this.result !== null) return;
    this.result = result;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(result);
  }
}

/**
 * Writes one answer. Answers leave in request order (pipelining): one given before its turn
 * waits in the connection's queue until every earlier answer is written.
 */
export class HttpResponder {
  /** May the connection carry another request after this answer. */
  keepAlive: boolean;
  sent = false;
  abandoned = false;
  head = '';
  body: Uint8Array = EMPTY;
  private closeListeners: Array<() => void> | null = null;
  private readonly conn: ConnectionSide;
  readonly request: HttpRequest | null;

  constructor(conn: ConnectionSide, request: HttpRequest | null, keepAlive: boolean) {
    this.conn = conn;
    this.request = request;
    this.keepAlive = keepAlive;
    if (request) request.responder = this;
  }

  /** Nothing can be sent: already answered, or the client is gone. */
  get done(): boolean {
    return this.sent || this.abandoned || this.conn.finished;
  }

  /** Queues the answer (head as latin1 text, body bytes); false when it can no longer be sent. */
  send(head: string, body: Uint8Array, keepAlive: boolean): boolean {
    if (this.done) return false;
    this.sent = true;
    this.head = head;
    this.body = body;
    if (!keepAlive) this.keepAlive = false;
    this.conn.flush();
    return true;
  }

  /** Called once if the client goes away before this answer was sent. */
  onAbandon(listener: () => void): void {
    if (this.abandoned) listener();
    else (this.closeListeners ??= []).push(listener);
  }

  abandon(): void {
    if (this.sent || this.abandoned) return;
    this.abandoned = true;
    const listeners = this.closeListeners;
    this.closeListeners = null;
    if (listeners) for (const l of listeners) l();
  }
}
