// The captured exchanges of section 3.1, replayed byte for byte: Vector A (first NS request),
// Vector C (first SB request) and Vector D (the poll), with the responses compared to the shape
// of Vector B (the real gateway's answer, minus what the proxy added).
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../electron/gateway/index.ts';
import { latin1, textOf } from '../harness/bytes.ts';
import { HttpConnection, headerValue } from '../harness/http-client.ts';
import { createInProcessUpstream } from '../harness/scripted-upstream.ts';
import { SESSION_ID, expectGatewayShape, onCleanup, startRig } from './setup.ts';

const VECTOR_A =
  'POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com HTTP/1.1\r\n' +
  'Accept: */*\r\n' +
  'Accept-Language: en-us\r\n' +
  'Accept-Encoding: gzip, deflate\r\n' +
  'User-Agent: MSMSGS\r\n' +
  'Host: gateway.messenger.hotmail.com\r\n' +
  'Proxy-Connection: Keep-Alive\r\n' +
  'Connection: Keep-Alive\r\n' +
  'Pragma: no-cache\r\n' +
  'Content-Type: application/x-msn-messenger\r\n' +
  'Content-Length: 18\r\n' +
  '\r\n' +
  'VER 5 MSNP8 CVR0\r\n';

const VECTOR_B_HEAD =
  'HTTP/1.0 200 OK\r\n' +
  'Server: Microsoft-IIS/5.0\r\n' +
  'Date: Tue, 18 Mar 2003 07:39:53 GMT\r\n' +
  'X-MSN-Messenger: SessionID=954547325.13160; GW-IP=207.46.110.18\r\n' +
  'Content-Length: 18\r\n' +
  'Content-Type: application/x-msn-messenger\r\n' +
  'Age: 0\r\n' +
  'Via: HTTP/1.1 ntl_site (Traffic-Server/5.2.0-R [c sSf ])\r\n' +
  'X-Cache: MISS from nautilus.localdomain\r\n' +
  'X-Cache-Lookup: MISS from nautilus.localdomain:80\r\n' +
  'Proxy-Connection: keep-alive\r\n\r\n';

const VECTOR_C =
  'POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=SB&IP=207.46.108.13 HTTP/1.1\r\n' +
  'Accept: */*\r\n' +
  'Accept-Language: en-us\r\n' +
  'Accept-Encoding: gzip, deflate\r\n' +
  'User-Agent: MSMSGS\r\n' +
  'Host: gateway.messenger.hotmail.com\r\n' +
  'Proxy-Connection: Keep-Alive\r\n' +
  'Connection: Keep-Alive\r\n' +
  'Pragma: no-cache\r\n' +
  'Content-Type: application/x-msn-messenger\r\n' +
  'Content-Length: 55\r\n' +
  '\r\n' +
  'USR 3 phil_sayers@hotmail.com 214963.1047973248.28908\r\n';

function vectorD(sessionId: string, gwIp: string): string {
  return (
    `POST http://${gwIp}/gateway/gateway.dll?Action=poll&SessionID=${sessionId} HTTP/1.1\r\n` +
    'Accept: */*\r\nAccept-Language: en-us\r\nAccept-Encoding: gzip, deflate\r\nUser-Agent: MSMSGS\r\n' +
    `Host: ${gwIp}\r\nProxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\nPragma: no-cache\r\n` +
    'Content-Type: application/x-msn-messenger\r\nContent-Length: 0\r\n\r\n'
  );
}

/** Header names of a head, lower-cased, in order. */
function headerNames(head: string): string[] {
  return head.split('\r\n').slice(1).filter(Boolean).map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
}

