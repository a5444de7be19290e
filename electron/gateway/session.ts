// One gateway session: the upstream link, the queue of server bytes waiting for a response, and
// the requests waiting for an answer, in arrival order until Session=close. Reply timing is in
// reply-timing.ts, the upstream side in session-upstream.ts, the HTTP glue in gateway.ts.
import type { SessionCloseReason } from '../../shared/api/gateway-events.ts';
import type { CommandWatch } from '../relay/command-watch.ts';
import type { LinkHandlers, UpstreamLink } from '../relay/types.ts';
import type { EventHub } from './events.ts';
import { now } from './events.ts';
import type { Exchange } from './exchange.ts';
import { InterceptLane } from './intercept-lane.ts';
import { answer, armRestOfQuiet, claimer, clearTimer, enqueue, schedule, wakeWaiters } from './reply-timing.ts';
import { IssuedIds } from './session-id.ts';
import { clearStall, forward, linkHandlers, writeUpstream } from './session-upstream.ts';
import type { CommandInterceptor } from './types.ts';

export interface QueuedChunk {
  bytes: Uint8Array;
  injected: boolean;
  /** Changed by the user at a breakpoint. */
  edited?: boolean;
}

export interface SessionConfig {
  profile: 'faithful' | 'lenient';
  quietMs: number;
  replyCapMs: number;
  maxQueuedBytes: number;
  stallTimeoutMs: number;
}

export interface SessionDeps {
  hub: EventHub;
  config: SessionConfig;
  /** Writes the 200 for `ex` carrying `chunks`; false when the client is gone (nothing sent). */
  respond(session: GatewaySession, ex: Exchange, chunks: QueuedChunk[], close: boolean): boolean;
  /** Writes an error status for `ex` (e.g. the faithful PNG rejection). */
  reject(session: GatewaySession, ex: Exchange, status: number, reason: string): void;
  /** Takes the session out of the table. */
  remove(session: GatewaySession): void;
  /** An NS announced a switchboard (XFR SB / RNG) in bytes this session relayed. */
  learn(address: { host: string; port: number }, cookie: string | null): void;
  /** Breakpoints: when set, commands are offered to it before they are relayed. */
  interceptor: CommandInterceptor | null;
}

type State = 'live' | 'ending' | 'closed';

export class GatewaySession {
  readonly id: string;
  readonly server: 'NS' | 'SB';
  readonly ids: IssuedIds;
  lastActivity = now();

  // Not private: reply-timing.ts and session-upstream.ts work on this state as free functions of
  // the session, so splitting the code by concern adds no object or layer on the request path.
  readonly deps: SessionDeps;
  readonly watch: CommandWatch;
  link: UpstreamLink | null = null;
  state: State = 'live';
  private endReason: SessionCloseReason = 'upstream-closed';
  private endDetail: string | undefined;
  upstreamError: string | null = null;
  clientSentOut = false;
  private closeDelivered = false;

  queue: QueuedChunk[] = [];
  queuedBytes = 0;
  paused = false;
  /** Requests in arrival order whose bodies may still be arriving. */
  private arrivals: Exchange[] = [];
  /** Requests forwarded (or body-less) and waiting for their answer. */
  waiting: Exchange[] = [];
  quietTimer: NodeJS.Timeout | null = null;
  /** When the current quiet window closes, and whether its timer was left unarmed (wakeWaiters). */
  quietEnds = 0;
  quietSkipped = false;
  stallTimer: NodeJS.Timeout | null = null;
  /** Breakpoint lanes, one per direction, when an interceptor is configured. */
  readonly clientLane: InterceptLane | null = null;
  readonly serverLane: InterceptLane | null = null;

  /** One function for every request's timer (the request rides as the timer's argument). */
  readonly onExchangeTimer = (ex: Exchange): void => {
    // The timer has fired: nothing to clear (clearTimeout on it would still unlink it again).
    ex.timer = null;
    answer(this, ex);
  };

  readonly onQuiet = (): void => {
    this.quietTimer = null;
    const c = claimer(this);
    if (c) answer(this, c);
  };

  constructor(id: string, server: 'NS' | 'SB', watch: CommandWatch, deps: SessionDeps) {
    this.id = id;
    this.server = server;
    this.watch = watch;
    this.deps = deps;
    this.ids = new IssuedIds(id);
    if (deps.interceptor && watch.canFrame) {
      this.clientLane = new InterceptLane(id, 'client', deps.interceptor, (bytes, origin, exchangeId) => writeUpstream(this, bytes, origin, exchangeId));
      this.serverLane = new InterceptLane(id, 'server', deps.interceptor, (bytes, origin) => {
        if (this.state === 'closed') return;
        enqueue(this, { bytes, injected: false, edited: origin === 'edited' });
        wakeWaiters(this);
      });
    }
  }

  get isLive(): boolean {
    return this.state === 'live';
  }

  /** Requests received and not yet answered. */
  outstanding(): number {
    return this.arrivals.length + this.waiting.length;
  }

  /** Handlers to give the upstream link; the link is attached right after it is created. */
  linkHandlers(): LinkHandlers {
    return linkHandlers(this);
  }

  attach(link: UpstreamLink): void {
    this.link = link;
  }

  /** Registers a request at head time, so client bytes go upstream in arrival order. */
  arrive(ex: Exchange): void {
    this.lastActivity = now();
    this.arrivals.push(ex);
  }

  bodyReady(ex: Exchange, body: Uint8Array): void {
    ex.body = body;
    this.pump();
  }

