import { beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEvent, HttpRequestEvent, HttpResponseEvent } from '../../shared/api/gateway-events.ts';
import { harProblems } from './__test__/har-schema.ts';
import { TWN_TICKET, plain, runGateway, type GatewayRun } from './__test__/gateway-run.ts';
import { HarImportError, importHar, toHar } from './har.ts';
import { latin1 } from './http-head.ts';
import { redactEvents } from './redact.ts';

let run: GatewayRun;
beforeAll(async () => {
  run = await runGateway();
});

const http = (events: GatewayEvent[]) => events.filter((e): e is HttpRequestEvent | HttpResponseEvent => e.type === 'http-request' || e.type === 'http-response');

describe('HAR export of a real gateway run', () => {
  it('is HAR 1.2 (spec shape, timings, dates, only _ custom fields) and survives JSON', () => {
    const har = JSON.parse(JSON.stringify(toHar(run.events)));
    expect(harProblems(har)).toEqual([]);
    const exchanges = run.events.filter((e) => e.type === 'http-request');
    expect(har.log.entries).toHaveLength(exchanges.length);
  });

  it('the checker itself catches broken HARs', () => {
    const har = JSON.parse(JSON.stringify(toHar(run.events)));
    delete har.log.entries[0].request.httpVersion;
    har.log.entries[1].timings.wait = -1;
    har.log.entries[2].startedDateTime = 'yesterday';
    har.log.entries[3].msn = 1;
    expect(harProblems(har)).toEqual([
      'har.log.entries[0].request.httpVersion: required',
      'har.log.entries[1].timings.wait: must be >= 0',
      'har.log.entries[2].startedDateTime: not ISO 8601',
      'har.log.entries[3].msn: not in HAR 1.2 (custom fields start with "_")',
      expect.stringMatching(/^har\.log\.entries\[1\]\.time: .* is not the sum/),
    ]);
  });

  it('one entry per exchange with method, url, query, MSNP body, status, headers and gateway timings', () => {
    const har = toHar(run.events);
    const open = har.log.entries[0];
    expect(open.request.method).toBe('POST');
    expect(open.request.url).toMatch(/^http:\/\/gateway\.messenger\.hotmail\.com\/gateway\/gateway\.dll\?Action=open&Server=NS&IP=messenger\.hotmail\.com$/);
    expect(open.request.queryString).toEqual([
      { name: 'Action', value: 'open' },
      { name: 'Server', value: 'NS' },
      { name: 'IP', value: 'messenger.hotmail.com' },
    ]);
    expect(open.request.postData).toEqual({ mimeType: 'application/x-msn-messenger', text: 'VER 1 MSNP8 CVR0\r\n' });
    expect(open.response.status).toBe(200);
    expect(open.response.statusText).toBe('OK');
    expect(open.response.headers.map((h) => h.name)).toEqual(['X-MSN-Messenger', 'Content-Type', 'Content-Length', 'Connection']);
    expect(open.response.content.mimeType).toBe('application/x-msn-messenger');
    expect(open.timings).toMatchObject({ blocked: -1, dns: -1, connect: -1 });
    expect(open._msnSessionId).toMatch(/^\d{9}$/);
    // Chromium DevTools' own field: without it gateway.dll is listed as a script (tests/e2e/har-devtools.spec.ts).
    expect(har.log.entries.every((e) => e._resourceType === 'other')).toBe(true);
    const all = har.log.entries.map((e) => e.response.content.text).join('');
    expect(all).toContain('USR 4 OK alice@example.com');
    expect(all).toContain('héllo ✓ wörld'); // UTF-8 kept as text
    for (const e of har.log.entries) expect(e.response.content.size).toBe(Buffer.byteLength(e.response.content.text ?? ''));
  });

  it('is redacted by default and says so; unredacted keeps the secrets', () => {
    const red = JSON.stringify(toHar(run.events));
    expect(red).not.toContain(TWN_TICKET);
    expect(red).toContain('USR 4 TWN S [redacted]');
    expect(JSON.parse(red).log._msnRedacted).toBe(true);
    expect(JSON.stringify(toHar(run.events, { unredacted: true }))).toContain(TWN_TICKET);
  });

  it('binary bodies are base64 with encoding set, and come back byte for byte', () => {
    const body = new Uint8Array([0x4d, 0x53, 0x47, 0x20, 0xff, 0xfe, 0x00, 0x80]);
    const events: GatewayEvent[] = [
      { type: 'http-request', seq: 1, time: 1000, exchangeId: 1, sessionId: null, kind: 'send', method: 'POST', target: '/gateway/gateway.dll?SessionID=1.1', clientAddress: '127.0.0.1', clientPort: 5, head: new TextEncoder().encode('POST /gateway/gateway.dll?SessionID=1.1 HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\n\r\n'), body },
      { type: 'http-response', seq: 2, time: 1001, exchangeId: 1, sessionId: null, status: 200, head: new TextEncoder().encode('HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n'), body, timings: { received: 1000, forwarded: 1000.5, firstUpstreamByte: null, answered: 1001 } },
    ];
    const har = toHar(events, { unredacted: true });
    expect(har.log.entries[0].response.content).toMatchObject({ encoding: 'base64', size: 8, text: Buffer.from(body).toString('base64') });
    expect(har.log.entries[0].request.postData).toMatchObject({ _encoding: 'base64' });
    expect(har.log.entries[0].timings).toMatchObject({ send: 0.5, wait: 0.5, receive: 0 });
    expect(importHar(JSON.stringify(har))).toEqual(events);
  });
});

