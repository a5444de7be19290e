// HAR back to gateway events. Our own HARs carry `_msn` fields and `_msnEvents` and come back as
// the exported event sequence; a HAR from another tool (a browser, Fiddler, mitmproxy) gives
// http-request/http-response pairs, with sessions, SessionIDs and relayed bytes inferred from
// the gateway protocol (X-MSN-Messenger, Action=, Server=).
import type { ExchangeKind, GatewayEvent, HttpRequestEvent, HttpResponseEvent } from '../../shared/api/gateway-events.ts';
import { decodeLine } from './format.ts';
import type { HarEntry, HarMsnEntry, HarNameValue } from './har-types.ts';
import { buildHead, type HeaderList } from './http-head.ts';

export class HarImportError extends Error {
  override name = 'HarImportError';
}

export const MAX_HAR_ENTRIES = 1_000_000;

const enc = new TextEncoder();

function fail(message: string): never {
  throw new HarImportError(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function headersOf(list: unknown, where: string): HeaderList {
  if (!Array.isArray(list)) fail(`${where}.headers is not an array`);
  return list.map((h: HarNameValue, i) => {
    if (!isObject(h) || typeof h.name !== 'string' || typeof h.value !== 'string') fail(`${where}.headers[${i}] is not {name, value}`);
    return [h.name, h.value] as [string, string];
  });
}

function bodyOf(text: unknown, base64: boolean): Uint8Array {
  if (typeof text !== 'string') return new Uint8Array(0);
  return base64 ? new Uint8Array(Buffer.from(text, 'base64')) : enc.encode(text);
}

function targetOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function kindOf(target: string, status: number): ExchangeKind {
  const action = /[?&]Action=([^&]*)/i.exec(target)?.[1]?.toLowerCase();
  if (status === 400 || status === 403 || status === 404 || status === 405 || status === 413 || status === 503) return 'rejected';
  if (action === 'open') return 'open';
  if (action === 'close') return 'close';
  if (action === 'poll') return /[?&]Lifespan=[1-9]/i.test(target) ? 'long-poll' : 'poll';
  return 'send';
}

function sessionFromResponse(headers: HeaderList): string | null {
  const x = headers.find(([n]) => n.toLowerCase() === 'x-msn-messenger')?.[1];
  return /SessionID=(\d+)\./.exec(x ?? '')?.[1] ?? null;
}

/** Parses HAR JSON (text or already parsed) into gateway events, in order. */
export function importHar(input: unknown): GatewayEvent[] {
  let har = input;
  if (typeof input === 'string') {
    try {
      har = JSON.parse(input);
    } catch (error) {
      fail(`not JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(har) || !isObject(har.log)) fail('not a HAR file: no "log" object');
  const log = har.log;
  if (typeof log.version !== 'string') fail('not a HAR file: log.version is missing');
  if (!Array.isArray(log.entries)) fail('not a HAR file: log.entries is not an array');
  if (log.entries.length > MAX_HAR_ENTRIES) fail(`HAR has ${log.entries.length} entries; at most ${MAX_HAR_ENTRIES} are imported`);

  const events: GatewayEvent[] = [];
  const ours = Array.isArray(log._msnEvents);
  if (ours) {
    (log._msnEvents as unknown[]).forEach((value, i) => {
      let decoded;
      try {
        decoded = decodeLine(JSON.stringify(value));
      } catch (error) {
        fail(`log._msnEvents[${i}]: ${(error as Error).message}`);
      }
      if (decoded.kind === 'event') events.push(decoded.event);
    });
  }
  let seq = 0;
  const opened = new Set<string>();
  log.entries.forEach((raw: HarEntry, i: number) => {
    const where = `log.entries[${i}]`;
    if (!isObject(raw) || !isObject(raw.request) || !isObject(raw.response)) fail(`${where} lacks a request or response`);
    const { request, response } = raw;
    if (typeof request.method !== 'string' || typeof request.url !== 'string' || typeof request.httpVersion !== 'string') {
      fail(`${where}.request lacks method, url or httpVersion`);
    }
    if (typeof response.status !== 'number') fail(`${where}.response.status is not a number`);
    const msn: Partial<HarMsnEntry> = isObject(raw._msn) ? raw._msn : {};
    const reqHeaders = headersOf(request.headers, `${where}.request`);
    const resHeaders = headersOf(response.headers, `${where}.response`);
    const target = typeof msn.target === 'string' ? msn.target : targetOf(request.url);
    const started = Date.parse(raw.startedDateTime);
    const received = msn.timings?.received ?? (Number.isFinite(started) ? started : 0);
    const status = response.status;
    const sessionId = msn.sessionId !== undefined ? msn.sessionId : sessionFromResponse(resHeaders);
    const exchangeId = msn.exchangeId ?? i + 1;
    const kind = msn.kind ?? kindOf(target, status);
    const req: HttpRequestEvent = {
      type: 'http-request',
      seq: msn.requestSeq ?? 0,
      time: msn.requestTime ?? received,
      exchangeId,
      sessionId,
      kind,
      method: request.method,
      target,
      clientAddress: msn.clientAddress ?? '0.0.0.0',
      clientPort: msn.clientPort ?? (Number(raw.connection) || 0),
      head: buildHead(`${request.method} ${target} ${request.httpVersion}`, reqHeaders),
      body: bodyOf(request.postData?.text, request.postData?._encoding === 'base64'),
    };
    const answered = received + (typeof raw.time === 'number' && raw.time > 0 ? raw.time : 0);
    const res: HttpResponseEvent | null = msn.unanswered || status === 0
      ? null
      : {
          type: 'http-response',
          seq: msn.responseSeq ?? 0,
          time: msn.responseTime ?? answered,
          exchangeId,
          sessionId,
          status,
          head: buildHead(`${response.httpVersion} ${status} ${response.statusText ?? ''}`.trimEnd(), resHeaders),
          body: bodyOf(response.content?.text, response.content?.encoding === 'base64'),
          timings: msn.timings ?? { received, forwarded: null, firstUpstreamByte: null, answered },
          ...(msn.reason ? { reason: msn.reason } : {}),
        };
    if (ours) {
      events.push(req);
      if (res) events.push(res);
      return;
    }
    // A foreign HAR: number the events in entry order and infer what the gateway would have said.
    const server = /[?&]Server=SB(?:&|$)/i.test(target) ? 'SB' : 'NS';
    if (sessionId && !opened.has(sessionId) && kind === 'open') {
      opened.add(sessionId);
      events.push({
        type: 'session-opened', seq: ++seq, time: received, sessionId, server,
        requestedIp: /[?&]IP=([^&]*)/i.exec(target)?.[1] ?? '', clientAddress: req.clientAddress, clientPort: req.clientPort,
        upstream: { host: '', port: 0, kind: 'tcp' },
      });
    }
    req.seq = ++seq;
    events.push(req);
    if (sessionId && res?.status === 200 && req.body.length > 0) {
      events.push({ type: 'bytes', seq: ++seq, time: received, sessionId, direction: 'client', exchangeId, bytes: req.body });
    }
    if (res) {
      if (sessionId && res.body.length > 0) events.push({ type: 'bytes', seq: ++seq, time: res.time, sessionId, direction: 'server', exchangeId, bytes: res.body });
      res.seq = ++seq;
      events.push(res);
    }
  });
  return ours ? events.sort((a, b) => a.seq - b.seq) : events;
}
