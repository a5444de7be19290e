// A scripted MSNP client for the emulator's tests: speaks over a real TCP socket or the in-process
// pipe, frames the server's bytes with the shared Framer, and lets a test await the next command.
import net from 'node:net';
import { Framer } from '../../../shared/msnp/framer.ts';
import type { CommandItem, Item, ServerKind } from '../../../shared/msnp/types.ts';
import type { InProcessConnect, InProcessConnection } from '../../gateway/types.ts';

const utf8 = new TextEncoder();
const text = new TextDecoder();

interface Wire {
  write(bytes: Uint8Array): void;
  end(): void;
}

export class TestClient {
  readonly server: ServerKind;
  #wire!: Wire;
  #framer: Framer;
  #items: Item[] = [];
  #waiters: Array<() => void> = [];
  #closed = false;
  trid = 0;
  readonly received: Item[] = [];

  private constructor(server: ServerKind, version: number) {
    this.server = server;
    this.#framer = new Framer({ direction: 'server', server, version });
  }

  static async tcp(port: number, server: ServerKind, version = 8): Promise<TestClient> {
    const client = new TestClient(server, version);
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => client.#receive(new Uint8Array(chunk)));
    socket.on('close', () => client.#onClose());
    client.#wire = { write: (b) => socket.write(b), end: () => socket.end() };
    return client;
  }

  static inProcess(connect: InProcessConnect, server: ServerKind, version = 8): TestClient {
    const client = new TestClient(server, version);
    const conn: InProcessConnection = connect({ server, host: '127.0.0.1', port: server === 'NS' ? 1863 : 1864 });
    conn.onData((bytes) => client.#receive(bytes));
    conn.onEnd(() => client.#onClose());
    client.#wire = { write: (b) => conn.write(b), end: () => conn.end() };
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  setVersion(v: number): void {
    this.#framer.setVersion(v);
  }

  /** Writes raw bytes or text as is. */
  raw(data: string | Uint8Array): void {
    this.#wire.write(typeof data === 'string' ? utf8.encode(data) : data);
  }

  /** Sends `VERB trid args [len]\r\n[payload]` with the next TrID; returns the TrID. */
  cmd(verb: string, args = '', payload?: string | Uint8Array): number {
    const trid = ++this.trid;
    this.line(`${verb} ${trid}${args ? ' ' + args : ''}`, payload);
    return trid;
  }

  /** Sends a line (no TrID added) with an optional payload, appending its byte length. */
  line(line: string, payload?: string | Uint8Array): void {
    if (payload === undefined) {
      this.raw(line + '\r\n');
      return;
    }
    const body = typeof payload === 'string' ? utf8.encode(payload) : payload;
    const head = utf8.encode(`${line} ${body.length}\r\n`);
    const out = new Uint8Array(head.length + body.length);
    out.set(head);
    out.set(body, head.length);
    this.raw(out);
  }

  end(): void {
    this.#wire.end();
  }

  /** The next command the server sent (skipping nothing); rejects on timeout or close. */
  async next(timeoutMs = 2000): Promise<CommandItem> {
    const item = await this.#nextItem(timeoutMs);
    if (item.kind !== 'command') throw new Error(`malformed server output: ${item.reason}`);
    return item;
  }

  /** Waits for a command matching `verb` (and TrID), discarding others before it. */
  async waitFor(verb: string, trid?: number | null, timeoutMs = 2000): Promise<CommandItem> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const cmd = await this.next(Math.max(1, deadline - Date.now()));
      if (cmd.verb === verb && (trid === undefined || cmd.trid === trid)) return cmd;
    }
  }

  /** Collects commands until nothing arrives for `quietMs`. */
  async drain(quietMs = 60): Promise<CommandItem[]> {
    const out: CommandItem[] = [];
    for (;;) {
      try {
        out.push(await this.next(quietMs));
      } catch {
        return out;
      }
    }
  }

  /** Resolves once the server has closed the connection. */
  async waitClosed(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  #receive(bytes: Uint8Array): void {
    for (const item of this.#framer.push(bytes)) {
      if (item.kind === 'command' && item.verb === 'VER' && /^MSNP\d+$/.test(item.args[1] ?? '')) {
        this.#framer.setVersion(Number(item.args[1].slice(4)));
      }
      this.#items.push(item);
      this.received.push(item);
    }
    this.#wake();
  }

  #onClose(): void {
    this.#closed = true;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  async #nextItem(timeoutMs: number): Promise<Item> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) return item;
      if (this.#closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no server command within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** The command line as text plus the payload as text, for compact assertions. */
export function show(cmd: CommandItem): string {
  return cmd.payload === null ? cmd.line : `${cmd.line}\n${text.decode(cmd.payload)}`;
}
