// An upstream over a real TCP connection, with a connect timeout.
import { connect, type Socket } from 'node:net';
import type { LinkHandlers, UpstreamLink } from './types.ts';

export function openTcpLink(host: string, port: number, connectTimeoutMs: number, handlers: LinkHandlers): UpstreamLink {
  const socket: Socket = connect({ host, port });
  socket.setNoDelay(true);
  let closedByUs = false;
  let connected = false;
  let errored = false;

  const connectTimer =
    connectTimeoutMs > 0
      ? setTimeout(() => {
          if (connected) return;
          errored = true;
          handlers.onError('ETIMEDOUT', `connect to ${host}:${port} timed out after ${connectTimeoutMs} ms`);
          socket.destroy();
        }, connectTimeoutMs)
      : null;

  socket.on('connect', () => {
    connected = true;
    if (connectTimer) clearTimeout(connectTimer);
    handlers.onConnect();
  });
  socket.on('data', (chunk: Buffer) => handlers.onData(chunk));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    if (errored || closedByUs) return;
    errored = true;
    handlers.onError(err.code ?? 'ERROR', err.message);
  });
  socket.on('close', () => {
    if (connectTimer) clearTimeout(connectTimer);
    handlers.onClose(!closedByUs);
  });

  return {
    kind: 'tcp',
    host,
    port,
    write(bytes) {
      if (!socket.destroyed) socket.write(bytes);
    },
    pendingWrite: () => socket.writableLength,
    end() {
      closedByUs = true;
      socket.end();
    },
    destroy() {
      closedByUs = true;
      socket.destroy();
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
}
