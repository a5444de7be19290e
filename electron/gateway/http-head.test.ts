import { describe, expect, it } from 'vitest';
import { errorHead, messengerHeaderValue, okHead, serializeHead } from './http-head.ts';

describe('response heads', () => {
  it('X-MSN-Messenger: SessionID first, "; " separator, no trailing ;', () => {
    expect(messengerHeaderValue('954547325.13160', '207.46.110.18', false)).toBe('SessionID=954547325.13160; GW-IP=207.46.110.18');
    expect(messengerHeaderValue('954547325.13160', '127.0.0.1', true)).toBe('SessionID=954547325.13160; GW-IP=127.0.0.1; Session=close');
  });

  it('200 head is byte-exact, with Content-Length and keep-alive', () => {
    const head = okHead({ sessionId: '954547325.13160', gwIp: '127.0.0.1', close: false, contentLength: 18, keepAlive: true });
    expect(serializeHead(head)).toBe(
      'HTTP/1.1 200 OK\r\n' +
        'X-MSN-Messenger: SessionID=954547325.13160; GW-IP=127.0.0.1\r\n' +
        'Content-Type: application/x-msn-messenger\r\n' +
        'Content-Length: 18\r\n' +
        'Connection: keep-alive\r\n\r\n',
    );
    expect(serializeHead(head)).not.toMatch(/Access-Control|Transfer-Encoding|Date:/i);
  });

  it('error heads carry a reason phrase and an empty body length', () => {
    expect(serializeHead(errorHead(400, true))).toBe('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n');
    expect(serializeHead(errorHead(413, false))).toBe('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(serializeHead(errorHead(405, true, ['Allow', 'POST']))).toBe('HTTP/1.1 405 Method Not Allowed\r\nAllow: POST\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n');
  });
});