  /** The body never completed (client gone, too large): drop the request from the order. */
  bodyFailed(ex: Exchange): void {
    ex.done = true;
    this.arrivals = this.arrivals.filter((e) => e !== ex);
    this.pump();
  }

  /** The client went away before its answer: keep the data queued for the next request. */
  abandon(ex: Exchange): void {
    if (ex.done) return;
    ex.done = true;
    clearTimer(ex);
    this.arrivals = this.arrivals.filter((e) => e !== ex);
    this.waiting = this.waiting.filter((e) => e !== ex);
    armRestOfQuiet(this);
    this.pump();
  }

  injectToClient(bytes: Uint8Array): void {
    enqueue(this, { bytes, injected: true });
    wakeWaiters(this);
  }

  injectToServer(bytes: Uint8Array): boolean {
    if (this.state !== 'live' || !this.link) return false;
    this.link.write(bytes);
    return true;
  }

  /** Client `Action=close`, idle reaping and shutdown all end here. */
  close(reason: SessionCloseReason, detail?: string): void {
    if (this.state === 'closed') return;
    if (this.state === 'live') {
      this.state = 'ending';
      this.endReason = reason;
      this.endDetail = detail;
    }
    this.link?.destroy();
    this.flushEnding();
    if (this.state === 'ending' && this.outstanding() === 0) {
      // Nobody is left to carry Session=close (idle, shutdown): finish now.
      this.finalize();
    }
  }

  private pump(): void {
    while (this.arrivals.length > 0 && this.arrivals[0].body !== null) {
      const ex = this.arrivals.shift()!;
      if (ex.done) continue;
      this.dispatch(ex);
      if (this.state === 'closed') return;
    }
    if (this.state === 'ending' && this.closeDelivered && this.outstanding() === 0) this.finalize();
  }

  private dispatch(ex: Exchange): void {
    const body = ex.body!;
    if (ex.mode === 'close') {
      this.waiting.push(ex);
      this.close('client-close');
      return;
    }
    if (this.state !== 'live') {
      // The session already ended: this request only collects the rest and Session=close.
      this.waiting.push(ex);
      this.flushEnding();
      return;
    }
    if (body.length > 0) {
      const scan = ex.scan ?? this.watch.client(body);
      ex.scan = scan;
      if (scan.png && this.deps.config.profile === 'faithful') {
        this.deps.hub.notice(this.id, 'warning', 'png-over-http', 'client sent PNG over HTTP: answered 400 and closed the session, as the real gateway did (PNG not forwarded)');
        ex.done = true;
        this.deps.reject(this, ex, 400, 'PNG over HTTP ends the session (faithful profile)');
        this.state = 'ending';
        this.endReason = 'png-over-http';
        this.link?.destroy();
        this.finalize();
        return;
      }
      const backlog = this.link?.pendingWrite() ?? 0;
      if (backlog > this.deps.config.maxQueuedBytes) {
        // The upstream stopped reading: refuse more rather than buffer without bound.
        this.deps.hub.notice(this.id, 'warning', 'limit-upstream-write', `the upstream is not reading: ${backlog} bytes already wait to be written to it, so this request (${body.length} bytes) was refused with 503 and not forwarded`);
        ex.done = true;
        this.deps.reject(this, ex, 503, 'upstream not reading');
        return;
      }
      if (scan.out) this.clientSentOut = true;
      ex.mode = 'data';
      // Waiting before forwarding: an in-process upstream may answer synchronously.
      this.waiting.push(ex);
      forward(this, ex, body, scan);
    } else {
      this.waiting.push(ex);
    }
    schedule(this, ex);
  }

  /** Upstream gone: answer everyone waiting now (the first takes the data), all with Session=close. */
  end(reason: SessionCloseReason, detail?: string): void {
    if (this.state !== 'live') return;
    this.state = 'ending';
    this.endReason = reason;
    this.endDetail = detail;
    this.flushEnding();
  }

  private flushEnding(): void {
    if (this.quietTimer) {
      clearTimeout(this.quietTimer);
      this.quietTimer = null;
    }
    const waiters = this.waiting.slice();
    let delivered = false;
    for (const ex of waiters) {
      if (ex.done) continue;
      ex.done = true;
      clearTimer(ex);
      const chunks = this.queue;
      this.queue = [];
      this.queuedBytes = 0;
      this.deps.respond(this, ex, chunks, true);
      delivered = true;
      this.closeDelivered = true;
    }
    this.waiting = [];
    if (delivered && this.arrivals.length === 0) this.finalize();
  }

  finalize(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clientLane?.close();
    this.serverLane?.close();
    if (this.quietTimer) clearTimeout(this.quietTimer);
    clearStall(this);
    for (const ex of [...this.arrivals, ...this.waiting]) {
      clearTimer(ex);
      if (!ex.done) {
        ex.done = true;
        this.deps.reject(this, ex, 400, 'session closed');
      }
    }
    this.arrivals = [];
    this.waiting = [];
    this.link?.destroy();
    // Server bytes no response carried are still reported, so the record is complete.
    for (const c of this.queue) {
      if (!c.injected) this.deps.hub.emit({ type: 'bytes', sessionId: this.id, direction: 'server', exchangeId: null, bytes: c.bytes });
    }
    this.queue = [];
    this.queuedBytes = 0;
    this.deps.remove(this);
    this.deps.hub.emit({ type: 'session-closed', sessionId: this.id, reason: this.endReason, ...(this.endDetail ? { detail: this.endDetail } : {}) });
  }
}
