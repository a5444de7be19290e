// The breakpoint hook is part of the gateway's contract (electron/gateway/types.ts); the
// inspector's breakpoint manager implements it.
import type { CommandInterceptor } from '../gateway/types.ts';

export type { CommandInterceptor, InterceptDecision } from '../gateway/types.ts';

/**
 * The gateway is made before the inspector API that holds the breakpoints (the API needs the
 * gateway), so the gateway gets this stand-in, bound to the real manager once it exists.
 */
export function deferredInterceptor(): { hook: CommandInterceptor; bind(target: CommandInterceptor | null): void } {
  let target: CommandInterceptor | null = null;
  return {
    hook: {
      active: () => (target ? (target.active ? target.active() : true) : false),
      intercept: (sessionId, direction, raw) => (target ? target.intercept(sessionId, direction, raw) : 'pass'),
    },
    bind: (t) => {
      target = t;
    },
  };
}
