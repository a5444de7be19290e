// Sanitising a sequence of gateway events for export. Each session's MSNP streams (the relayed
// `bytes` and, separately, the HTTP bodies that carried them) are framed with the codec, every
// command is redacted (redact-command.ts) and the new bytes are put back into the events: a
// command goes into the event where it started, so chunk sizes change but the stream frames the
// same. HTTP heads lose Passport and cookie header values and get a Content-Length that matches
// their new body.
import { concatBytes } from '../../shared/msnp/bytes.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import type { Direction, Item } from '../../shared/msnp/types.ts';
import { rewriteHeaders } from './http-head.ts';
import { PLACEHOLDER, redactItem } from './redact-command.ts';
import { SessionTable } from './sessions.ts';

export interface RedactOptions {
  /** Keep every secret (an explicit choice; exports redact by default). */
  unredacted?: boolean;
}

/** HTTP headers whose values are credentials (Passport 1.4, cookies). */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'authentication-info', 'cookie', 'set-cookie']);

interface Chunk {
  event: number;
  field: 'bytes' | 'body';
  direction: Direction;
  start: number;
  length: number;
}

interface Stream {
  decoder: ConnectionDecoder;
  chunks: Chunk[];
  offsets: Record<Direction, number>;
  items: Record<Direction, Item[]>;
}


export function redactEvents(events: readonly GatewayEvent[], options: RedactOptions = {}): GatewayEvent[] {
  if (options.unredacted) return events.slice();
  const sessions = SessionTable.of(events);
  const streams = new Map<string, Stream>();
  const streamOf = (key: string, sessionId: string | null): Stream => {
    let s = streams.get(key);
    if (!s) {
      const server = (sessionId && sessions.get(sessionId)?.server) || 'NS';
      s = { decoder: new ConnectionDecoder(server), chunks: [], offsets: { client: 0, server: 0 }, items: { client: [], server: [] } };
      streams.set(key, s);
    }
    return s;
  };
  const feed = (s: Stream, event: number, field: Chunk['field'], direction: Direction, bytes: Uint8Array) => {
    s.chunks.push({ event, field, direction, start: s.offsets[direction], length: bytes.length });
    s.offsets[direction] += bytes.length;
    s.items[direction].push(...s.decoder.push(direction, bytes));
  };

  events.forEach((e, i) => {
    if (e.type === 'bytes') feed(streamOf(`b:${e.sessionId}`, e.sessionId), i, 'bytes', e.direction, e.bytes);
    else if (e.type === 'http-request' || e.type === 'http-response') {
      const key = e.sessionId ? `h:${e.sessionId}` : `x:${e.exchangeId}`;
      feed(streamOf(key, e.sessionId), i, 'body', e.type === 'http-request' ? 'client' : 'server', e.body);
    }
  });

  const replaced = new Map<number, Uint8Array>();
  for (const s of streams.values()) {
    for (const d of ['client', 'server'] as const) s.items[d].push(...s.decoder.end(d));
    const ctx = { server: s.decoder.server };
    const cursor: Record<Direction, number> = { client: 0, server: 0 };
    for (const chunk of s.chunks) {
      const items = s.items[chunk.direction];
      const parts: Uint8Array[] = [];
      const end = chunk.start + chunk.length;
      // Items tile the stream in order; take those that start inside this chunk.
      while (cursor[chunk.direction] < items.length && items[cursor[chunk.direction]].offset < end) {
        parts.push(redactItem(items[cursor[chunk.direction]++], { ...ctx, direction: chunk.direction }));
      }
      replaced.set(chunk.event, concatBytes(parts));
    }
  }

  return events.map((e, i) => {
    const bytes = replaced.get(i);
    if (e.type === 'bytes') return { ...e, bytes: bytes ?? e.bytes };
    if (e.type === 'http-request' || e.type === 'http-response') {
      const body = bytes ?? e.body;
      return { ...e, body, head: redactHead(e.head, body.length - e.body.length) };
    }
    return e;
  });
}

/**
 * Secret header values replaced; Content-Length moved by `bodyDelta` (the body's change in size),
 * so a head that described its body still does and one that did not (a 413) stays as it was.
 */
export function redactHead(head: Uint8Array, bodyDelta: number): Uint8Array {
  return rewriteHeaders(head, (name, value) => {
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower)) return PLACEHOLDER;
    if (lower === 'content-length' && bodyDelta !== 0 && /^\d+$/.test(value)) return String(Number(value) + bodyDelta);
    return undefined;
  });
}
