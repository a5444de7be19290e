// The gateway.dll service on its own HTTP front (http/front.ts): the session table and its reaper,
// the front's refusals as notices, and the public Gateway API. Requests are routed in routing.ts
// and answered in response.ts.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { Allowlist } from '../relay/allowlist.ts';
import { SwitchboardDirectory } from '../relay/sb-directory.ts';
import { toBindError } from './bind-error.ts';
import { EventHub, now } from './events.ts';
import { errorHead, serializeHead } from './http-head.ts';
import { createHttpFront, type FrontRefusal, type HttpRequest, type HttpResponder } from './http/front.ts';
import { resolveOptions, type ResolvedOptions } from './options.ts';
import { EMPTY, keepAliveOf, respondOk, writeHead, type RequestRef } from './response.ts';
import { route, type GatewayContext } from './routing.ts';
import type { GatewaySession, SessionDeps } from './session.ts';
import type { Gateway, GatewayOptions } from './types.ts';

const LISTEN_BACKLOG = 4096;
/** Node's default head limit: a real client's head is under 1 KiB. */
const MAX_HEAD_BYTES = 16 * 1024;
/** Requests read ahead of their answers on one connection (a client pipelining more waits). */
const MAX_PIPELINED = 32;

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

  const front = createHttpFront(
    {
      maxHeadBytes: MAX_HEAD_BYTES,
      maxBodyBytes: opts.maxBodyBytes,
      maxPipelined: MAX_PIPELINED,
      // A slowloris client cannot hold a socket for long: headers within 10 s, a whole request
      // within 30 s (bodies are at most maxBodyBytes).
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: Math.max(opts.idleTimeoutMs, 5000),
    },
    {
      request: onRequest,
      refused(r: FrontRefusal) {
        hub.notice(null, r.code === 'http-timeout' ? 'info' : 'warning', r.code, r.code === 'http-parse-error' ? `unparseable HTTP from a client: ${r.message}` : r.message);
        return serializeHead(errorHead(r.status, false, r.status === 405 ? ['Allow', lenient ? 'POST, GET' : 'POST'] : []));
      },
    },
  );

  function onRequest(req: HttpRequest, res: HttpResponder): void {
    const ref: RequestRef = { id: ++exchangeSeq, req, res, received: now() };
    try {
      route(gw, ref);
    } catch (err) {
      // A bug must cost one request, never the process.
      hub.notice(null, 'error', 'internal-error', err instanceof Error ? err.message : String(err));
      if (!res.sent) writeHead(hub, ref, errorHead(500, false), EMPTY, null, 'internal error');
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
    async listen() {
      // Node's default accept backlog (511) overflows when thousands of clients connect while a
      // GC pause or a burst holds the loop: the kernel then drops their handshakes and they see
      // resets. The kernel caps this at net.core.somaxconn.
      let a;
      try {
        a = await front.listen(opts.port, opts.host, LISTEN_BACKLOG);
      } catch (err) {
        throw toBindError(err as NodeJS.ErrnoException, opts.host, opts.port);
      }
      front.server.on('error', (err) => hub.notice(null, 'error', 'server-error', err.message));
      const tick = Math.min(Math.max(Math.floor(opts.idleTimeoutMs / 4), 10), 5000);
      reaper = setInterval(reap, tick);
      reaper.unref();
      return { host: a.address, port: a.port };
    },
    close() {
      if (reaper) clearInterval(reaper);
      reaper = null;
      for (const s of [...sessions.values()]) s.close('gateway-shutdown');
      return front.close();
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
