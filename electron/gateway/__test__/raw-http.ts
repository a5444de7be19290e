// Test support: a raw keep-alive HTTP/1.1 client on node:net that writes requests byte for byte
// and reads responses strictly by Content-Length, keeping the head bytes for exact assertions.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  statusLine: string;
  head: string;
  headers: Array<[string, string]>;
  body: Buffer;
  header(name: string): string | undefined;
}

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private ended = false;
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  send(target: string, body: Uint8Array | string = '', extraHeaders: string[] = [], method = 'POST'): void {
    const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    const head =
      `${method} ${target} HTTP/1.1\r\n` +
      ['Host: gateway.messenger.hotmail.com', ...extraHeaders, `Content-Length: ${b.length}`].map((h) => h + '\r\n').join('') +
      '\r\n';
    this.socket.write(Buffer.concat([Buffer.from(head, 'latin1'), b]));
  }

  async request(target: string, body: Uint8Array | string = '', extraHeaders: string[] = [], method = 'POST'): Promise<RawResponse> {
    this.send(target, body, extraHeaders, method);
    return this.read();
  }

  async read(timeoutMs = 5000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = this.tryParse();
      if (r) return r;
      if (this.ended) throw new Error('connection closed before a full response');
      if (Date.now() > deadline) throw new Error('timed out waiting for a response');
      await new Promise<void>((res) => {
        const t = setTimeout(res, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private tryParse(): RawResponse | null {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = this.buf.subarray(0, end + 4).toString('latin1');
    const lines = head.split('\r\n').slice(0, -2);
    const statusLine = lines[0];
    const headers: Array<[string, string]> = lines.slice(1).map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i), l.slice(i + 1).trim()];
    });
    const cl = headers.find(([n]) => n.toLowerCase() === 'content-length');
    if (!cl) throw new Error(`response without Content-Length: ${head}`);
    const len = Number(cl[1]);
    if (this.buf.length < end + 4 + len) return null;
    const body = Buffer.from(this.buf.subarray(end + 4, end + 4 + len));
    this.buf = this.buf.subarray(end + 4 + len);
    return {
      status: Number(statusLine.split(' ')[1]),
      statusLine,
      head,
      headers,
      body,
      header: (name) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
    };
  }
}

export function sessionIdOf(r: RawResponse): string {
  const v = r.header('X-MSN-Messenger') ?? '';
  const m = /^SessionID=([^;]+);/.exec(v);
  if (!m) throw new Error(`no SessionID in "${v}"`);
  return m[1];
}

/** A TCP upstream for tests: records what it receives, answers through `onData`. */
export interface TestUpstream {
  port: number;
  server: Server;
  sockets: Socket[];
  received: Buffer[];
  receivedAll(): Buffer;
  close(): Promise<void>;
}

export function startUpstream(onData: (socket: Socket, chunk: Buffer) => void = (s, c) => s.write(c)): Promise<TestUpstream> {
  return new Promise((resolve) => {
    const sockets: Socket[] = [];
    const received: Buffer[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => {});
      s.on('data', (c: Buffer) => {
        received.push(c);
        onData(s, c);
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        port,
        server,
        sockets,
        received,
        receivedAll: () => Buffer.concat(received),
        close: () =>
          new Promise<void>((res) => {
            for (const s of sockets) s.destroy();
            server.close(() => res());
          }),
      });
    });
  });
}
