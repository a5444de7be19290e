import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRequest, HttpConnection, HttpProtocolError, headerValue } from './http-client.ts';
import { textOf } from './bytes.ts';

// A raw TCP server answering with canned bytes, so the parser sees exactly what we wrote.
let server: net.Server | null = null;
async function rawServer(answer: (req: string, socket: net.Socket) => void): Promise<number> {
  server = net.createServer((socket) => {
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r\n\r\n'); i >= 0; i = buf.indexOf('\r\n\r\n')) {
        const head = buf.slice(0, i);
        const len = Number(/Content-Length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < i + 4 + len) break;
        const req = buf.slice(0, i + 4 + len);
        buf = buf.slice(i + 4 + len);
        answer(req, socket);
      }
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

describe('buildRequest', () => {
  it('writes the request line, headers in order and body byte for byte', () => {
    const bytes = buildRequest({
      target: 'http://gw/gateway/gateway.dll?Action=open&Server=NS&IP=x',
      headers: [['Host', 'gw'], ['Content-Length', '3']],
      body: 'a\u00e9',
    });
    expect(textOf(bytes)).toBe('POST http://gw/gateway/gateway.dll?Action=open&Server=NS&IP=x HTTP/1.1\r\nHost: gw\r\nContent-Length: 3\r\n\r\na\u00e9');
  });
});

describe('HttpConnection', () => {
  it('parses status, raw header lines and a Content-Length body; keeps the raw head', async () => {
    const port = await rawServer((_req, s) => s.write('HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 4\r\n\r\nbody'));
    const conn = await HttpConnection.connect(port);
    const res = await conn.send('POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
    expect(res.status).toBe(200);
    expect(res.statusLine).toBe('HTTP/1.1 200 OK');
    expect(res.headerLines).toEqual(['X-A: 1', 'Content-Length: 4']);
    expect(textOf(res.head)).toBe('HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 4\r\n\r\n');
    expect(textOf(res.body)).toBe('body');
    expect(headerValue(res, 'x-a')).toBe('1');
    conn.close();
  });

  it('matches pipelined responses to requests in order and skips 100 Continue', async () => {
    let n = 0;
    const port = await rawServer((_req, s) => {
      n++;
      // Answer both in one write, split mid-head, to exercise buffering.
      if (n === 2) {
        const all = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nBB';
        s.write(all.slice(0, 40));
        setTimeout(() => s.write(all.slice(40)), 10);
      }
    });
    const conn = await HttpConnection.connect(port);
    const req = 'POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n';
    const [a, b] = await Promise.all([conn.send(req), conn.send(req)]);
    expect(textOf(a.body)).toBe('A');
    expect(textOf(b.body)).toBe('BB');
    expect(conn.responses.map((r) => r.status)).toEqual([100, 200, 200]);
    conn.close();
  });

  it('rejects chunked responses and responses without Content-Length', async () => {
    const port = await rawServer((req, s) => {
      if (req.includes('chunked')) s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
      else s.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
    });
    const a = await HttpConnection.connect(port);
    await expect(a.send('POST /chunked HTTP/1.1\r\nContent-Length: 0\r\n\r\n')).rejects.toBeInstanceOf(HttpProtocolError);
    const b = await HttpConnection.connect(port);
    await expect(b.send('POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n')).rejects.toThrow(/Content-Length/);
    a.close();
    b.close();
  });

  it('delivers a response that arrived before the peer closed, then fails later waiters', async () => {
    const port = await rawServer((_req, s) => s.end('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n'));
    const conn = await HttpConnection.connect(port);
    const res = await conn.send('POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
    expect(res.status).toBe(413);
    await conn.closed;
    await expect(conn.nextResponse()).rejects.toThrow(/closed/);
  });
});
