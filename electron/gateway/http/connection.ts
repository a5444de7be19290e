// One client connection on the gateway's HTTP front: request heads and bodies framed from the
// socket's bytes, each request handed over as soon as its head is in (so a pipelined request is
// seen while an earlier one waits, as an overlap), and the answers written strictly in request
// order. Whatever cannot be framed ends the connection with an error status, but only after the
// answers owed to the whole requests before it, so no server byte they carry is lost.
import type { Socket } from 'node:net';
import { ChunkedDecoder } from './chunked.ts';
import { EMPTY, HttpRequest, HttpResponder, type ConnectionSide } from './exchange-ends.ts';
import { parseRequestHead } from './request-head.ts';

export interface FrontLimits {
  /** Request line and headers together. */
  maxHeadBytes: number;
  maxBodyBytes: number;
  /** Requests read ahead of their answers; past this the socket is paused. */
  maxPipelined: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export interface FrontRefusal {
  status: number;
  code: 'http-parse-error' | 'bad-method' | 'http-timeout';
  message: string;
}

export interface FrontHooks {
  request(req: HttpRequest, res: HttpResponder): void;
  /** The front refuses on its own (unframeable bytes, CONNECT, a timeout): the head to write. */
  refused(refusal: FrontRefusal): string;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
/** A body this small goes out joined to its head: one write, one syscall. */
const SMALL_BODY = 16 * 1024;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export class FrontConnection implements ConnectionSide {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  closed = false;
  private ended = false;
  private pending: Buffer | null = null;
  private reading: HttpRequest | null = null;
  private contentLeft = 0;
  private chunked: ChunkedDecoder | null = null;
  /** No further request is read: a last request, a refusal, an unread body. */
  private stopped = false;
  private paused = false;
  private readonly queue: HttpResponder[] = [];
  /** When the head being received began (0: none), and the request whose body is being read. */
  private headSince = 0;
  private requestSince = 0;
  private idleSince: number;

  readonly socket: Socket;
  private readonly limits: FrontLimits;
  private readonly hooks: FrontHooks;
  private readonly onGone: (c: FrontConnection) => void;

  constructor(socket: Socket, limits: FrontLimits, hooks: FrontHooks, onGone: (c: FrontConnection) => void) {
    this.socket = socket;
    this.limits = limits;
    this.hooks = hooks;
    this.onGone = onGone;
    const remote = socket.remoteAddress ?? '';
    const local = socket.localAddress ?? '127.0.0.1';
    this.remoteAddress = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
    this.remotePort = socket.remotePort ?? 0;
    this.localAddress = local.startsWith('::ffff:') ? local.slice(7) : local;
    this.idleSince = performance.now();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  get finished(): boolean {
    return this.closed || this.ended;
  }

  /** No request in progress and no answer owed. */
  get idle(): boolean {
    return this.queue.length === 0 && this.reading === null && this.pending === null;
  }

  private onData(chunk: Buffer): void {
    if (this.stopped && this.reading === null) return;
    this.pending = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    this.parse();
  }

  private parse(): void {
    while (this.pending !== null && !this.closed) {
      if (this.reading !== null) {
        if (!this.readBody()) return;
        continue;
      }
      if (this.stopped) {
        this.pending = null;
        return;
      }
      if (this.queue.length >= this.limits.maxPipelined) {
        this.paused = true;
        this.socket.pause();
        return;
      }
      if (!this.readHead()) return;
    }
  }

  /** Frames one head and hands its request over; false when more bytes are needed (or refused). */
  private readHead(): boolean {
    let buf = this.pending!;
    // Blank lines before a request line are skipped (RFC 9112 §2.2), as some clients send them.
    let skip = 0;
    while (skip + 1 < buf.length && buf[skip] === 13 && buf[skip + 1] === 10) skip += 2;
    if (skip > 0) buf = buf.subarray(skip);
    if (buf.length === 0 || (buf.length === 1 && buf[0] === 13)) {
      this.pending = buf.length === 0 ? null : buf;
      return false;
    }
    const end = buf.indexOf(CRLFCRLF);
    if (end < 0 || end + 4 > this.limits.maxHeadBytes) {
      if (end >= 0 || buf.length > this.limits.maxHeadBytes) {
        this.refuse({ status: 431, code: 'http-parse-error', message: `request head over ${this.limits.maxHeadBytes} bytes` });
        return false;
      }
      this.pending = buf;
      if (this.headSince === 0) this.headSince = performance.now();
      return false;
    }
    const since = this.headSince || performance.now();
    this.headSince = 0;
    const headBytes = buf.subarray(0, end + 4);
    this.pending = end + 4 < buf.length ? buf.subarray(end + 4) : null;
    const parsed = parseRequestHead(buf.toString('latin1', 0, end));
    if (!parsed.ok) {
      this.refuse({ status: parsed.refusal.status, code: 'http-parse-error', message: parsed.refusal.message });
      return false;
    }
    const h = parsed.head;
    if (h.method === 'CONNECT') {
      this.refuse({ status: 405, code: 'bad-method', message: `method CONNECT not allowed (${h.target.slice(0, 80)})` });
      return false;
    }
    const req = new HttpRequest(h, headBytes, this);
    const res = new HttpResponder(this, req, h.keepAlive);
    this.queue.push(res);
    if (!h.keepAlive) this.stopped = true;
    if (h.chunked) this.startBody(req, since, 0);
    else if (h.contentLength !== null && h.contentLength > this.limits.maxBodyBytes) this.tooLarge(req);
    else if (h.contentLength !== null && h.contentLength > 0) this.startBody(req, since, h.contentLength);
    else req.finishBody();
    // The body bytes already here are taken first, so a whole request is handed over whole.
    if (this.reading === req && this.pending !== null) this.readBody();
    if (!req.continued && req.bodyPending && this.queue[0] === res) this.writeContinue(req);
    this.hooks.request(req, res);
    return true;
  }

  private startBody(req: HttpRequest, since: number, length: number): void {
    this.reading = req;
    this.requestSince = since;
    this.contentLeft = length;
    this.chunked = length === 0 ? new ChunkedDecoder() : null;
  }

  /** Takes body bytes from `pending`; true when the body is complete (`pending` may hold more). */
  private readBody(): boolean {
    const req = this.reading!;
    const buf = this.pending!;
    if (this.chunked !== null) {
      const step = this.chunked.push(buf, (bytes) => req.addBody(bytes));
      if (step.kind === 'error') {
        this.refuse({ status: 400, code: 'http-parse-error', message: step.message });
        return false;
      }
      if (req.bodyLength > this.limits.maxBodyBytes) {
        this.tooLarge(req);
        return false;
      }
      if (step.kind === 'more') {
        this.pending = null;
        return false;
      }
      this.pending = step.used < buf.length ? buf.subarray(step.used) : null;
    } else {
      const n = Math.min(this.contentLeft, buf.length);
      req.addBody(n === buf.length ? buf : buf.subarray(0, n));
      this.contentLeft -= n;
      this.pending = n < buf.length ? buf.subarray(n) : null;
      if (this.contentLeft > 0) return false;
    }
    this.reading = null;
    this.chunked = null;
    this.requestSince = 0;
    req.finishBody();
    return true;
  }

  /** The rest of the body is never read, so the connection ends after this request's answer. */
  private tooLarge(req: HttpRequest): void {
    this.reading = null;
    this.chunked = null;
    this.stopped = true;
    this.pending = null;
    req.tooLarge();
  }

  /** Ends the connection with an error answer, after the answers owed to earlier requests. */
  private refuse(refusal: FrontRefusal): void {
    this.stopReading();
    const head = this.hooks.refused(refusal);
    const res = new HttpResponder(this, null, false);
    this.queue.push(res);
    res.send(head, EMPTY, false);
  }

  /** No further request is read; a body still arriving will never be whole. */
  private stopReading(): void {
    this.stopped = true;
    this.pending = null;
    this.headSince = 0;
    const req = this.reading;
    this.reading = null;
    this.chunked = null;
    req?.abort();
  }

  private writeContinue(req: HttpRequest): void {
    req.continued = true;
    if (!this.finished) this.socket.write(CONTINUE, 'latin1');
  }

  /** Writes the answers whose turn has come. */
  flush(): void {
    const queue = this.queue;
    while (queue.length > 0 && !this.finished) {
      const res = queue[0];
      if (res.abandoned) {
        queue.shift();
        continue;
      }
      if (!res.sent) break;
      queue.shift();
      this.write(res.head, res.body);
      res.body = EMPTY;
      if (!res.keepAlive) {
        this.end();
        return;
      }
    }
    const next = queue[0];
    if (next?.request && !next.request.continued && next.request.bodyPending) this.writeContinue(next.request);
    if (queue.length === 0) this.idleSince = performance.now();
    if (this.paused && queue.length < this.limits.maxPipelined) {
      this.paused = false;
      this.socket.resume();
      // Not from inside a send (a handler may be answering mid-parse): on the next turn.
      setImmediate(() => this.parse());
    }
  }

  private write(head: string, body: Uint8Array): void {
    if (body.length === 0) this.socket.write(head, 'latin1');
    else if (body.length <= SMALL_BODY) this.socket.write(head + latin1(body), 'latin1');
    else {
      this.socket.cork();
      this.socket.write(head, 'latin1');
      this.socket.write(body);
      this.socket.uncork();
    }
  }

  /** Half-closes after the last answer; the socket is freed once it is flushed. */
  end(): void {
    if (this.ended || this.closed) return;
    this.ended = true;
    this.stopReading();
    for (const res of this.queue.splice(0)) res.abandon();
    this.socket.end(() => this.socket.destroy());
  }

  // A Messenger client never half-closes: its FIN means it is gone, as Node's http server also
  // takes it. Answers already given still go out in order; the rest are abandoned, so their
  // sessions keep the server bytes for the client's next request.
  private onEnd(): void {
    this.stopReading();
    this.flush();
    this.end();
  }

  private onClose(): void {
    this.closed = true;
    this.stopReading();
    for (const res of this.queue.splice(0)) res.abandon();
    this.onGone(this);
  }

  /** Enforces the timeouts (called about once a second by the front). */
  check(t: number): void {
    if (this.finished) return;
    if (this.headSince !== 0 && t - this.headSince > this.limits.headersTimeoutMs) {
      this.refuse({ status: 408, code: 'http-timeout', message: `request head not complete within ${this.limits.headersTimeoutMs} ms` });
    } else if (this.reading !== null && t - this.requestSince > this.limits.requestTimeoutMs) {
      this.refuse({ status: 408, code: 'http-timeout', message: `request not complete within ${this.limits.requestTimeoutMs} ms` });
    } else if (this.idle && t - this.idleSince > this.limits.keepAliveTimeoutMs) {
      this.end();
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}