describe('importHar', () => {
  it('gives back the exported event sequence exactly (unredacted), from JSON text', () => {
    const back = importHar(JSON.stringify(toHar(run.events, { unredacted: true })));
    expect(back).toEqual(plain(run.events));
  });

  it('gives back the redacted sequence from a default export', () => {
    const back = importHar(JSON.stringify(toHar(run.events)));
    expect(back).toEqual(plain(redactEvents(run.events)));
  });

  it('imports a HAR from another tool: sessions, SessionIDs and relayed bytes inferred', () => {
    const har = JSON.parse(JSON.stringify(toHar(run.events, { unredacted: true })));
    delete har.log._msnEvents;
    for (const e of har.log.entries) delete e._msn;
    const back = importHar(har);
    const opened = back.filter((e) => e.type === 'session-opened');
    expect(opened.map((e) => e.server)).toEqual(['NS', 'SB', 'SB']);
    expect(opened.map((e) => e.sessionId)).toEqual(run.events.filter((e) => e.type === 'session-opened').map((e) => e.sessionId));
    // Without _msn the original request-target form is unknown: the URL's path and query are used.
    const originForm = (s: string) => s.replace(/^(POST) http:\/\/[^/]+/, '$1 ');
    expect(http(back).map((e) => latin1(e.head) + latin1(e.body))).toEqual(http(run.events).map((e) => originForm(latin1(e.head)) + latin1(e.body)));
    expect(back.map((e) => e.seq)).toEqual(back.map((_, i) => i + 1));
    const clientBytes = back.filter((e) => e.type === 'bytes' && e.direction === 'client').map((e) => (e.type === 'bytes' ? latin1(e.bytes) : '')).join('');
    expect(clientBytes).toContain('USR 4 TWN S ' + TWN_TICKET);
  });

  it('rejects what is not a HAR with a clear error', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{nope', /not JSON/],
      [{}, /no "log" object/],
      [{ log: { version: '1.2' } }, /log.entries is not an array/],
      [{ log: { version: '1.2', entries: [{ request: {} , response: {} }] } }, /entries\[0\]\.request lacks method, url or httpVersion/],
      [{ log: { version: '1.2', entries: [{}] } }, /entries\[0\] lacks a request or response/],
      [{ log: { version: '1.2', entries: [], _msnEvents: [{ type: 'bogus', seq: 1, time: 1 }] } }, /_msnEvents\[0\]: unknown record type/],
    ];
    for (const [input, message] of cases) {
      expect(() => importHar(input)).toThrow(HarImportError);
      expect(() => importHar(input)).toThrow(message);
    }
  });
});
