// Routes each request: refusals with clear statuses, the open that starts a session and its
// upstream link, and every later request of a session (data, poll, long poll, close).
import type { Allowlist } from '../relay/allowlist.ts';
import { CommandWatch } from '../relay/command-watch.ts';
import { defaultDecoderFactory } from '../relay/decoder.ts';
import { openInProcessLink } from '../relay/in-process-link.ts';
import { routeOpen } from '../relay/route.ts';
import type { SwitchboardDirectory } from '../relay/sb-directory.ts';
import { openTcpLink } from '../relay/tcp-link.ts';
import type { UpstreamLink } from '../relay/types.ts';
import type { EventHub } from './events.ts';
import { newExchange, type Exchange, type ReplyMode } from './exchange.ts';
import { errorHead } from './http-head.ts';
import type { ResolvedOptions } from './options.ts';
import { parseGatewayQuery, parseTarget, type GatewayRequest } from './query.ts';
import { EMPTY, emitRequest, keepAliveOf, writeHead, type RequestRef } from './response.ts';
import { GatewaySession, type SessionDeps } from './session.ts';
import { majorOf, newMajor } from './session-id.ts';

/** One gateway's state, made once by createGateway and passed to every request's handlers. */
export interface GatewayContext {
  readonly opts: ResolvedOptions;
  readonly hub: EventHub;
  readonly allowlist: Allowlist;
  readonly directory: SwitchboardDirectory;
  readonly sessions: Map<string, GatewaySession>;
  readonly deps: SessionDeps;
  readonly lenient: boolean;
}

export function route(gw: GatewayContext, ref: RequestRef): void {
  const method = ref.req.method;
  const target = parseTarget(ref.req.target);
  if (!target) return refuse(gw, ref, 400, 'unparseable request target', null, { code: 'bad-request' });
  if (!target.isGateway) return refuse(gw, ref, 404, `no such path ${target.pathname}`, null);
  if (method !== 'POST' && !(gw.lenient && method === 'GET')) {
    return refuse(gw, ref, 405, `method ${method} not allowed`, null, { code: 'bad-method' }, ['Allow', gw.lenient ? 'POST, GET' : 'POST']);
  }
  const q = parseGatewayQuery(target.search);
  if (!q.ok) return refuse(gw, ref, 400, q.reason, null, { code: 'bad-query' });
  if (q.request.action === 'open') return handleOpen(gw, ref, q.request);
  handleSessionRequest(gw, ref, q.request);
}

/** Answers an error after draining the body (so keep-alive survives), with a notice if asked. */
function refuse(gw: GatewayContext, ref: RequestRef, status: number, reason: string, sessionId: string | null, notice?: { code: string; severity?: 'info' | 'warning' | 'error' }, extra: string[] = []): void {
  ref.req.readBody((r) => {
    if (!r.ok) {
      if (r.tooLarge) tooLarge(gw, ref, sessionId);
      return;
    }
    emitRequest(gw.hub, ref, sessionId, 'rejected', r.body);
    if (notice) gw.hub.notice(sessionId, notice.severity ?? 'warning', notice.code, reason);
    writeHead(gw.hub, ref, errorHead(status, keepAliveOf(ref.res), extra), EMPTY, sessionId, reason);
  });
}

function tooLarge(gw: GatewayContext, ref: RequestRef, sessionId: string | null): void {
  const reason = `request body larger than ${gw.opts.maxBodyBytes} bytes`;
  emitRequest(gw.hub, ref, sessionId, 'rejected', EMPTY);
  gw.hub.notice(sessionId, 'warning', 'limit-body', reason);
  // The rest of the body is not read, so this connection cannot carry another request: the
  // front ends it once this answer is written.
  writeHead(gw.hub, ref, errorHead(413, false), EMPTY, sessionId, reason);
}

