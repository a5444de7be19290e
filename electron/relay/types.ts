// What the gateway needs from one upstream connection, whatever carries it (TCP or in-process).
// Keeping this narrow lets the session logic stay ignorant of sockets.

export interface LinkHandlers {
  onConnect(): void;
  onData(bytes: Uint8Array): void;
  /** `code` is a Node error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...) or our own (STALL). */
  onError(code: string, message: string): void;
  /** Called exactly once. `byUpstream` is false when we ended or destroyed the link ourselves. */
  onClose(byUpstream: boolean): void;
}

export interface UpstreamLink {
  readonly kind: 'emulator' | 'tcp';
  readonly host: string;
  readonly port: number;
  write(bytes: Uint8Array): void;
  /** Bytes written but not yet taken by the upstream (an upstream that stops reading grows it). */
  pendingWrite(): number;
  /** Graceful end (FIN). */
  end(): void;
  /** Immediate teardown, used on errors and shutdown. */
  destroy(): void;
  pause(): void;
  resume(): void;
}

/** Where a session goes, once routing has decided. */
export interface UpstreamTarget {
  kind: 'emulator' | 'tcp';
  server: 'NS' | 'SB';
  host: string;
  port: number;
}