describe('Vector A/B/D: the official client opening an NS session', () => {
  it('forwards exactly the 18 body bytes and answers with Vector B\'s gateway headers', async () => {
    const rig = await startRig({ script: [{ expect: 'VER 5 MSNP8 CVR0\r\n', reply: 'VER 5 MSNP8 CVR0\r\n' }] });
    const conn = await HttpConnection.connect(rig.port);
    onCleanup(() => conn.close());
    const res = await conn.send(VECTOR_A);
    const upstream = await rig.upstream.connection(0);
    expect(latin1(upstream.receivedBytes())).toBe('VER 5 MSNP8 CVR0\r\n');
    expect(upstream.mismatches).toEqual([]);

    expect(res.status).toBe(200);
    expect(expectGatewayShape(res)).toEqual([]);
    expect(textOf(res.body)).toBe('VER 5 MSNP8 CVR0\r\n');
    // Vector B's gateway-made headers (X-MSN-Messenger, Content-Length, Content-Type) are all present,
    // and nothing a browser-facing server adds (CORS) is.
    const vectorB = headerNames(VECTOR_B_HEAD);
    const ours = headerNames(latin1(res.head));
    for (const name of ['x-msn-messenger', 'content-length', 'content-type']) {
      expect(vectorB).toContain(name);
      expect(ours).toContain(name);
    }
    const x = headerValue(res, 'X-MSN-Messenger')!;
    // Same grammar as Vector B's value: SessionID=<digits>.<digits>; GW-IP=<address>.
    const shape = /^SessionID=(\d+)\.(\d+); GW-IP=([0-9.]+)$/;
    expect('SessionID=954547325.13160; GW-IP=207.46.110.18').toMatch(shape);
    expect(x).toMatch(shape);
    // GW-IP is where the client reached the gateway, never the upstream or the IP= value.
    expect(x.endsWith('; GW-IP=127.0.0.1')).toBe(true);

    // Vector D: the poll goes to GW-IP with the latest SessionID, and finds nothing.
    const sessionId = /SessionID=([^;]+)/.exec(x)![1];
    expect(sessionId).toMatch(SESSION_ID);
    const poll = await conn.send(vectorD(sessionId, '127.0.0.1'));
    expect(poll.status).toBe(200);
    expect(poll.body.length).toBe(0);
    expect(headerValue(poll, 'Content-Length')).toBe('0');
    expect(expectGatewayShape(poll)).toEqual([]);
    const nextId = /SessionID=([^;]+)/.exec(headerValue(poll, 'X-MSN-Messenger')!)![1];
    expect(nextId.split('.')[0]).toBe(sessionId.split('.')[0]);
    expect(nextId).not.toBe(sessionId);

    // The event log holds the request head and body exactly as sent.
    const req = rig.of('http-request')[0];
    expect(latin1(req.head) + latin1(req.body)).toBe(VECTOR_A);
    expect(req).toMatchObject({ method: 'POST', kind: 'open', target: 'http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com' });
  });
});

describe('Vector C: the official client opening a switchboard', () => {
  it('opens the SB on the in-process upstream with exactly the 55 USR bytes', async () => {
    const upstream = createInProcessUpstream({
      script: (c) =>
        c.target?.server === 'SB'
          ? [{ expect: 'USR 3 phil_sayers@hotmail.com 214963.1047973248.28908\r\n', reply: 'USR 3 OK phil_sayers@hotmail.com Phil\r\n' }]
          : [],
    });
    const gateway = createGateway({ host: '127.0.0.1', port: 0, upstream: { kind: 'emulator', connect: upstream.connect } });
    onCleanup(async () => {
      await gateway.close();
      await upstream.close();
    });
    const { port } = await gateway.listen();
    const conn = await HttpConnection.connect(port);
    onCleanup(() => conn.close());
    const res = await conn.send(VECTOR_C);
    expect(res.status).toBe(200);
    expect(expectGatewayShape(res)).toEqual([]);
    expect(textOf(res.body)).toBe('USR 3 OK phil_sayers@hotmail.com Phil\r\n');
    const sb = await upstream.connection(0);
    expect(sb.target).toMatchObject({ server: 'SB', host: '207.46.108.13' });
    expect(latin1(sb.receivedBytes())).toBe('USR 3 phil_sayers@hotmail.com 214963.1047973248.28908\r\n');
    expect(sb.receivedBytes().length).toBe(55);
  });
});
