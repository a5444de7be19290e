// The gateway.dll service on node:http: routes each request to a session, answers errors with
// clear statuses, and writes every response head itself (see http-head.ts for why).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { Allowlist } from '../relay/allowlist.ts';
import { CommandWatch } from '../relay/command-watch.ts';
import { defaultDecoderFactory } from '../relay/decoder.ts';
import { openInProcessLink } from '../relay/in-process-link.ts';
import { routeOpen } from '../relay/route.ts';
import { SwitchboardDirectory } from '../relay/sb-directory.ts';
import { openTcpLink } from '../relay/tcp-link.ts';
import type { UpstreamLink } from '../relay/types.ts';
import { toBindError } from './bind-error.ts';
import { readBody } from './body.ts';
import { EventHub, now } from './events.ts';
import { newExchange, type Exchange, type ReplyMode } from './exchange.ts';
import { clientAddressOf, errorHead, localGwIp, okHead, rawRequestHead, serializeHead, type ResponseHead } from './http-head.ts';
import { resolveOptions, type ResolvedOptions } from './options.ts';
import { parseGatewayQuery, parseTarget, type GatewayRequest } from './query.ts';
import { GatewaySession, type QueuedChunk, type SessionDeps } from './session.ts';
import { majorOf, newMajor } from './session-id.ts';
import type { Gateway, GatewayOptions } from './types.ts';

/** What an error answer needs to know about its request. */
interface RequestRef {
  id: number;
  req: IncomingMessage;
  res: ServerResponse;
  received: number;
  forwarded?: number | null;
  firstUpstreamByte?: number | null;
}

