import { describe, expect, it } from 'vitest';
import { MAX_HEADER_FIELDS, parseRequestHead } from './request-head.ts';

const head = (...lines: string[]) => lines.join('\r\n');

function refusal(text: string): { status: number; message: string } {
  const r = parseRequestHead(text);
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(text)}`);
  return r.refusal;
}

describe('parseRequestHead', () => {
  it('reads a Messenger poll exactly: method, target, version, headers in order with their case', () => {
    const r = parseRequestHead(
      head(
        'POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=poll&SessionID=1.2 HTTP/1.1',
        'Accept: */*',
        'User-Agent: MSMSGS',
        'Host: gateway.messenger.hotmail.com',
        'Proxy-Connection: Keep-Alive',
        'Content-Length: 0',
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.head.method).toBe('POST');
    expect(r.head.target).toBe('http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=poll&SessionID=1.2');
    expect(r.head.version).toBe('1.1');
    expect(r.head.rawHeaders).toEqual(['Accept', '*/*', 'User-Agent', 'MSMSGS', 'Host', 'gateway.messenger.hotmail.com', 'Proxy-Connection', 'Keep-Alive', 'Content-Length', '0']);
    expect(r.head).toMatchObject({ contentLength: 0, chunked: false, keepAlive: true, expectContinue: false });
  });

  it('keep-alive: HTTP/1.1 unless Connection: close; HTTP/1.0 only when asked for', () => {
    const ka = (...lines: string[]) => {
      const r = parseRequestHead(head(...lines));
      return r.ok ? r.head.keepAlive : null;
    };
    expect(ka('POST / HTTP/1.1')).toBe(true);
    expect(ka('POST / HTTP/1.1', 'Connection: Close')).toBe(false);
    expect(ka('POST / HTTP/1.1', 'Connection: TE, close')).toBe(false);
    expect(ka('POST / HTTP/1.0')).toBe(false);
    expect(ka('POST / HTTP/1.0', 'Connection: Keep-Alive')).toBe(true);
  });

  it('trims blanks around values and takes Expect: 100-continue (HTTP/1.1 only)', () => {
    const r = parseRequestHead(head('POST / HTTP/1.1', 'Expect:  100-Continue \t', 'Content-Length:12'));
    expect(r.ok && r.head.expectContinue).toBe(true);
    expect(r.ok && r.head.rawHeaders).toEqual(['Expect', '100-Continue', 'Content-Length', '12']);
    const old = parseRequestHead(head('POST / HTTP/1.0', 'Expect: 100-continue'));
    expect(old.ok && old.head.expectContinue).toBe(false);
    expect(refusal(head('POST / HTTP/1.1', 'Expect: teapot')).status).toBe(417);
  });

  it('refuses ambiguous framing: two lengths, a length with chunked, an unknown coding', () => {
    expect(refusal(head('POST / HTTP/1.1', 'Content-Length: 1', 'Content-Length: 2')).message).toMatch(/two different Content-Length/);
    expect(parseRequestHead(head('POST / HTTP/1.1', 'Content-Length: 2', 'Content-Length: 2')).ok).toBe(true);
    expect(refusal(head('POST / HTTP/1.1', 'Content-Length: 1', 'Transfer-Encoding: chunked')).status).toBe(400);
    expect(refusal(head('POST / HTTP/1.1', 'Content-Length: -1')).status).toBe(400);
    expect(refusal(head('POST / HTTP/1.1', 'Content-Length: 1e3')).status).toBe(400);
    expect(refusal(head('POST / HTTP/1.1', `Content-Length: ${'9'.repeat(16)}`)).status).toBe(400);
    expect(refusal(head('POST / HTTP/1.1', 'Transfer-Encoding: gzip, chunked')).status).toBe(501);
    expect(refusal(head('POST / HTTP/1.0', 'Transfer-Encoding: chunked')).status).toBe(400);
    const chunked = parseRequestHead(head('POST / HTTP/1.1', 'Transfer-Encoding: Chunked'));
    expect(chunked.ok && chunked.head.chunked).toBe(true);
  });

  it('refuses malformed lines with 400 and a message naming the problem', () => {
    expect(refusal('POST /  HTTP/1.1').message).toMatch(/request line/);
    expect(refusal('POST / HTTP/1.1 x').message).toMatch(/request line/);
    expect(refusal('PO(ST / HTTP/1.1').message).toMatch(/method/);
    expect(refusal('POST /\x01 HTTP/1.1').message).toMatch(/target/);
    expect(refusal('POST / HTTX/1.1').message).toMatch(/HTTP version/);
    expect(refusal(head('POST / HTTP/1.1', 'Host : x')).message).toMatch(/header name/);
    expect(refusal(head('POST / HTTP/1.1', 'Host: x', ' folded')).message).toMatch(/header line/);
    expect(refusal(head('POST / HTTP/1.1', 'Host: a\x00b')).message).toMatch(/control character/);
    expect(refusal('POST / HTTP/1.1\nHost: x').message).toMatch(/bare CR or LF/);
    expect(refusal('POST / HTTP/1.1\r\nHost: x\ry').message).toMatch(/bare CR or LF/);
  });

  it('answers 505 for another HTTP version and 431 past the header count limit', () => {
    expect(refusal('POST / HTTP/2.0')).toEqual({ status: 505, message: 'HTTP version 2.0 not supported' });
    const many = ['POST / HTTP/1.1', ...Array.from({ length: MAX_HEADER_FIELDS + 1 }, (_, i) => `X-${i}: ${i}`)];
    expect(refusal(head(...many)).status).toBe(431);
    expect(parseRequestHead(head(...many.slice(0, -1))).ok).toBe(true);
  });
});
