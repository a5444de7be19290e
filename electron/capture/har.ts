// HAR 1.2 export of the gateway's HTTP traffic: one entry per exchange (request and response
// heads and bodies exactly as they crossed, redacted by default). Custom `_msn` fields keep what
// a HAR has no place for, and `log._msnEvents` carries the non-HTTP events, so importHar gives
// the same event sequence back; a HAR from another tool imports too (sessions inferred).
import type { ExchangeKind, GatewayEvent, HttpRequestEvent, HttpResponseEvent } from '../../shared/api/gateway-events.ts';
import { encodeRecord } from './format.ts';
import type { Har, HarEntry, HarNameValue, HarRequest, HarResponse, HarTimings } from './har-types.ts';
import { headerOf, parseHead, type HeaderList } from './http-head.ts';
import { redactEvents, type RedactOptions } from './redact.ts';

export type { Har, HarEntry } from './har-types.ts';
export { importHar, HarImportError } from './har-import.ts';

export interface HarOptions extends RedactOptions {
  creator?: { name: string; version: string };
}

const MSN_MIME = 'application/x-msn-messenger';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Body as HAR text: UTF-8 when it is valid UTF-8, else base64 (and says so). */
export function bodyText(body: Uint8Array): { text: string; base64: boolean } {
  try {
    return { text: utf8.decode(body), base64: false };
  } catch {
    return { text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'), base64: true };
  }
}

const nameValues = (headers: HeaderList): HarNameValue[] => headers.map(([name, value]) => ({ name, value }));

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function queryOf(target: string): HarNameValue[] {
  const q = target.indexOf('?');
  if (q === -1) return [];
  return target
    .slice(q + 1)
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq === -1 ? { name: safeDecode(p), value: '' } : { name: safeDecode(p.slice(0, eq)), value: safeDecode(p.slice(eq + 1)) };
    });
}

function urlOf(target: string, headers: HeaderList): string {
  if (/^https?:\/\//i.test(target)) return target;
  return `http://${headerOf(headers, 'Host') ?? 'gateway.messenger.hotmail.com'}${target.startsWith('/') ? '' : '/'}${target}`;
}

function harRequest(req: HttpRequestEvent): HarRequest {
  const { startLine, headers } = parseHead(req.head);
  const httpVersion = startLine.split(' ').at(-1) ?? 'HTTP/1.1';
  const out: HarRequest = {
    method: req.method,
    url: urlOf(req.target, headers),
    httpVersion,
    cookies: [],
    headers: nameValues(headers),
    queryString: queryOf(req.target),
    headersSize: req.head.length,
    bodySize: req.body.length,
  };
  if (req.method === 'POST' || req.body.length > 0) {
    const { text, base64 } = bodyText(req.body);
    out.postData = { mimeType: headerOf(headers, 'Content-Type') ?? MSN_MIME, text, ...(base64 ? { _encoding: 'base64' as const } : {}) };
  }
  return out;
}

function harResponse(res: HttpResponseEvent): HarResponse {
  const { startLine, headers } = parseHead(res.head);
  const [httpVersion = 'HTTP/1.1', , ...reason] = startLine.split(' ');
  const { text, base64 } = bodyText(res.body);
  return {
    status: res.status,
    statusText: reason.join(' '),
    httpVersion,
    cookies: [],
    headers: nameValues(headers),
    content: { size: res.body.length, mimeType: headerOf(headers, 'Content-Type') ?? 'x-unknown', text, ...(base64 ? { encoding: 'base64' as const } : {}) },
    redirectURL: '',
    headersSize: res.head.length,
    bodySize: res.body.length,
  };
}

const UNANSWERED: HarResponse = {
  status: 0,
  statusText: '',
  httpVersion: '',
  cookies: [],
  headers: [],
  content: { size: 0, mimeType: 'x-unknown' },
  redirectURL: '',
  headersSize: -1,
  bodySize: -1,
};

/** send = until forwarded upstream, wait = until the first upstream byte, receive = until answered. */
export function harTimings(t: HttpResponseEvent['timings']): HarTimings {
  const forwarded = t.forwarded ?? t.received;
  const first = Math.max(forwarded, t.firstUpstreamByte ?? t.answered);
  const r = (n: number) => Math.max(0, Math.round(n * 1000) / 1000);
  return { blocked: -1, dns: -1, connect: -1, send: r(forwarded - t.received), wait: r(first - forwarded), receive: r(t.answered - first) };
}

function entry(req: HttpRequestEvent, res: HttpResponseEvent | undefined): HarEntry {
  const timings = res ? harTimings(res.timings) : { blocked: -1, dns: -1, connect: -1, send: 0, wait: 0, receive: 0 };
  const started = res ? res.timings.received : req.time;
  return {
    startedDateTime: new Date(started).toISOString(),
    time: timings.send + timings.wait + timings.receive,
    request: harRequest(req),
    response: res ? harResponse(res) : UNANSWERED,
    cache: {},
    timings,
    connection: String(req.clientPort),
    // Chromium's DevTools reads this (its own HAR export writes it); without it, it guesses from
    // the URL and lists gateway.dll requests as scripts.
    _resourceType: 'other',
    _msnSessionId: req.sessionId,
    _msn: {
      sessionId: req.sessionId,
      exchangeId: req.exchangeId,
      kind: req.kind as ExchangeKind,
      target: req.target,
      clientAddress: req.clientAddress,
      clientPort: req.clientPort,
      requestSeq: req.seq,
      requestTime: req.time,
      ...(res ? { responseSeq: res.seq, responseTime: res.time, timings: res.timings } : { unanswered: true as const }),
      ...(res?.reason ? { reason: res.reason } : {}),
    },
  };
}

export function toHar(events: readonly GatewayEvent[], options: HarOptions = {}): Har {
  const clean = redactEvents(events, options);
  const requests = new Map<number, HttpRequestEvent>();
  const responses = new Map<number, HttpResponseEvent>();
  const others: unknown[] = [];
  for (const e of clean) {
    if (e.type === 'http-request') requests.set(e.exchangeId, e);
    else if (e.type === 'http-response') responses.set(e.exchangeId, e);
    else others.push(JSON.parse(encodeRecord(e)));
  }
  const entries = [...requests.values()].map((req) => entry(req, responses.get(req.exchangeId)));
  return {
    log: {
      version: '1.2',
      creator: options.creator ?? { name: 'MSN Gateway Inspector', version: '0.1.0' },
      entries,
      comment: options.unredacted ? 'unredacted: contains login tickets, cookies and hashes' : 'redacted: login hashes, tickets, cookies and profile auth fields replaced by [redacted]',
      _msnEvents: others,
      _msnRedacted: !options.unredacted,
    },
  };
}
