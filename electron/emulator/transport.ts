// The server's view of one connection, whatever carries it: a TCP socket from the listeners or an
// in-process pipe handed to the gateway (InProcessConnection). Sessions only see `Link`.
import type net from 'node:net';
import type { InProcessConnection } from '../gateway/types.ts';

export interface Link {
  /** For the profile's ClientIP/ClientPort (0 over an in-process pipe, like over the gateway). */
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly closed: boolean;
  send(bytes: Uint8Array): void;
  /** Graceful close: queued bytes are delivered first. */
  close(): void;
  onData(listener: (bytes: Uint8Array) => void): void;
  /** Fires exactly once, whichever side closed. */
  onClose(listener: () => void): void;
}

class Listeners<T extends unknown[]> {
  private list: Array<(...args: T) => void> = [];
  add(fn: (...args: T) => void): void {
    this.list.push(fn);
  }
  emit(...args: T): void {
    for (const fn of [...this.list]) fn(...args);
  }
  get size(): number {
    return this.list.length;
  }
}

/**
 * A pair of ends joined in memory. Delivery is asynchronous (one microtask hop) so neither side
 * re-enters the other's handlers, and ordered. Server output waits while the client is paused;
 * more than `maxQueuedBytes` waiting drops the connection instead of growing without bound.
 */
export function createPipe(maxQueuedBytes: number): { client: InProcessConnection; server: Link } {
  const toClient: Uint8Array[] = [];
  let toClientBytes = 0;
  const toServer: Uint8Array[] = [];
  const clientData = new Listeners<[Uint8Array]>();
  const clientEnd = new Listeners<[]>();
  const serverData = new Listeners<[Uint8Array]>();
  const serverClose = new Listeners<[]>();
  let paused = false;
  let serverClosing = false; // server asked to close; finish delivery then end
  let clientEnded = false;
  let done = false;
  let flushQueued = false;

  const finish = (): void => {
    if (done) return;
    done = true;
    toClient.length = 0;
    toServer.length = 0;
    toClientBytes = 0;
    serverClose.emit();
    clientEnd.emit();
  };

  const flush = (): void => {
    flushQueued = false;
    if (done) return;
    while (toServer.length > 0 && !done) serverData.emit(toServer.shift()!);
    if (clientEnded) {
      finish();
      return;
    }
    while (!paused && toClient.length > 0 && clientData.size > 0 && !done) {
      const chunk = toClient.shift()!;
      toClientBytes -= chunk.length;
      clientData.emit(chunk);
    }
    if (serverClosing && toClient.length === 0) finish();
  };
  const schedule = (): void => {
    if (flushQueued || done) return;
    flushQueued = true;
    queueMicrotask(flush);
  };

  const client: InProcessConnection = {
    write(bytes) {
      if (done || clientEnded) return;
      toServer.push(bytes.slice());
      schedule();
    },
    end() {
      if (done) return;
      clientEnded = true;
      schedule();
    },
    onData(listener) {
      clientData.add(listener);
      schedule();
    },
    onEnd(listener) {
      clientEnd.add(listener);
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      schedule();
    },
  };

  const server: Link = {
    remoteAddress: '127.0.0.1',
    remotePort: 0,
    get closed() {
      return done || serverClosing;
    },
    send(bytes) {
      if (done || serverClosing) return;
      toClient.push(bytes);
      toClientBytes += bytes.length;
      if (toClientBytes > maxQueuedBytes) {
        finish();
        return;
      }
      schedule();
    },
    close() {
      if (done || serverClosing) return;
      serverClosing = true;
      schedule();
    },
    onData(listener) {
      serverData.add(listener);
    },
    onClose(listener) {
      serverClose.add(listener);
    },
  };
  return { client, server };
}

/** Wraps an accepted TCP socket. A reader that falls more than `maxQueuedBytes` behind is dropped. */
export function socketLink(socket: net.Socket, maxQueuedBytes: number): Link {
  const data = new Listeners<[Uint8Array]>();
  const closeListeners = new Listeners<[]>();
  let closed = false;
  const remoteAddress = (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const remotePort = socket.remotePort ?? 0;
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    if (!closed) data.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  });
  // Errors (ECONNRESET, EPIPE) always end in 'close'; nothing else to do with them.
  socket.on('error', () => {});
  socket.on('close', () => {
    if (closed) return;
    closed = true;
    closeListeners.emit();
  });
  return {
    remoteAddress,
    remotePort,
    get closed() {
      return closed || socket.writableEnded;
    },
    send(bytes) {
      if (closed || socket.writableEnded) return;
      if (socket.writableLength + bytes.length > maxQueuedBytes) {
        socket.destroy();
        return;
      }
      socket.write(bytes);
    },
    close() {
      if (closed || socket.writableEnded) return;
      socket.end();
      // A peer that never reads or closes must not keep the socket half-open forever.
      setTimeout(() => socket.destroy(), 5_000).unref();
    },
    onData(listener) {
      data.add(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
    },
  };
}