const EMPTY = new Uint8Array(0);
const SMALL_BODY = 16 * 1024;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
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

  const deps: SessionDeps = {
    hub,
    config: opts,
    respond: (session, ex, chunks, close) => respondOk(session, ex, chunks, close),
    reject: (session, ex, status, reason) => {
      writeHead(ex, errorHead(status, keepAliveOf(ex.res)), EMPTY, session.id, reason);
    },
    remove: (session) => {
      if (sessions.get(session.id) === session) sessions.delete(session.id);
    },
    learn: (address, cookie) => directory.learn(address, cookie),
    interceptor: options.interceptor ?? null,
  };

  function keepAliveOf(res: ServerResponse): boolean {
    return res.shouldKeepAlive !== false;
  }

  function emitRequest(ref: RequestRef, sessionId: string | null, kind: Exchange['kind'], body: Uint8Array): void {
    if (!hub.active) return;
    const { address, port } = clientAddressOf(ref.req);
    hub.emit({
      type: 'http-request',
      exchangeId: ref.id,
      sessionId,
      kind,
      method: ref.req.method ?? '',
      target: ref.req.url ?? '',
      clientAddress: address,
      clientPort: port,
      head: rawRequestHead(ref.req),
      body,
    });
  }

  /** Writes a response; false when the client is already gone (nothing written). */
  function writeHead(ref: RequestRef, head: ResponseHead, body: Uint8Array, sessionId: string | null, reason?: string): boolean {
    const res = ref.res;
    if (res.headersSent || res.destroyed || res.socket?.destroyed || res.socket?.writableEnded) return false;
    res.writeHead(head.status, head.reason, head.headers);
    // Without a chunk, Node sends the head alone in one write (an empty chunk costs a second one).
    // A small body goes as a latin1 string (byte for byte the same bytes): Node then joins it to
    // the head and writes once, instead of queueing both for a writev.
    if (body.length === 0) res.end();
    else if (body.length <= SMALL_BODY) res.end(latin1(body), 'latin1');
    else res.end(body);
    if (hub.active) {
      const headBytes = Buffer.from(serializeHead(head), 'latin1');
      const timings = { received: ref.received, forwarded: ref.forwarded ?? null, firstUpstreamByte: ref.firstUpstreamByte ?? null, answered: now() };
      // Two literals rather than a spread: same fields in the same order, no temporary object.
      hub.emit(
        reason
          ? { type: 'http-response', exchangeId: ref.id, sessionId, status: head.status, head: headBytes, body, reason, timings }
          : { type: 'http-response', exchangeId: ref.id, sessionId, status: head.status, head: headBytes, body, timings },
      );
    }
    return true;
  }

  function respondOk(session: GatewaySession, ex: Exchange, chunks: QueuedChunk[], close: boolean): boolean {
    if (ex.res.headersSent || ex.res.destroyed || ex.res.socket?.destroyed || ex.res.socket?.writableEnded) return false;
    const body = concat(chunks);
    const gatewaySessionId = session.ids.issue();
    hub.emit({ type: 'session-id-issued', sessionId: session.id, gatewaySessionId });
    // Server bytes are reported as delivered, by the response that carried them.
    // Injected bytes were reported when injected; wire and edited runs are reported here.
    let offset = 0;
    let runStart = -1;
    let runEdited = false;
    for (const c of chunks) {
      const edited = c.edited === true;
      if (c.injected || (runStart >= 0 && edited !== runEdited)) {
        if (runStart >= 0) emitServerBytes(session.id, ex.id, body.subarray(runStart, offset), runEdited);
        runStart = -1;
      }
      if (!c.injected && runStart < 0) {
        runStart = offset;
        runEdited = edited;
      }
      offset += c.bytes.length;
    }
    if (runStart >= 0) emitServerBytes(session.id, ex.id, body.subarray(runStart, offset), runEdited);
    const head = okHead({ sessionId: gatewaySessionId, gwIp: ex.gwIp, close, contentLength: body.length, keepAlive: keepAliveOf(ex.res) });
    return writeHead(ex, head, body, session.id);
  }

  function emitServerBytes(sessionId: string, exchangeId: number, bytes: Uint8Array, edited: boolean): void {
    if (bytes.length === 0) return;
    hub.emit(edited ? { type: 'bytes', sessionId, direction: 'server', exchangeId, bytes, origin: 'edited' } : { type: 'bytes', sessionId, direction: 'server', exchangeId, bytes });
  }

  /** Answers an error after draining the body (so keep-alive survives), with a notice if asked. */
  function refuse(ref: RequestRef, status: number, reason: string, sessionId: string | null, notice?: { code: string; severity?: 'info' | 'warning' | 'error' }, extra: string[] = []): void {
    readBody(ref.req, opts.maxBodyBytes, (r) => {
      if (!r.ok) {
        if (r.tooLarge) tooLarge(ref, sessionId);
        return;
      }
      emitRequest(ref, sessionId, 'rejected', r.body);
      if (notice) hub.notice(sessionId, notice.severity ?? 'warning', notice.code, reason);
      writeHead(ref, errorHead(status, keepAliveOf(ref.res), extra), EMPTY, sessionId, reason);
    });
  }

  function tooLarge(ref: RequestRef, sessionId: string | null): void {
    const reason = `request body larger than ${opts.maxBodyBytes} bytes`;
    emitRequest(ref, sessionId, 'rejected', EMPTY);
    hub.notice(sessionId, 'warning', 'limit-body', reason);
    // The rest of the body is not read, so this connection cannot carry another request.
    if (writeHead(ref, errorHead(413, false), EMPTY, sessionId, reason)) {
      ref.res.once('finish', () => ref.req.socket.destroySoon?.());
    }
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    res.sendDate = false;
    const ref: RequestRef = { id: ++exchangeSeq, req, res, received: now() };
    try {
      route(ref);
    } catch (err) {
      // A bug must cost one request, never the process.
      hub.notice(null, 'error', 'internal-error', err instanceof Error ? err.message : String(err));
      if (!res.headersSent) writeHead(ref, errorHead(500, false), EMPTY, null, 'internal error');
    }
  }

  function route(ref: RequestRef): void {
    const method = ref.req.method ?? '';
    const target = parseTarget(ref.req.url ?? '');
    if (!target) return refuse(ref, 400, 'unparseable request target', null, { code: 'bad-request' });
    if (!target.isGateway) return refuse(ref, 404, `no such path ${target.pathname}`, null);
    if (method !== 'POST' && !(lenient && method === 'GET')) {
      return refuse(ref, 405, `method ${method} not allowed`, null, { code: 'bad-method' }, ['Allow', lenient ? 'POST, GET' : 'POST']);
    }
    const q = parseGatewayQuery(target.search);
    if (!q.ok) return refuse(ref, 400, q.reason, null, { code: 'bad-query' });
    if (q.request.action === 'open') return handleOpen(ref, q.request);
    handleSessionRequest(ref, q.request);
  }

  function handleOpen(ref: RequestRef, request: Extract<GatewayRequest, { action: 'open' }>): void {
    readBody(ref.req, opts.maxBodyBytes, (r) => {
      if (!r.ok) {
        if (r.tooLarge) tooLarge(ref, null);
        return;
      }
      const body = r.body;
      if (sessions.size >= opts.maxSessions) {
        emitRequest(ref, null, 'rejected', body);
        const reason = `session limit reached (${opts.maxSessions})`;
        hub.notice(null, 'warning', 'limit-sessions', reason);
        writeHead(ref, errorHead(503, keepAliveOf(ref.res)), EMPTY, null, reason);
        return;
      }
      const watch = new CommandWatch(request.server, opts.decoderFactory ?? defaultDecoderFactory);
      const scan = body.length > 0 ? watch.client(body) : null;
      const routed = routeOpen(
        { server: request.server, requestedIp: request.ip, cookie: scan?.loginCookie ?? null },
        { upstream: opts.upstream, directory, allowlist, defaultSbPort: opts.defaultSbPort },
      );
      if (!routed.ok) {
        emitRequest(ref, null, 'rejected', body);
        const reason = `refused to relay ${request.server} open to ${routed.target || '(nothing)'}: ${routed.reason}`;
        hub.notice(null, 'warning', 'relay-refused', reason);
        writeHead(ref, errorHead(403, keepAliveOf(ref.res)), EMPTY, null, reason);
        return;
      }
      const t = routed.target;
      const session = new GatewaySession(newMajor((id) => sessions.has(id)), request.server, watch, deps);
      sessions.set(session.id, session);
      const client = clientAddressOf(ref.req);
      hub.emit({
        type: 'session-opened',
        sessionId: session.id,
        server: request.server,
        requestedIp: request.ip,
        clientAddress: client.address,
        clientPort: client.port,
        upstream: { host: t.host, port: t.port, kind: t.kind },
      });
      emitRequest(ref, session.id, 'open', body);
      const handlers = session.linkHandlers();
      let link: UpstreamLink;
      if (opts.upstream.kind === 'emulator') link = openInProcessLink(opts.upstream.connect, { server: t.server, host: t.host, port: t.port }, handlers);
      else link = openTcpLink(t.host, t.port, opts.connectTimeoutMs, handlers);
      session.attach(link);
      const ex = exchangeFor(ref, session, 'open', 'poll', 0);
      ex.scan = scan;
      session.arrive(ex);
      session.bodyReady(ex, body);
      watchClose(ex, session);
    });
  }

  function handleSessionRequest(ref: RequestRef, request: Exclude<GatewayRequest, { action: 'open' }>): void {
    const major = majorOf(request.sessionId);
    const session = major ? sessions.get(major) : undefined;
    if (!session || !session.ids.accepts(request.sessionId)) {
      return refuse(ref, 400, 'unknown or expired SessionID', null, { code: 'unknown-session', severity: 'info' });
    }
    if (!lenient && session.outstanding() > 0) {
      return refuse(ref, 400, 'overlapping request: another request of this session is still outstanding', session.id, { code: 'overlap-rejected' });
    }
    let ex: Exchange;
    if (request.action === 'close') ex = exchangeFor(ref, session, 'close', 'close', 0);
    else if (request.action === 'send') ex = exchangeFor(ref, session, 'send', 'poll', 0);
    else {
      const lifespanS = Math.min(request.lifespanS ?? 0, opts.maxLifespanS);
      ex = lifespanS > 0 ? exchangeFor(ref, session, 'long-poll', 'long', lifespanS * 1000) : exchangeFor(ref, session, 'poll', 'poll', 0);
    }
    session.arrive(ex);
    readBody(ref.req, opts.maxBodyBytes, (r) => {
      if (!r.ok) {
        session.bodyFailed(ex);
        if (r.tooLarge) tooLarge(ex, session.id);
        return;
      }
      emitRequest(ex, session.id, ex.kind, r.body);
      session.bodyReady(ex, r.body);
    });
    watchClose(ex, session);
  }

  /**
   * A request still unanswered when its handler returns waits (a body to come, a timer, data): if
   * its client goes away first, the session must let go of it. Most polls are answered before
   * this point and need no listener.
   */
  function watchClose(ex: Exchange, session: GatewaySession): void {
    if (ex.done) return;
    if (ex.res.destroyed) {
      session.abandon(ex);
      return;
    }
    ex.res.on('close', () => {
      if (!ex.done) session.abandon(ex);
    });
  }

  function exchangeFor(ref: RequestRef, session: GatewaySession, kind: Exchange['kind'], mode: ReplyMode, lifespanMs: number): Exchange {
    return newExchange({ id: ref.id, kind, req: ref.req, res: ref.res, gwIp: opts.gwIp ?? localGwIp(ref.req), received: ref.received, mode, lifespanMs });
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

function concat(chunks: QueuedChunk[]): Uint8Array {
  if (chunks.length === 0) return EMPTY;
  if (chunks.length === 1) return chunks[0].bytes;
  let total = 0;
  for (const c of chunks) total += c.bytes.length;
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c.bytes, o);
    o += c.bytes.length;
  }
  return out;
}
