// The gateway's public face: what a caller (tests, the headless inspector, the desktop shell)
// configures and gets back. Plain Node; never imports `electron`.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';

/** `faithful` behaves like the real service; `lenient` serves clients that break its rules. */
export type GatewayProfile = 'faithful' | 'lenient';

/** Where a session's TCP connection goes. */
export type UpstreamConfig =
  /** An in-process MSNP service (the built-in emulator, or a test double). */
  | { kind: 'emulator'; connect: InProcessConnect }
  /** One real MSNP server for NS opens; SBs go where XFR/RNG said. */
  | { kind: 'tcp'; host: string; port: number }
  /** Connect to what `IP=` names, but only if the allowlist permits it. */
  | { kind: 'passthrough'; defaultPort: number };

/**
 * An in-process upstream: a duplex byte pipe. The relay writes client bytes with `write` and
 * receives server bytes through `onData`; either side may end it.
 */
export interface InProcessConnection {
  write(bytes: Uint8Array): void;
  end(): void;
  onData(listener: (bytes: Uint8Array) => void): void;
  onEnd(listener: () => void): void;
  /** Flow control: the relay pauses reading while a session's output queue is full. */
  pause(): void;
  resume(): void;
}
export type InProcessConnect = (target: { server: 'NS' | 'SB'; host: string; port: number }) => InProcessConnection;

/** What the interceptor decides for a held command. */
export type InterceptDecision = { action: 'forward'; raw: Uint8Array; edited: boolean } | { action: 'drop' };

/**
 * The breakpoint hook: called for every framed command, in order per session and direction.
 * `pass` relays at once; a promise holds the command, and every later byte of that direction
 * waits behind it, until the promise settles (forward, maybe edited, or drop).
 */
export interface CommandInterceptor {
  /**
   * Whether any breakpoint could hold a command now. While false the relay streams bytes as they
   * arrive (no waiting for whole commands); while true it offers each whole command first.
   */
  active?(): boolean;
  intercept(sessionId: string, direction: 'client' | 'server', raw: Uint8Array): 'pass' | Promise<InterceptDecision>;
}

export interface GatewayOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 80; 0 picks an ephemeral port. */
  port?: number;
  profile?: GatewayProfile;
  upstream: UpstreamConfig;
  /** Extra `host:port` (or `host:*`) targets a session may reach, beyond the upstream and learned SBs. */
  allowlist?: string[];
  /** Port to use for an SB host that no relayed XFR/RNG announced. Default 1863. */
  defaultSbPort?: number;
  /** GW-IP value to send; default: the address the client reached the gateway at. */
  gwIp?: string;
  /** Reply timing: answer once upstream data has gone quiet this long (ms). */
  quietMs?: number;
  /** ...or after this cap (ms), whichever first. */
  replyCapMs?: number;
  /** Longest a Lifespan long poll is held (s). */
  maxLifespanS?: number;
  /** Sessions without a request for this long are closed and reaped (ms). */
  idleTimeoutMs?: number;
  /** Largest request body (bytes). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most concurrent sessions. */
  maxSessions?: number;
  /** Most server bytes queued for one session before upstream reading pauses. */
  maxQueuedBytes?: number;
  /** Upstream connect timeout and stall timeout (ms). */
  connectTimeoutMs?: number;
  stallTimeoutMs?: number;
  /** Breakpoints: every command is offered to it before it is relayed (see CommandInterceptor). */
  interceptor?: CommandInterceptor;
}

/** A bind failure, with the cause named and the remedies listed, so a caller can offer another port. */
export interface GatewayBindError extends Error {
  name: 'GatewayBindError';
  code: 'EACCES' | 'EADDRINUSE' | 'EADDRNOTAVAIL' | string;
  host: string;
  port: number;
  remedies: string[];
}

export interface Gateway {
  /** Starts listening; rejects with a GatewayBindError. */
  listen(): Promise<{ host: string; port: number }>;
  /** Stops listening, closes every session and upstream connection. */
  close(): Promise<void>;
  /** Subscribes to every event; returns an unsubscribe function. */
  onEvent(listener: (event: GatewayEvent) => void): () => void;
  /** Queue bytes for the client of a session: they ride on its next response (injection path). */
  injectToClient(sessionId: string, bytes: Uint8Array): boolean;
  /** Write bytes to a session's upstream as if the client had sent them (injection path). */
  injectToServer(sessionId: string, bytes: Uint8Array): boolean;
  /** Live sessions, for status displays. */
  sessionCount(): number;
}
