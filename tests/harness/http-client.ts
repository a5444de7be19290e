// A raw HTTP/1.1 client for tests: requests go out byte for byte as the test wrote them (so a
// test can replay a captured client exactly), and responses are parsed strictly with the raw
// head kept, so a test can assert the gateway's header bytes rather than a library's view of them.
import net from 'node:net';

export type HeaderList = Array<[name: string, value: string]>;

export interface RawRequest {
  method?: string;
  /** Origin-form (`/gateway/gateway.dll?...`) or absolute-form (`http://host/gateway/...`). */
  target: string;
  /** Sent in this order, exactly as given. `Content-Length` is NOT added for you. */
  headers: HeaderList;
  body?: Uint8Array | string;
  httpVersion?: string;
}

export interface RawResponse {
  httpVersion: string;
  status: number;
  reason: string;
  statusLine: string;
  /** Header lines as received, in order, without their CRLF. */
  headerLines: string[];
  headers: HeaderList;
  /** Status line, headers and the blank line, exactly as received. */
  head: Uint8Array;
  body: Uint8Array;
  /** performance.now() when the whole response had arrived. */
  receivedAt: number;
}

const encoder = new TextEncoder();
const CRLFCRLF = Buffer.from('\r\n\r\n');
/** A response head this large is a broken server, not a slow one. */
const MAX_HEAD_BYTES = 64 * 1024;

export function toBytes(data: Uint8Array | string | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return typeof data === 'string' ? encoder.encode(data) : data;
}

/** Serialises a request exactly: request line, the headers in order, blank line, body. */
export function buildRequest(req: RawRequest): Uint8Array {
  const lines = [`${req.method ?? 'POST'} ${req.target} ${req.httpVersion ?? 'HTTP/1.1'}`];
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  const head = encoder.encode(lines.join('\r\n') + '\r\n\r\n');
  const body = toBytes(req.body);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

export function headerValue(res: Pick<RawResponse, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return res.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function headerValues(res: Pick<RawResponse, 'headers'>, name: string): string[] {
  const lower = name.toLowerCase();
  return res.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export class HttpProtocolError extends Error {
  override name = 'HttpProtocolError';
}

interface Waiter {
  resolve(res: RawResponse): void;
  reject(err: Error): void;
}

/**
 * One keep-alive connection. Responses are matched to requests in order, so several requests
 * may be written before any answer arrives (pipelining).
 */
export class HttpConnection {
  readonly socket: net.Socket;
  /** Every response parsed on this connection, in order (1xx included), unless recording is off. */
  readonly responses: RawResponse[] = [];
  /** Every byte written, in order, unless recording is off. */
  readonly written: Uint8Array[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiters: Waiter[] = [];
  private failure: Error | null = null;
  private ended = false;
  readonly closed: Promise<void>;

  private readonly record: boolean;

  private constructor(socket: net.Socket, record: boolean) {
    this.socket = socket;
    this.record = record;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.ended = true;
        this.fail(new HttpProtocolError('connection closed by peer'));
        resolve();
      });
    });
  }

  /** `record: false` keeps no history (`responses`, `written`), for long load runs. */
  static connect(port: number, host = '127.0.0.1', opts: { record?: boolean } = {}): Promise<HttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new HttpConnection(socket, opts.record ?? true));
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.ended || this.socket.destroyed;
  }

  /** Writes raw bytes without expecting a response (for partial or malformed requests). */
  writeRaw(bytes: Uint8Array | string): void {
    const b = toBytes(bytes);
    if (this.record) this.written.push(b);
    this.socket.write(b);
  }

  /** Resolves with the next final response not yet claimed by another caller. */
  nextResponse(): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiters.push({ resolve, reject });
      this.drain();
    });
  }

  /** Writes one request (raw bytes) and resolves with its final (non-1xx) response. */
  send(bytes: Uint8Array | string): Promise<RawResponse> {
    const p = this.nextResponse();
    this.writeRaw(bytes);
    return p;
  }

  request(req: RawRequest): Promise<RawResponse> {
    return this.send(buildRequest(req));
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.drain();
  }

  private drain(): void {
    while (this.waiters.length > 0 && !this.failure) {
      let res: RawResponse | null;
      try {
        res = this.parseOne();
      } catch (err) {
        this.fail(err as Error);
        this.socket.destroy();
        return;
      }
      if (!res) return;
      // 1xx answers are recorded but never claimed: clients skip them.
      if (res.status >= 200) this.waiters.shift()!.resolve(res);
    }
  }

  private parseOne(): RawResponse | null {
    const end = this.buffer.indexOf(CRLFCRLF);
    if (end < 0) {
      if (this.buffer.length > MAX_HEAD_BYTES) throw new HttpProtocolError('response head too large');
      return null;
    }
    const headLen = end + 4;
    const headText = this.buffer.subarray(0, end).toString('latin1');
    const [statusLine, ...headerLines] = headText.split('\r\n');
    const m = /^(HTTP\/\d\.\d) (\d{3}) (.*)$/.exec(statusLine);
    if (!m) throw new HttpProtocolError(`bad status line: ${JSON.stringify(statusLine)}`);
    const headers: HeaderList = [];
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0 || /[\r\n]/.test(line)) throw new HttpProtocolError(`bad header line: ${JSON.stringify(line)}`);
      headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
    }
    const status = Number(m[2]);
    const te = headerValue({ headers }, 'transfer-encoding');
    if (te !== undefined) throw new HttpProtocolError(`Transfer-Encoding not allowed: ${te}`);
    const lengths = headerValues({ headers }, 'content-length');
    let bodyLen = 0;
    if (status >= 200) {
      if (lengths.length !== 1 || !/^\d+$/.test(lengths[0])) {
        throw new HttpProtocolError(`response needs exactly one numeric Content-Length, got ${JSON.stringify(lengths)}`);
      }
      bodyLen = Number(lengths[0]);
    }
    if (this.buffer.length < headLen + bodyLen) return null;
    const head = new Uint8Array(this.buffer.subarray(0, headLen));
    const body = new Uint8Array(this.buffer.subarray(headLen, headLen + bodyLen));
    this.buffer = this.buffer.subarray(headLen + bodyLen);
    const res: RawResponse = {
      httpVersion: m[1],
      status,
      reason: m[3],
      statusLine,
      headerLines,
      headers,
      head,
      body,
      receivedAt: performance.now(),
    };
    if (this.record) this.responses.push(res);
    return res;
  }

  private fail(err: Error): void {
    // A response that fully arrived before the close is still delivered.
    if (this.waiters.length > 0 && !this.failure) {
      try {
        for (let res = this.parseOne(); res && this.waiters.length > 0; res = this.parseOne()) {
          if (res.status >= 200) this.waiters.shift()!.resolve(res);
        }
      } catch {
        /* the original failure below is the more useful one */
      }
    }
    if (!this.failure) this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }
}

/** One request on a fresh connection, closed afterwards. */
export async function sendOnce(port: number, bytes: Uint8Array | string, host = '127.0.0.1'): Promise<RawResponse> {
  const conn = await HttpConnection.connect(port, host);
  try {
    return await conn.send(bytes);
  } finally {
    conn.close();
  }
}
