// A fake MSNP server for gateway tests: a TCP listener on 127.0.0.1:0 (for `kind: 'tcp'` and
// `passthrough` upstreams) or an in-process connect function (for `kind: 'emulator'`), both driven
// by the same per-connection script and recording every byte with timestamps.
import net from 'node:net';
import type { InProcessConnect, InProcessConnection } from '../../electron/gateway/types.ts';
import { waitFor } from './bytes.ts';
import { UpstreamConn, type ConnBehaviour, type ScriptStep, type Transport, type UpstreamHandler } from './upstream-conn.ts';

export { UpstreamConn } from './upstream-conn.ts';
export type { ScriptStep, UpstreamHandler } from './upstream-conn.ts';

export interface ScriptedUpstreamOptions {
  /** One script for every connection, or a choice per connection (by index, target for in-process). */
  script?: ScriptStep[] | ((conn: UpstreamConn) => ScriptStep[] | undefined);
  /** Called with every chunk received after the script (if any) has finished. */
  handler?: UpstreamHandler;
  /** Write every received chunk straight back (after the script, if any). */
  echo?: boolean;
}

interface Registry {
  readonly connections: UpstreamConn[];
  /** Resolves with connection `index` (0-based, in accept order) once it exists. */
  connection(index: number, timeoutMs?: number): Promise<UpstreamConn>;
}

export interface ScriptedUpstream extends Registry {
  host: string;
  port: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

export interface InProcessUpstream extends Registry {
  connect: InProcessConnect;
  /** Ends every open connection. */
  close(): Promise<void>;
}

function behaviourFor(opts: ScriptedUpstreamOptions, conn: UpstreamConn): ConnBehaviour {
  const script = typeof opts.script === 'function' ? opts.script(conn) : opts.script;
  return { script, handler: opts.handler, echo: opts.echo };
}

function makeRegistry(connections: UpstreamConn[]): Registry {
  return {
    connections,
    connection: (index, timeoutMs = 3000) =>
      waitFor(() => connections[index], timeoutMs, `upstream connection #${index}`),
  };
}

export async function startScriptedUpstream(opts: ScriptedUpstreamOptions = {}): Promise<ScriptedUpstream> {
  const connections: UpstreamConn[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const transport: Transport = {
      write: (b) => socket.write(b),
      waitWritable: () =>
        new Promise((resolve) => {
          const done = () => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          socket.on('drain', done);
          socket.on('close', done);
        }),
      end: () => socket.end(),
      reset: () => socket.resetAndDestroy(),
    };
    const conn = new UpstreamConn(connections.length, transport);
    connections.push(conn);
    socket.on('data', (chunk: Buffer) => conn.feed(new Uint8Array(chunk)));
    socket.on('end', () => conn.peerClosed());
    socket.on('error', () => conn.peerClosed());
    socket.on('close', () => {
      sockets.delete(socket);
      conn.peerClosed();
    });
    conn.start(behaviourFor(opts, conn));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    ...makeRegistry(connections),
    host: '127.0.0.1',
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The same fake server behind an InProcessConnection. Server bytes are delivered asynchronously
 * and in order (like a socket), and held while the relay has paused the connection.
 */
export function createInProcessUpstream(opts: ScriptedUpstreamOptions = {}): InProcessUpstream {
  const connections: UpstreamConn[] = [];
  const closers: Array<() => void> = [];
  const connect: InProcessConnect = (target) => {
    const queue: Array<Uint8Array | null> = []; // null = end of stream
    const dataListeners: Array<(b: Uint8Array) => void> = [];
    const endListeners: Array<() => void> = [];
    let paused = false;
    let scheduled = false;
    let ended = false;
    let writableWaiters: Array<() => void> = [];
    const flush = () => {
      scheduled = false;
      while (!paused && queue.length > 0 && dataListeners.length > 0) {
        const item = queue.shift()!;
        if (item === null) {
          for (const l of endListeners) l();
          continue;
        }
        for (const l of dataListeners) l(item);
      }
      if (queue.length === 0) {
        const waiters = writableWaiters;
        writableWaiters = [];
        for (const w of waiters) w();
      }
    };
    const schedule = () => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    };
    const finish = () => {
      if (ended) return;
      ended = true;
      queue.push(null);
      schedule();
    };
    const transport: Transport = {
      write: (b) => {
        if (ended) return false;
        queue.push(b);
        schedule();
        return !paused && queue.length < 64;
      },
      waitWritable: () => new Promise((resolve) => writableWaiters.push(resolve)),
      end: finish,
      // A pipe has no RST: an abrupt end is the closest thing.
      reset: finish,
    };
    const conn = new UpstreamConn(connections.length, transport, { ...target });
    connections.push(conn);
    closers.push(() => conn.end());
    const pipe: InProcessConnection = {
      write: (bytes) => {
        if (conn.isClosed) return;
        // Copy: the relay may reuse its buffer after the call returns.
        const copy = new Uint8Array(bytes);
        setImmediate(() => conn.feed(copy));
      },
      end: () => setImmediate(() => conn.peerClosed()),
      onData: (l) => {
        dataListeners.push(l);
        schedule();
      },
      onEnd: (l) => {
        endListeners.push(l);
      },
      pause: () => {
        paused = true;
      },
      resume: () => {
        paused = false;
        schedule();
      },
    };
    conn.start(behaviourFor(opts, conn));
    return pipe;
  };
  return {
    ...makeRegistry(connections),
    connect,
    close: async () => {
      for (const c of closers) c();
    },
  };
}
