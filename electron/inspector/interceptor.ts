// The hook the gateway calls for every framed command before relaying it, in order per direction.
// `pass` relays at once; a promise holds the command (and, in the gateway, every later byte of that
// direction behind it) until the user forwards (maybe edited) or drops it, or the timeout forwards it.
export type InterceptDecision = { action: 'forward'; raw: Uint8Array; edited: boolean } | { action: 'drop' };

export interface CommandInterceptor {
  /** `direction`: 'client' = client to server, 'server' = server to client. `raw`: one whole command. */
  intercept(sessionId: string, direction: 'client' | 'server', raw: Uint8Array): 'pass' | Promise<InterceptDecision>;
}
