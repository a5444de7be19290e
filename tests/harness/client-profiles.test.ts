import { describe, expect, it } from 'vitest';
import { latin1, textOf } from './bytes.ts';
import { profileRequest, splitCommands } from './client-profiles.ts';
import { LegacyClient, parseXMsnMessenger } from './legacy-clients.ts';

const enc = new TextEncoder();

describe('client request templates', () => {
  it('the official client reproduces Vector A byte for byte', () => {
    const bytes = profileRequest('msn-official', {
      kind: 'open', server: 'NS', ip: 'messenger.hotmail.com', sessionId: null,
      host: 'gateway.messenger.hotmail.com', body: enc.encode('VER 5 MSNP8 CVR0\r\n'),
    });
    expect(textOf(bytes)).toBe(
      'POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com HTTP/1.1\r\n' +
        'Accept: */*\r\nAccept-Language: en-us\r\nAccept-Encoding: gzip, deflate\r\nUser-Agent: MSMSGS\r\n' +
        'Host: gateway.messenger.hotmail.com\r\nProxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\n' +
        'Pragma: no-cache\r\nContent-Type: application/x-msn-messenger\r\nContent-Length: 18\r\n\r\nVER 5 MSNP8 CVR0\r\n',
    );
  });

  it('BitlBee, aMSN and libpurple follow their section 3.2 templates', () => {
    const b = new LegacyClient('bitlbee', { port: 1 });
    expect(latin1(b.requestBytes('open', 'VER 1 MSNP21\r\n'))).toBe(
      'POST /gateway/gateway.dll?SessionID=&Action=open&Server=NS HTTP/1.1\r\nHost: geo.gateway.messenger.live.com\r\nContent-Length: 14\r\n\r\nVER 1 MSNP21\r\n',
    );
    b.sessionId = '1.2';
    expect(latin1(b.requestBytes('data', 'X'))).toMatch(/^POST \/gateway\/gateway.dll\?SessionID=1\.2& HTTP\/1\.1\r\nHost: [^\r]+\r\nContent-Length: 1\r\n\r\nX$/);
    expect(latin1(b.requestBytes('poll'))).toContain('?SessionID=1.2&Action=poll&Lifespan=60 HTTP/1.1');
    const a = new LegacyClient('amsn', { port: 1 });
    expect(latin1(a.requestBytes('open'))).toBe(
      'POST /gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com HTTP/1.1\r\nAccept: */*\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 0\r\nUser-Agent: MSMSGS\r\nHost: gateway.messenger.hotmail.com\r\nProxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\nPragma: no-cache\r\nCache-Control: no-cache\r\n\r\n',
    );
    const p = new LegacyClient('libpurple', { port: 1 });
    p.sessionId = '954547325.32498';
    p.gwIp = '207.46.110.18';
    expect(latin1(p.requestBytes('poll'))).toBe(
      'POST http://207.46.110.18/gateway/gateway.dll?Action=poll&SessionID=954547325.32498 HTTP/1.1\r\nAccept: */*\r\nAccept-Language: en-us\r\nUser-Agent: MSMSGS\r\nHost: 207.46.110.18\r\nProxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\nPragma: no-cache\r\nContent-Type: application/x-msn-messenger\r\nContent-Length: 0\r\n\r\n',
    );
    const m = new LegacyClient('msnpsharp', { port: 1 });
    m.sessionId = '5.6';
    expect(latin1(m.requestBytes('poll'))).toContain('?Action=poll&Lifespan=3&SessionID=5.6 HTTP/1.1\r\nContent-Type: text/html; charset=UTF-8\r\nUser-Agent: Mozilla/5.0');
  });

  it('splits a command stream into whole commands, payloads included', () => {
    const parts = splitCommands(enc.encode('CHG 6 NLN 0\r\nMSG 3 N 5\r\nab\r\ncSYN 5 0\r\npartial'));
    expect(parts.map(latin1)).toEqual(['CHG 6 NLN 0\r\n', 'MSG 3 N 5\r\nab\r\nc', 'SYN 5 0\r\n', 'partial']);
  });

  it('parses X-MSN-Messenger like libpurple', () => {
    expect(parseXMsnMessenger('SessionID=954547325.13160; GW-IP=207.46.110.18; Session=close')).toEqual({
      parts: ['SessionID=954547325.13160', 'GW-IP=207.46.110.18', 'Session=close'],
      sessionId: '954547325.13160', gwIp: '207.46.110.18', sessionClose: true,
    });
  });
});
