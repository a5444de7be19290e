// A session's upstream side: the link's events, client bytes going up (with the stall watch),
// server bytes coming down into the queue, and switchboard addresses learned on the way.
import type { ClientScan } from '../relay/command-watch.ts';
import type { LinkHandlers } from '../relay/types.ts';
import { now } from './events.ts';
import type { Exchange } from './exchange.ts';
import { enqueue, wakeWaiters } from './reply-timing.ts';
import type { GatewaySession } from './session.ts';

/** Handlers to give the upstream link; the link is attached right after it is created. */
export function linkHandlers(s: GatewaySession): LinkHandlers {
  return {
    onConnect: () => {
      if (s.link) s.deps.hub.emit({ type: 'upstream-connected', sessionId: s.id, host: s.link.host, port: s.link.port });
    },
    onData: (bytes) => onUpstreamData(s, bytes),
    onError: (code, message) => {
      s.upstreamError = code;
      s.deps.hub.emit({ type: 'upstream-error', sessionId: s.id, code, message });
    },
    onClose: (byUpstream) => {
      // A command cut off by the close is still relayed, as bytes, like without breakpoints.
      s.serverLane?.end(s.watch.end('server'));
      s.deps.hub.emit({ type: 'upstream-closed', sessionId: s.id, byUpstream });
      clearStall(s);
      if (s.state !== 'live') return;
      if (s.upstreamError) s.end('upstream-error', s.upstreamError);
      else if (byUpstream) s.end(s.clientSentOut ? 'client-out' : 'upstream-closed');
      else s.end('upstream-closed', 'upstream link ended by the gateway');
    },
  };
}

export function forward(s: GatewaySession, ex: Exchange, body: Uint8Array, scan: ClientScan): void {
  ex.forwarded = now();
  if (s.clientLane) s.clientLane.push(body, scan.items, scan.buffered, ex.id);
  else writeUpstream(s, body, 'wire', ex.id);
  const stallMs = s.deps.config.stallTimeoutMs;
  if (scan.expectsReply && stallMs > 0 && !s.stallTimer) {
    s.stallTimer = setTimeout(() => {
      s.stallTimer = null;
      if (s.state !== 'live') return;
      s.upstreamError = 'STALL';
      s.deps.hub.emit({ type: 'upstream-error', sessionId: s.id, code: 'STALL', message: `no upstream data for ${stallMs} ms after client bytes were sent` });
      s.link?.destroy();
      s.end('upstream-error', 'STALL');
    }, stallMs);
    s.stallTimer.unref?.();
  }
}

export function writeUpstream(s: GatewaySession, bytes: Uint8Array, origin: 'wire' | 'edited', exchangeId: number | null): void {
  if (s.state === 'closed') return;
  s.link?.write(bytes);
  s.deps.hub.emit(
    origin === 'edited'
      ? { type: 'bytes', sessionId: s.id, direction: 'client', exchangeId, bytes, origin: 'edited' }
      : { type: 'bytes', sessionId: s.id, direction: 'client', exchangeId, bytes },
  );
}

function onUpstreamData(s: GatewaySession, bytes: Uint8Array): void {
  if (s.state === 'closed') return;
  clearStall(s);
  const t = now();
  for (const ex of s.waiting) {
    if (ex.firstUpstreamByte === null) ex.firstUpstreamByte = t;
    ex.sawData = true;
  }
  if (s.serverLane) {
    const scan = s.watch.serverScan(bytes);
    learnAll(s, scan.announcements);
    s.serverLane.push(bytes, scan.items, scan.buffered, null);
    return;
  }
  learnAll(s, s.watch.server(bytes));
  enqueue(s, { bytes, injected: false });
  wakeWaiters(s);
}

function learnAll(s: GatewaySession, found: { address: { host: string; port: number }; cookie: string | null }[]): void {
  try {
    for (const a of found) s.deps.learn(a.address, a.cookie);
  } catch {
    // Learning is best effort; the bytes are relayed regardless.
  }
}

export function clearStall(s: GatewaySession): void {
  if (s.stallTimer) {
    clearTimeout(s.stallTimer);
    s.stallTimer = null;
  }
}
