// An upstream served inside this process (the emulator or a test double).
import type { InProcessConnect } from '../gateway/types.ts';
import type { LinkHandlers, UpstreamLink } from './types.ts';

export function openInProcessLink(
  connectFn: InProcessConnect,
  target: { server: 'NS' | 'SB'; host: string; port: number },
  handlers: LinkHandlers,
): UpstreamLink {
  let closed = false;
  let closedByUs = false;
  const close = (byUpstream: boolean): void => {
    if (closed) return;
    closed = true;
    handlers.onClose(byUpstream);
  };

  let conn: ReturnType<InProcessConnect>;
  try {
    conn = connectFn(target);
  } catch (err) {
    // Report asynchronously so callers see the same ordering as with TCP.
    queueMicrotask(() => {
      handlers.onError('ECONNREFUSED', err instanceof Error ? err.message : String(err));
      close(true);
    });
    return inertLink(target);
  }
  conn.onData((bytes) => {
    if (!closed) handlers.onData(bytes);
  });
  conn.onEnd(() => close(!closedByUs));
  queueMicrotask(() => {
    if (!closed) handlers.onConnect();
  });

  return {
    kind: 'emulator',
    host: target.host,
    port: target.port,
    write(bytes) {
      if (!closed) conn.write(bytes);
    },
    // The in-process upstream takes bytes synchronously.
    pendingWrite: () => 0,
    end() {
      if (closed) return;
      closedByUs = true;
      conn.end();
      close(false);
    },
    destroy() {
      if (closed) return;
      closedByUs = true;
      try {
        conn.end();
      } finally {
        close(false);
      }
    },
    pause: () => conn.pause(),
    resume: () => conn.resume(),
  };
}

function inertLink(target: { host: string; port: number }): UpstreamLink {
  const noop = (): void => {};
  return { kind: 'emulator', host: target.host, port: target.port, write: noop, pendingWrite: () => 0, end: noop, destroy: noop, pause: noop, resume: noop };
}
