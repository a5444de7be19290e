// When a session's waiting requests are answered, and which one takes the queued server bytes:
// the quiet window, the reply cap, long polls, and backpressure on the queue. Free functions on
// the session's own state, so the per-request path gains no object and no layer.
import { now } from './events.ts';
import type { Exchange } from './exchange.ts';
import type { GatewaySession, QueuedChunk } from './session.ts';

export function enqueue(s: GatewaySession, chunk: QueuedChunk): void {
  s.queue.push(chunk);
  s.queuedBytes += chunk.bytes.length;
  if (!s.paused && s.queuedBytes > s.deps.config.maxQueuedBytes && s.link) {
    s.paused = true;
    s.link.pause();
    s.deps.hub.notice(s.id, 'info', 'limit-queue', `more than ${s.deps.config.maxQueuedBytes} server bytes queued: upstream reading paused until the client collects them`);
  }
}

export function schedule(s: GatewaySession, ex: Exchange): void {
  if (ex.done || s.state === 'closed') return;
  const cfg = s.deps.config;
  if (ex.mode === 'poll') {
    answer(s, ex);
  } else if (ex.mode === 'long') {
    if (s.queuedBytes > 0 && !hasDataWaiter(s)) answer(s, ex);
    else ex.timer = setTimeout(s.onExchangeTimer, ex.lifespanMs, ex);
  } else {
    // Commands that get no reply (OUT, `MSG trid U|N`, typing notices) are answered after the
    // quiet window, not held for the whole reply cap: the client is not left waiting for nothing.
    const wait = ex.scan !== null && !ex.scan.expectsReply ? cfg.quietMs : cfg.replyCapMs;
    ex.due = now() + wait;
    ex.timer = setTimeout(s.onExchangeTimer, wait, ex);
  }
}

/** New data: (re)start the quiet window; when it closes the right waiter is answered. */
export function wakeWaiters(s: GatewaySession): void {
  if (s.waiting.length === 0 || s.state !== 'live') return;
  if (s.quietTimer) {
    clearTimeout(s.quietTimer);
    s.quietTimer = null;
  }
  const quietMs = s.deps.config.quietMs;
  const t = now();
  s.quietEnds = t + quietMs;
  // A lone data request whose own timer runs out before the quiet window would close takes the
  // data then, and the window would find nobody left: not arming it saves a timer per send.
  // Only if that request goes without the data (abandoned, undeliverable) is the window armed
  // after all, for what is left of it (armRestOfQuiet).
  const only = s.waiting.length === 1 ? s.waiting[0] : null;
  if (only && only.mode === 'data' && only.timer && only.due <= s.quietEnds) {
    s.quietSkipped = true;
    return;
  }
  s.quietSkipped = false;
  s.quietTimer = setTimeout(s.onQuiet, quietMs);
}

export function armRestOfQuiet(s: GatewaySession): void {
  if (!s.quietSkipped || s.quietTimer || s.waiting.length === 0 || s.state !== 'live') return;
  s.quietSkipped = false;
  const left = s.quietEnds - now();
  if (left > 0) s.quietTimer = setTimeout(s.onQuiet, left);
}

/**
 * Who takes queued data: the oldest data request that saw data after forwarding; a long poll
 * only when no data request is waiting (so BitlBee's concurrent data request gets its reply).
 */
export function claimer(s: GatewaySession): Exchange | null {
  if (s.queuedBytes === 0) return null;
  let sawDataRequest: Exchange | null = null;
  let dataWaiting = false;
  let longPoll: Exchange | null = null;
  for (const ex of s.waiting) {
    if (ex.mode === 'data') {
      dataWaiting = true;
      if (ex.sawData && !sawDataRequest) sawDataRequest = ex;
    } else if (ex.mode === 'long' && !longPoll) longPoll = ex;
  }
  return sawDataRequest ?? (dataWaiting ? null : longPoll);
}

function hasDataWaiter(s: GatewaySession): boolean {
  return s.waiting.some((e) => e.mode === 'data');
}

export function answer(s: GatewaySession, ex: Exchange): void {
  if (ex.done) return;
  ex.done = true;
  clearTimer(ex);
  const at = s.waiting.indexOf(ex);
  if (at >= 0) s.waiting.splice(at, 1);
  const chunks = s.queue;
  s.queue = [];
  s.queuedBytes = 0;
  for (let i = 0; i < s.waiting.length; i++) s.waiting[i].sawData = false;
  const closing = s.state === 'ending';
  s.lastActivity = now();
  if (!s.deps.respond(s, ex, chunks, closing)) {
    // Undeliverable: the bytes wait for the client's next request.
    s.queue = chunks.concat(s.queue);
    for (const c of chunks) s.queuedBytes += c.bytes.length;
    armRestOfQuiet(s);
    return;
  }
  if (s.paused && s.link) {
    s.paused = false;
    s.link.resume();
  }
  if (closing && s.state === 'ending') s.finalize();
}

export function clearTimer(ex: Exchange): void {
  if (ex.timer) {
    clearTimeout(ex.timer);
    ex.timer = null;
  }
}