function handleOpen(gw: GatewayContext, ref: RequestRef, request: Extract<GatewayRequest, { action: 'open' }>): void {
  const { opts, hub, sessions } = gw;
  ref.req.readBody((r) => {
    if (!r.ok) {
      if (r.tooLarge) tooLarge(gw, ref, null);
      return;
    }
    const body = r.body;
    if (sessions.size >= opts.maxSessions) {
      emitRequest(hub, ref, null, 'rejected', body);
      const reason = `session limit reached (${opts.maxSessions})`;
      hub.notice(null, 'warning', 'limit-sessions', reason);
      writeHead(hub, ref, errorHead(503, keepAliveOf(ref.res)), EMPTY, null, reason);
      return;
    }
    const watch = new CommandWatch(request.server, opts.decoderFactory ?? defaultDecoderFactory);
    const scan = body.length > 0 ? watch.client(body) : null;
    const routed = routeOpen(
      { server: request.server, requestedIp: request.ip, cookie: scan?.loginCookie ?? null },
      { upstream: opts.upstream, directory: gw.directory, allowlist: gw.allowlist, defaultSbPort: opts.defaultSbPort },
    );
    if (!routed.ok) {
      emitRequest(hub, ref, null, 'rejected', body);
      const reason = `refused to relay ${request.server} open to ${routed.target || '(nothing)'}: ${routed.reason}`;
      hub.notice(null, 'warning', 'relay-refused', reason);
      writeHead(hub, ref, errorHead(403, keepAliveOf(ref.res)), EMPTY, null, reason);
      return;
    }
    const t = routed.target;
    const session = new GatewaySession(newMajor((id) => sessions.has(id)), request.server, watch, gw.deps);
    sessions.set(session.id, session);
    hub.emit({
      type: 'session-opened',
      sessionId: session.id,
      server: request.server,
      requestedIp: request.ip,
      clientAddress: ref.req.remoteAddress,
      clientPort: ref.req.remotePort,
      upstream: { host: t.host, port: t.port, kind: t.kind },
    });
    emitRequest(hub, ref, session.id, 'open', body);
    const handlers = session.linkHandlers();
    let link: UpstreamLink;
    if (opts.upstream.kind === 'emulator') link = openInProcessLink(opts.upstream.connect, { server: t.server, host: t.host, port: t.port }, handlers);
    else link = openTcpLink(t.host, t.port, opts.connectTimeoutMs, handlers);
    session.attach(link);
    const ex = exchangeFor(gw, ref, session, 'open', 'poll', 0);
    ex.scan = scan;
    session.arrive(ex);
    session.bodyReady(ex, body);
    watchClose(ex, session);
  });
}

function handleSessionRequest(gw: GatewayContext, ref: RequestRef, request: Exclude<GatewayRequest, { action: 'open' }>): void {
  const major = majorOf(request.sessionId);
  const session = major ? gw.sessions.get(major) : undefined;
  if (!session || !session.ids.accepts(request.sessionId)) {
    return refuse(gw, ref, 400, 'unknown or expired SessionID', null, { code: 'unknown-session', severity: 'info' });
  }
  if (!gw.lenient && session.outstanding() > 0) {
    return refuse(gw, ref, 400, 'overlapping request: another request of this session is still outstanding', session.id, { code: 'overlap-rejected' });
  }
  let ex: Exchange;
  if (request.action === 'close') ex = exchangeFor(gw, ref, session, 'close', 'close', 0);
  else if (request.action === 'send') ex = exchangeFor(gw, ref, session, 'send', 'poll', 0);
  else {
    const lifespanS = Math.min(request.lifespanS ?? 0, gw.opts.maxLifespanS);
    ex = lifespanS > 0 ? exchangeFor(gw, ref, session, 'long-poll', 'long', lifespanS * 1000) : exchangeFor(gw, ref, session, 'poll', 'poll', 0);
  }
  session.arrive(ex);
  ref.req.readBody((r) => {
    if (!r.ok) {
      session.bodyFailed(ex);
      if (r.tooLarge) tooLarge(gw, ex, session.id);
      return;
    }
    emitRequest(gw.hub, ex, session.id, ex.kind, r.body);
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
  ex.res.onAbandon(() => {
    if (!ex.done) session.abandon(ex);
  });
}

function exchangeFor(gw: GatewayContext, ref: RequestRef, session: GatewaySession, kind: Exchange['kind'], mode: ReplyMode, lifespanMs: number): Exchange {
  return newExchange({ id: ref.id, kind, req: ref.req, res: ref.res, gwIp: gw.opts.gwIp ?? ref.req.localAddress, received: ref.received, mode, lifespanMs });
}
