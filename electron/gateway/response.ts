// Writing a request's answer, byte-exact (see http-head.ts for why the gateway writes every head
// itself), and the events that record each request and response.
import type { EventHub } from './events.ts';
import { now } from './events.ts';
import type { Exchange } from './exchange.ts';
import { okHead, serializeHead, type ResponseHead } from './http-head.ts';
import type { HttpRequest, HttpResponder } from './http/front.ts';
import type { GatewaySession, QueuedChunk } from './session.ts';

/** What an error answer needs to know about its request. */
export interface RequestRef {
  id: number;
  req: HttpRequest;
  res: HttpResponder;
  received: number;
  forwarded?: number | null;
  firstUpstreamByte?: number | null;
}

export const EMPTY = new Uint8Array(0);

export function keepAliveOf(res: HttpResponder): boolean {
  return res.keepAlive;
}

export function emitRequest(hub: EventHub, ref: RequestRef, sessionId: string | null, kind: Exchange['kind'], body: Uint8Array): void {
  if (!hub.active) return;
  const req = ref.req;
  hub.emit({
    type: 'http-request',
    exchangeId: ref.id,
    sessionId,
    kind,
    method: req.method,
    target: req.target,
    clientAddress: req.remoteAddress,
    clientPort: req.remotePort,
    head: req.head,
    body,
  });
}

/** Writes a response; false when the client is already gone (nothing written). */
export function writeHead(hub: EventHub, ref: RequestRef, head: ResponseHead, body: Uint8Array, sessionId: string | null, reason?: string): boolean {
  const text = serializeHead(head);
  if (!ref.res.send(text, body, head.keepAlive)) return false;
  if (hub.active) {
    const headBytes = Buffer.from(text, 'latin1');
    const timings = { received: ref.received, forwarded: ref.forwarded ?? null, firstUpstreamByte: ref.firstUpstreamByte ?? null, answered: now() };
    // Two literals rather than a spread: same fields in the same order, no temporary object.
    hub.emit(
      reason
        ? { type: 'http-response', exchangeId: ref.id, sessionId, status: head.status, head: headBytes, body, reason, timings }
        : { type: 'http-response', exchangeId: ref.id, sessionId, status: head.status, head: headBytes, body, timings },
    );
  }
  return true;
}

export function respondOk(hub: EventHub, session: GatewaySession, ex: Exchange, chunks: QueuedChunk[], close: boolean): boolean {
  if (ex.res.done) return false;
  const body = concat(chunks);
  const gatewaySessionId = session.ids.issue();
  hub.emit({ type: 'session-id-issued', sessionId: session.id, gatewaySessionId });
  // Server bytes are reported as delivered, by the response that carried them.
  // Injected bytes were reported when injected; wire and edited runs are reported here.
  let offset = 0;
  let runStart = -1;
  let runEdited = false;
  for (const c of chunks) {
    const edited = c.edited === true;
    if (c.injected || (runStart >= 0 && edited !== runEdited)) {
      if (runStart >= 0) emitServerBytes(hub, session.id, ex.id, body.subarray(runStart, offset), runEdited);
      runStart = -1;
    }
    if (!c.injected && runStart < 0) {
      runStart = offset;
      runEdited = edited;
    }
    offset += c.bytes.length;
  }
  if (runStart >= 0) emitServerBytes(hub, session.id, ex.id, body.subarray(runStart, offset), runEdited);
  const head = okHead({ sessionId: gatewaySessionId, gwIp: ex.gwIp, close, contentLength: body.length, keepAlive: keepAliveOf(ex.res) });
  return writeHead(hub, ex, head, body, session.id);
}

function emitServerBytes(hub: EventHub, sessionId: string, exchangeId: number, bytes: Uint8Array, edited: boolean): void {
  if (bytes.length === 0) return;
  hub.emit(edited ? { type: 'bytes', sessionId, direction: 'server', exchangeId, bytes, origin: 'edited' } : { type: 'bytes', sessionId, direction: 'server', exchangeId, bytes });
}

function concat(chunks: QueuedChunk[]): Uint8Array {
  if (chunks.length === 0) return EMPTY;
  if (chunks.length === 1) return chunks[0].bytes;
  let total = 0;
  for (const c of chunks) total += c.bytes.length;
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c.bytes, o);
    o += c.bytes.length;
  }
  return out;
}
