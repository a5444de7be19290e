// Writing a request's answer, byte-exact (see http-head.ts for why the gateway writes every head
// itself), and the events that record each request and response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventHub } from './events.ts';
import { now } from './events.ts';
import type { Exchange } from './exchange.ts';
import { clientAddressOf, okHead, rawRequestHead, serializeHead, type ResponseHead } from './http-head.ts';
import type { GatewaySession, QueuedChunk } from './session.ts';

/** What an error answer needs to know about its request. */
export interface RequestRef {
  id: number;
  req: IncomingMessage;
  res: ServerResponse;
  received: number;
  forwarded?: number | null;
  firstUpstreamByte?: number | null;
}

export const EMPTY = new Uint8Array(0);
const SMALL_BODY = 16 * 1024;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function keepAliveOf(res: ServerResponse): boolean {
  return res.shouldKeepAlive !== false;
}

export function emitRequest(hub: EventHub, ref: RequestRef, sessionId: string | null, kind: Exchange['kind'], body: Uint8Array): void {
  if (!hub.active) return;
  const { address, port } = clientAddressOf(ref.req);
  hub.emit({
    type: 'http-request',
    exchangeId: ref.id,
    sessionId,
    kind,
    method: ref.req.method ?? '',
    target: ref.req.url ?? '',
    clientAddress: address,
    clientPort: port,
    head: rawRequestHead(ref.req),
    body,
  });
}

/** Writes a response; false when the client is already gone (nothing written). */
export function writeHead(hub: EventHub, ref: RequestRef, head: ResponseHead, body: Uint8Array, sessionId: string | null, reason?: string): boolean {
  const res = ref.res;
  if (res.headersSent || res.destroyed || res.socket?.destroyed || res.socket?.writableEnded) return false;
  res.writeHead(head.status, head.reason, head.headers);
  // Without a chunk, Node sends the head alone in one write (an empty chunk costs a second one).
  // A small body goes as a latin1 string (byte for byte the same bytes): Node then joins it to
  // the head and writes once, instead of queueing both for a writev.
  if (body.length === 0) res.end();
  else if (body.length <= SMALL_BODY) res.end(latin1(body), 'latin1');
  else res.end(body);
  if (hub.active) {
    const headBytes = Buffer.from(serializeHead(head), 'latin1');
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
  if (ex.res.headersSent || ex.res.destroyed || ex.res.socket?.destroyed || ex.res.socket?.writableEnded) return false;
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
