// Everything the gateway and relay do is told through these events; the inspector builds its
// model from them alone. Pure TypeScript: bytes are Uint8Array, times are epoch milliseconds
// (fractional, from a monotonic-corrected clock) so ordering within a millisecond survives.
import type { ServerKind } from '../msnp/types.ts';

export type ExchangeKind = 'open' | 'send' | 'poll' | 'long-poll' | 'close' | 'rejected';

export type SessionCloseReason =
  | 'upstream-closed' // the MSNP server closed the TCP connection
  | 'upstream-error' // connect failure, reset or stall
  | 'client-out' // the client sent OUT and the upstream closed after it
  | 'idle-timeout' // no request within the idle timeout
  | 'png-over-http' // faithful profile: PNG ends the session, as the real service did
  | 'client-close' // Action=close
  | 'gateway-shutdown';

interface Base {
  /** Monotonic sequence number across all gateway events of one run. */
  seq: number;
  time: number;
}

export interface SessionOpenedEvent extends Base {
  type: 'session-opened';
  sessionId: string; // the gateway's stable internal id (the SessionID major part)
  server: ServerKind;
  /** The `IP=` value the client asked for, verbatim (may be empty). */
  requestedIp: string;
  clientAddress: string;
  clientPort: number;
  upstream: { host: string; port: number; kind: 'emulator' | 'tcp' };
}

export interface SessionClosedEvent extends Base {
  type: 'session-closed';
  sessionId: string;
  reason: SessionCloseReason;
  detail?: string;
}

export interface SessionIdIssuedEvent extends Base {
  type: 'session-id-issued';
  sessionId: string;
  /** The full `major.minor` value sent in X-MSN-Messenger. */
  gatewaySessionId: string;
}

export interface HttpRequestEvent extends Base {
  type: 'http-request';
  exchangeId: number;
  /** Null when the request named no (or an unknown) session. */
  sessionId: string | null;
  kind: ExchangeKind;
  method: string;
  target: string;
  clientAddress: string;
  clientPort: number;
  /** Request line and headers exactly as received, up to the blank line. */
  head: Uint8Array;
  body: Uint8Array;
}

export interface HttpResponseEvent extends Base {
  type: 'http-response';
  exchangeId: number;
  sessionId: string | null;
  status: number;
  /** Status line and headers exactly as sent. */
  head: Uint8Array;
  body: Uint8Array;
  /** Why a non-200 was sent, in words (e.g. "overlapping request", "unknown SessionID"). */
  reason?: string;
  /** Time the request arrived, forwarded upstream, first upstream byte seen (if any). */
  timings: { received: number; forwarded: number | null; firstUpstreamByte: number | null; answered: number };
}

export interface UpstreamConnectedEvent extends Base {
  type: 'upstream-connected';
  sessionId: string;
  host: string;
  port: number;
}

export interface UpstreamClosedEvent extends Base {
  type: 'upstream-closed';
  sessionId: string;
  /** True when the upstream closed first (not the gateway). */
  byUpstream: boolean;
}

export interface UpstreamErrorEvent extends Base {
  type: 'upstream-error';
  sessionId: string;
  code: string; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, STALL, ...
  message: string;
}

/** Bytes that crossed the relay. `client` = client to server. */
export interface BytesEvent extends Base {
  type: 'bytes';
  sessionId: string;
  direction: 'client' | 'server';
  /** The request that carried them (client) or the response that delivered them (server), when known. */
  exchangeId: number | null;
  bytes: Uint8Array;
  /** Set when the bytes did not come from the peer but from the user (injection, breakpoint edit). */
  origin?: 'injected' | 'edited';
}

/** Something the gateway refused or noticed, for the findings list. */
export interface GatewayNoticeEvent extends Base {
  type: 'notice';
  sessionId: string | null;
  severity: 'info' | 'warning' | 'error';
  code: string; // e.g. 'relay-refused', 'overlap-rejected', 'png-over-http', 'limit-body', 'limit-sessions'
  message: string;
}

export type GatewayEvent =
  | SessionOpenedEvent
  | SessionClosedEvent
  | SessionIdIssuedEvent
  | HttpRequestEvent
  | HttpResponseEvent
  | UpstreamConnectedEvent
  | UpstreamClosedEvent
  | UpstreamErrorEvent
  | BytesEvent
  | GatewayNoticeEvent;

export type GatewayEventType = GatewayEvent['type'];
