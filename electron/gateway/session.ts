// One gateway session: the upstream link, the queue of server bytes waiting for a response, and
// the requests waiting for an answer. All reply timing lives here (quiet window, reply cap, long
// poll, Session=close); the HTTP glue lives in gateway.ts.
import type { SessionCloseReason } from '../../shared/api/gateway-events.ts';
import type { ClientScan, CommandWatch } from '../relay/command-watch.ts';
import type { LinkHandlers, UpstreamLink } from '../relay/types.ts';
import type { EventHub } from './events.ts';
import { now } from './events.ts';
import type { Exchange } from './exchange.ts';
import { InterceptLane } from './intercept-lane.ts';
import { IssuedIds } from './session-id.ts';
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

  private readonly deps: SessionDeps;
  private readonly watch: CommandWatch;
  private link: UpstreamLink | null = null;
  private state: State = 'live';
  private endReason: SessionCloseReason = 'upstream-closed';
  private endDetail: string | undefined;
  private upstreamError: string | null = null;
  private clientSentOut = false;
  private closeDelivered = false;

  private queue: QueuedChunk[] = [];
  private queuedBytes = 0;
  private paused = false;
  /** Requests in arrival order whose bodies may still be arriving. */
  private arrivals: Exchange[] = [];
  /** Requests forwarded (or body-less) and waiting for their answer. */
  private waiting: Exchange[] = [];
  private quietTimer: NodeJS.Timeout | null = null;
  /** When the current quiet window closes, and whether its timer was left unarmed (wakeWaiters). */
  private quietEnds = 0;
  private quietSkipped = false;
  private stallTimer: NodeJS.Timeout | null = null;
  /** Breakpoint lanes, one per direction, when an interceptor is configured. */
  private readonly clientLane: InterceptLane | null = null;
  private readonly serverLane: InterceptLane | null = null;

  constructor(id: string, server: 'NS' | 'SB', watch: CommandWatch, deps: SessionDeps) {
    this.id = id;
    this.server = server;
    this.watch = watch;
    this.deps = deps;
    this.ids = new IssuedIds(id);
    if (deps.interceptor && watch.canFrame) {
      this.clientLane = new InterceptLane(id, 'client', deps.interceptor, (bytes, origin, exchangeId) => this.writeUpstream(bytes, origin, exchangeId));
      this.serverLane = new InterceptLane(id, 'server', deps.interceptor, (bytes, origin) => {
        if (this.state === 'closed') return;
        this.enqueue({ bytes, injected: false, edited: origin === 'edited' });
        this.wakeWaiters();
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
    return {
      onConnect: () => {
        if (this.link) this.deps.hub.emit({ type: 'upstream-connected', sessionId: this.id, host: this.link.host, port: this.link.port });
      },
      onData: (bytes) => this.onUpstreamData(bytes),
      onError: (code, message) => {
        this.upstreamError = code;
        this.deps.hub.emit({ type: 'upstream-error', sessionId: this.id, code, message });
      },
      onClose: (byUpstream) => {
        // A command cut off by the close is still relayed, as bytes, like without breakpoints.
        this.serverLane?.end(this.watch.end('server'));
        this.deps.hub.emit({ type: 'upstream-closed', sessionId: this.id, byUpstream });
        this.clearStall();
        if (this.state !== 'live') return;
        if (this.upstreamError) this.end('upstream-error', this.upstreamError);
        else if (byUpstream) this.end(this.clientSentOut ? 'client-out' : 'upstream-closed');
        else this.end('upstream-closed', 'upstream link ended by the gateway');
      },
    };
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
    this.clearTimer(ex);
    this.arrivals = this.arrivals.filter((e) => e !== ex);
    this.waiting = this.waiting.filter((e) => e !== ex);
    this.armRestOfQuiet();
    this.pump();
  }

  injectToClient(bytes: Uint8Array): void {
    this.enqueue({ bytes, injected: true });
    this.wakeWaiters();
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
      this.forward(ex, body, scan);
    } else {
      this.waiting.push(ex);
    }
    this.schedule(ex);
  }

  private forward(ex: Exchange, body: Uint8Array, scan: ClientScan): void {
    ex.forwarded = now();
    if (this.clientLane) this.clientLane.push(body, scan.items, scan.buffered, ex.id);
    else this.writeUpstream(body, 'wire', ex.id);
    const stallMs = this.deps.config.stallTimeoutMs;
    if (scan.expectsReply && stallMs > 0 && !this.stallTimer) {
      this.stallTimer = setTimeout(() => {
        this.stallTimer = null;
        if (this.state !== 'live') return;
        this.upstreamError = 'STALL';
        this.deps.hub.emit({ type: 'upstream-error', sessionId: this.id, code: 'STALL', message: `no upstream data for ${stallMs} ms after client bytes were sent` });
        this.link?.destroy();
        this.end('upstream-error', 'STALL');
      }, stallMs);
      this.stallTimer.unref?.();
    }
  }

  private writeUpstream(bytes: Uint8Array, origin: 'wire' | 'edited', exchangeId: number | null): void {
    if (this.state === 'closed') return;
    this.link?.write(bytes);
    this.deps.hub.emit(
      origin === 'edited'
        ? { type: 'bytes', sessionId: this.id, direction: 'client', exchangeId, bytes, origin: 'edited' }
        : { type: 'bytes', sessionId: this.id, direction: 'client', exchangeId, bytes },
    );
  }

  private schedule(ex: Exchange): void {
    if (ex.done || this.state === 'closed') return;
    const cfg = this.deps.config;
    if (ex.mode === 'poll') {
      this.answer(ex);
    } else if (ex.mode === 'long') {
      if (this.queuedBytes > 0 && !this.hasDataWaiter()) this.answer(ex);
      else ex.timer = setTimeout(this.onExchangeTimer, ex.lifespanMs, ex);
    } else {
      // Commands that get no reply (OUT, `MSG trid U|N`, typing notices) are answered after the
      // quiet window, not held for the whole reply cap: the client is not left waiting for nothing.
      const wait = ex.scan !== null && !ex.scan.expectsReply ? cfg.quietMs : cfg.replyCapMs;
      ex.due = now() + wait;
      ex.timer = setTimeout(this.onExchangeTimer, wait, ex);
    }
  }

  private onUpstreamData(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    this.clearStall();
    const t = now();
    for (const ex of this.waiting) {
      if (ex.firstUpstreamByte === null) ex.firstUpstreamByte = t;
      ex.sawData = true;
    }
    if (this.serverLane) {
      const scan = this.watch.serverScan(bytes);
      this.learnAll(scan.announcements);
      this.serverLane.push(bytes, scan.items, scan.buffered, null);
      return;
    }
    this.learnAll(this.watch.server(bytes));
    this.enqueue({ bytes, injected: false });
    this.wakeWaiters();
  }

  private learnAll(found: { address: { host: string; port: number }; cookie: string | null }[]): void {
    try {
      for (const a of found) this.deps.learn(a.address, a.cookie);
    } catch {
      // Learning is best effort; the bytes are relayed regardless.
    }
  }

  private enqueue(chunk: QueuedChunk): void {
    this.queue.push(chunk);
    this.queuedBytes += chunk.bytes.length;
    if (!this.paused && this.queuedBytes > this.deps.config.maxQueuedBytes && this.link) {
      this.paused = true;
      this.link.pause();
      this.deps.hub.notice(this.id, 'info', 'limit-queue', `more than ${this.deps.config.maxQueuedBytes} server bytes queued: upstream reading paused until the client collects them`);
    }
  }

  /** New data: (re)start the quiet window; when it closes the right waiter is answered. */
  private wakeWaiters(): void {
    if (this.waiting.length === 0 || this.state !== 'live') return;
    if (this.quietTimer) {
      clearTimeout(this.quietTimer);
      this.quietTimer = null;
    }
    const quietMs = this.deps.config.quietMs;
    const t = now();
    this.quietEnds = t + quietMs;
    // A lone data request whose own timer runs out before the quiet window would close takes the
    // data then, and the window would find nobody left: not arming it saves a timer per send.
    // Only if that request goes without the data (abandoned, undeliverable) is the window armed
    // after all, for what is left of it (armRestOfQuiet).
    const only = this.waiting.length === 1 ? this.waiting[0] : null;
    if (only && only.mode === 'data' && only.timer && only.due <= this.quietEnds) {
      this.quietSkipped = true;
      return;
    }
    this.quietSkipped = false;
    this.quietTimer = setTimeout(this.onQuiet, quietMs);
  }

  private armRestOfQuiet(): void {
    if (!this.quietSkipped || this.quietTimer || this.waiting.length === 0 || this.state !== 'live') return;
    this.quietSkipped = false;
    const left = this.quietEnds - now();
    if (left > 0) this.quietTimer = setTimeout(this.onQuiet, left);
  }

  /** One function for every request's timer (the request rides as the timer's argument). */
  private readonly onExchangeTimer = (ex: Exchange): void => {
    // The timer has fired: nothing to clear (clearTimeout on it would still unlink it again).
    ex.timer = null;
    this.answer(ex);
  };

  private readonly onQuiet = (): void => {
    this.quietTimer = null;
    const claimer = this.claimer();
    if (claimer) this.answer(claimer);
  };

  /**
   * Who takes queued data: the oldest data request that saw data after forwarding; a long poll
   * only when no data request is waiting (so BitlBee's concurrent data request gets its reply).
   */
  private claimer(): Exchange | null {
    if (this.queuedBytes === 0) return null;
    let sawDataRequest: Exchange | null = null;
    let dataWaiting = false;
    let longPoll: Exchange | null = null;
    for (const ex of this.waiting) {
      if (ex.mode === 'data') {
        dataWaiting = true;
        if (ex.sawData && !sawDataRequest) sawDataRequest = ex;
      } else if (ex.mode === 'long' && !longPoll) longPoll = ex;
    }
    return sawDataRequest ?? (dataWaiting ? null : longPoll);
  }

  private hasDataWaiter(): boolean {
    return this.waiting.some((e) => e.mode === 'data');
  }

  private answer(ex: Exchange): void {
    if (ex.done) return;
    ex.done = true;
    this.clearTimer(ex);
    const at = this.waiting.indexOf(ex);
    if (at >= 0) this.waiting.splice(at, 1);
    const chunks = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (let i = 0; i < this.waiting.length; i++) this.waiting[i].sawData = false;
    const closing = this.state === 'ending';
    this.lastActivity = now();
    if (!this.deps.respond(this, ex, chunks, closing)) {
      // Undeliverable: the bytes wait for the client's next request.
      this.queue = chunks.concat(this.queue);
      for (const c of chunks) this.queuedBytes += c.bytes.length;
      this.armRestOfQuiet();
      return;
    }
    if (this.paused && this.link) {
      this.paused = false;
      this.link.resume();
    }
    if (closing && this.state === 'ending') this.finalize();
  }

  /** Upstream gone: answer everyone waiting now (the first takes the data), all with Session=close. */
  private end(reason: SessionCloseReason, detail?: string): void {
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
      this.clearTimer(ex);
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

  private finalize(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clientLane?.close();
    this.serverLane?.close();
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.clearStall();
    for (const ex of [...this.arrivals, ...this.waiting]) {
      this.clearTimer(ex);
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

  private clearTimer(ex: Exchange): void {
    if (ex.timer) {
      clearTimeout(ex.timer);
      ex.timer = null;
    }
  }

  private clearStall(): void {
    if (this.stallTimer) {
      clearTimeout(this.stallTimer);
      this.stallTimer = null;
    }
  }
}
