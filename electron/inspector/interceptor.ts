// The breakpoint hook is part of the gateway's contract (electron/gateway/types.ts); the
// inspector's breakpoint manager implements it.
export type { CommandInterceptor, InterceptDecision } from '../gateway/types.ts';
