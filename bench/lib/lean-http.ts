// The load generator's HTTP/1.1 connection: one request at a time on a keep-alive socket, as a
// Messenger client uses it. The test harness's client (tests/harness/http-client.ts) keeps every
// header of every response as a list and checks it strictly; at 10,000 sessions that cost the
// load process a large share of the core it shares with the server under test, so here a
// response is read for what a client needs (status, X-MSN-Messenger, the body by its
// Content-Length) and the request goes out as one buffer, in one write.
import net from 'node:net';

export interface LeanResponse {
  status: number;
  /** The X-MSN-Messenger value ('' when absent). */
  messenger: string;
  body: Buffer;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Where the line holding `from` ends (the head's end for its last line). */
function lineEnd(head: string, from: number): number {
  const e = head.indexOf('\r\n', from);
  return e < 0 ? head.length : e;
}
const MAX_HEAD_BYTES = 64 * 1024;

interface Waiter {
  resolve(res: LeanResponse): void;
  reject(err: Error): void;
}

export class LeanConnection {
  private readonly socket: net.Socket;
  private buffer: Buffer | null = null;
  private waiter: Waiter | null = null;
  private failure: Error | null = null;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed by peer')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<LeanConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new LeanConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends a whole request (head text in latin1, then the body) and waits for its answer. */
  send(head: string, body: Uint8Array): Promise<LeanResponse> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiter) return Promise.reject(new Error('a request is already outstanding on this connection'));
    const headLength = Buffer.byteLength(head, 'latin1');
    const bytes = Buffer.allocUnsafe(headLength + body.length);
    bytes.write(head, 0, 'latin1');
    bytes.set(body, headLength);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer === null ? chunk : Buffer.concat([this.buffer, chunk]);
    const res = this.parse();
    if (res === null || !this.waiter) return;
    const w = this.waiter;
    this.waiter = null;
    w.resolve(res);
  }

  private parse(): LeanResponse | null {
    const buf = this.buffer!;
    const end = buf.indexOf(CRLFCRLF);
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) this.fail(new Error('response head too large'));
      return null;
    }
    const head = buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    if (!head.startsWith('HTTP/1.') || !(status >= 100 && status <= 599)) {
      this.fail(new Error(`bad status line: ${JSON.stringify(head.slice(0, 40))}`));
      return null;
    }
    const lower = head.toLowerCase();
    const at = lower.indexOf('\r\ncontent-length:');
    const length = at < 0 ? 0 : parseInt(head.slice(at + 17, lineEnd(head, at + 2)), 10);
    if (status >= 200 && (at < 0 || !(length >= 0))) {
      this.fail(new Error('response without a Content-Length'));
      return null;
    }
    if (buf.length < end + 4 + length) return null;
    const body = buf.subarray(end + 4, end + 4 + length);
    this.buffer = end + 4 + length < buf.length ? buf.subarray(end + 4 + length) : null;
    // 100 Continue is never claimed: the final answer follows it.
    if (status < 200) return this.buffer === null ? null : this.parse();
    const m = lower.indexOf('\r\nx-msn-messenger:');
    const messenger = m < 0 ? '' : head.slice(m + 18, lineEnd(head, m + 2)).trim();
    return { status, messenger, body };
  }

  private fail(err: Error): void {
    if (!this.failure) this.failure = err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(this.failure);
    this.socket.destroy();
  }
}
