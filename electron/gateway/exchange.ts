// One HTTP request/response pair on a session, from arrival to answer.
import type { ExchangeKind } from '../../shared/api/gateway-events.ts';
import type { ClientScan } from '../relay/command-watch.ts';
import type { HttpRequest, HttpResponder } from './http/front.ts';

/**
 * How the answer is timed: `data` waits for upstream data to go quiet (or the cap), `poll`
 * answers at once, `long` holds until data or the Lifespan, `close` ends the session.
 */
export type ReplyMode = 'data' | 'poll' | 'long' | 'close';

export interface Exchange {
  readonly id: number;
  readonly kind: ExchangeKind;
  readonly req: HttpRequest;
  readonly res: HttpResponder;
  readonly gwIp: string;
  readonly received: number;
  mode: ReplyMode;
  lifespanMs: number;
  /** Null until the whole body has been read. */
  body: Uint8Array | null;
  forwarded: number | null;
  firstUpstreamByte: number | null;
  /** Upstream data arrived while this request waited (reset when another answer took it). */
  sawData: boolean;
  timer: NodeJS.Timeout | null;
  /** When `timer` answers this request (epoch ms), while it is set. */
  due: number;
  done: boolean;
  /** The body's scan when it was already taken (the open, scanned for routing). */
  scan: ClientScan | null;
}

export function newExchange(init: {
  id: number;
  kind: ExchangeKind;
  req: HttpRequest;
  res: HttpResponder;
  gwIp: string;
  received: number;
  mode: ReplyMode;
  lifespanMs?: number;
}): Exchange {
  return {
    id: init.id,
    kind: init.kind,
    req: init.req,
    res: init.res,
    gwIp: init.gwIp,
    received: init.received,
    mode: init.mode,
    lifespanMs: init.lifespanMs ?? 0,
    body: null,
    forwarded: null,
    firstUpstreamByte: null,
    sawData: false,
    timer: null,
    due: 0,
    done: false,
    scan: null,
  };
}
