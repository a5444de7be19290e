// The gateway.dll service on node:http: the server and its connection-level refusals, the
// session table and its reaper, and the public Gateway API. Requests are routed in routing.ts
// and answered in response.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { Allowlist } from '../relay/allowlist.ts';
import { SwitchboardDirectory } from '../relay/sb-directory.ts';
import { toBindError } from './bind-error.ts';
import { EventHub, now } from './events.ts';
import { errorHead, serializeHead } from './http-head.ts';
import { resolveOptions, type ResolvedOptions } from './options.ts';
import { EMPTY, keepAliveOf, respondOk, writeHead, type RequestRef } from './response.ts';
import { route, type GatewayContext } from './routing.ts';
import type { GatewaySession, SessionDeps } from './session.ts';
import type { Gateway, GatewayOptions } from './types.ts';

const LISTEN_BACKLOG = 4096;

export function createGateway(options: GatewayOptions): Gateway {
  const opts: ResolvedOptions = resolveOptions(options);
  const hub = new EventHub();
  const allowlist = new Allowlist(opts.allowlist);
  const directory = new SwitchboardDirectory();
  const sessions = new Map<string, GatewaySession>();
  let exchangeSeq = 0;
  let reaper: NodeJS.Timeout | null = null;
  const lenient = opts.profile === 'lenient';

  const deps: SessionDeps = {
    hub,
    config: opts,
    respond: (session, ex, chunks, close) => respondOk(hub, session, ex, chunks, close),
    reject: (session, ex, status, reason) => {
      writeHead(hub, ex, errorHead(status, keepAliveOf(ex.res)), EMPTY, session.id, reason);
    },
    remove: (session) => {
      if (sessions.get(session.id) === session) sessions.delete(session.id);
    },
    learn: (address, cookie) => directory.learn(address, cookie),
    interceptor: options.interceptor ?? null,
  };
  const gw: GatewayContext = { opts, hub, allowlist, directory, sessions, deps, lenient };

  const server = createServer(
    {
      keepAliveTimeout: Math.max(opts.idleTimeoutMs, 5000),
      requireHostHeader: false,
      // A slowloris client cannot hold a socket for long: headers within 10 s, a whole request
      // within 30 s (bodies are at most maxBodyBytes).
      headersTimeout: 10_000,
      requestTimeout: 30_000,
    },
    onRequest,
  );
  // Node would write its own `100 Continue` at once, even into the middle of a response still
  // queued for a pipelined request on the same socket; continue only when this one is current.
  server.on('checkContinue', (req, res) => {
    const current = (req.socket as unknown as { _httpMessage?: unknown })._httpMessage;
    if (!current || current === res) res.writeContinue();
    onRequest(req, res);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // A client hanging up is routine; only real parse failures are worth a notice and a 400.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    hub.notice(null, 'warning', 'http-parse-error', `unparseable HTTP from a client: ${err.code ?? err.message}`);
    endAfterInFlight(socket, serializeHead(errorHead(400, false)));
  });
  // Without a listener Node destroys the socket on CONNECT, and with it the answer still owed to
  // a request pipelined before it (found by `npm run fuzz`). The gateway is no proxy: 405.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    hub.notice(null, 'warning', 'bad-method', `method CONNECT not allowed (${String(req.url).slice(0, 80)})`);
    endAfterInFlight(socket, serializeHead(errorHead(405, false, ['Allow', lenient ? 'POST, GET' : 'POST'])));
  });

  /** Ends a connection with `head`, after the answer to a whole request pipelined before it. */
  function endAfterInFlight(socket: Duplex, head: string): void {
    const refuse = () => {
      if (socket.writable) socket.end(head);
      else socket.destroy();
    };
    // The earlier request's answer goes first, so no server bytes it carries are lost or
    // reordered; only then does the connection get its refusal.
    const inFlight = (socket as unknown as { _httpMessage?: ServerResponse | null })._httpMessage;
    // Only a request that arrived whole can still be answered; the garbage may be its own body.
    if (inFlight && !inFlight.writableFinished && inFlight.req.complete) {
      inFlight.once('finish', refuse);
      inFlight.once('close', refuse);
      return;
    }
    refuse();
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    res.sendDate = false;
    const ref: RequestRef = { id: ++exchangeSeq, req, res, received: now() };
    try {
      route(gw, ref);
    } catch (err) {
      // A bug must cost one request, never the process.
      hub.notice(null, 'error', 'internal-error', err instanceof Error ? err.message : String(err));
      if (!res.headersSent) writeHead(hub, ref, errorHead(500, false), EMPTY, null, 'internal error');
    }
  }

  function reap(): void {
    const t = now();
    for (const session of [...sessions.values()]) {
      if (session.outstanding() === 0 && t - session.lastActivity >= opts.idleTimeoutMs) {
        session.close('idle-timeout', `no request for ${opts.idleTimeoutMs} ms`);
      }
    }
  }

  return {
    listen() {
      return new Promise((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException): void => reject(toBindError(err, opts.host, opts.port));
        server.once('error', onError);
        // Node's default accept backlog (511) overflows when thousands of clients connect while a
        // GC pause or a burst holds the loop: the kernel then drops their handshakes and they see
        // resets. The kernel caps this at net.core.somaxconn.
        server.listen({ port: opts.port, host: opts.host, backlog: LISTEN_BACKLOG }, () => {
          server.off('error', onError);
          server.on('error', (err) => hub.notice(null, 'error', 'server-error', err.message));
          const tick = Math.min(Math.max(Math.floor(opts.idleTimeoutMs / 4), 10), 5000);
          reaper = setInterval(reap, tick);
          reaper.unref();
          const a = server.address() as AddressInfo;
          resolve({ host: a.address, port: a.port });
        });
      });
    },
    close() {
      if (reaper) clearInterval(reaper);
      reaper = null;
      for (const s of [...sessions.values()]) s.close('gateway-shutdown');
      return new Promise<void>((resolve) => {
        if (!server.listening) {
          server.closeAllConnections();
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeIdleConnections();
        // Responses written just above get a moment to flush before sockets are cut.
        setImmediate(() => server.closeAllConnections());
      });
    },
    onEvent(listener: (event: GatewayEvent) => void) {
      return hub.subscribe(listener);
    },
    injectToClient(sessionId, bytes) {
      const s = sessions.get(sessionId);
      if (!s || !s.isLive) return false;
      hub.emit({ type: 'bytes', sessionId, direction: 'server', exchangeId: null, bytes, origin: 'injected' });
      s.injectToClient(bytes);
      return true;
    },
    injectToServer(sessionId, bytes) {
      const s = sessions.get(sessionId);
      if (!s || !s.isLive) return false;
      if (!s.injectToServer(bytes)) return false;
      hub.emit({ type: 'bytes', sessionId, direction: 'client', exchangeId: null, bytes, origin: 'injected' });
      return true;
    },
    sessionCount() {
      return sessions.size;
    },
  };
}
