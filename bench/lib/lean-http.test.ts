import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanConnection } from './lean-http.ts';

const servers: net.Server[] = [];
const conns: LeanConnection[] = [];
afterEach(async () => {
  for (const c of conns.splice(0)) c.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A server that records each request's bytes and answers with `reply(request)` split in pieces. */
async function serve(reply: (req: string) => string[] | null): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = net.createServer((s) => {
    s.on('data', (d: Buffer) => {
      const req = d.toString('latin1');
      requests.push(req);
      const pieces = reply(req);
      if (pieces === null) return s.destroy();
      pieces.forEach((p, i) => setTimeout(() => s.write(p, 'latin1'), i * 5));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, requests };
}

async function connect(port: number): Promise<LeanConnection> {
  const c = await LeanConnection.connect(port);
  conns.push(c);
  return c;
}

describe('LeanConnection', () => {
  it('writes the request as given and reads status, X-MSN-Messenger and the body across pieces', async () => {
    const { port, requests } = await serve(() => ['HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=1.2; GW-IP=127.0.0.1\r\nCont', 'ent-Length: 9\r\n\r\nVER 1', ' é\r\n']);
    const c = await connect(port);
    const body = Buffer.from('VER 1 MSNP8\r\n');
    const res = await c.send('POST /gateway/gateway.dll HTTP/1.1\r\nContent-Length: 13\r\n\r\n', body);
    expect(requests.join('')).toBe('POST /gateway/gateway.dll HTTP/1.1\r\nContent-Length: 13\r\n\r\nVER 1 MSNP8\r\n');
    expect(res.status).toBe(200);
    expect(res.messenger).toBe('SessionID=1.2; GW-IP=127.0.0.1');
    expect(res.body.toString('latin1')).toBe('VER 1 é\r\n');
    const again = await c.send('POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n', new Uint8Array(0));
    expect(again.status).toBe(200);
  });

  it('skips 100 Continue, and reads an error status without X-MSN-Messenger', async () => {
    const { port } = await serve(() => ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n']);
    const res = await (await connect(port)).send('POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n', new Uint8Array(0));
    expect(res).toEqual({ status: 400, messenger: '', body: Buffer.alloc(0) });
  });

  it('fails clearly on a response without Content-Length, a bad status line, or a closed connection', async () => {
    const noLength = await serve(() => ['HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n']);
    await expect((await connect(noLength.port)).send('GET / HTTP/1.1\r\n\r\n', new Uint8Array(0))).rejects.toThrow(/without a Content-Length/);
    const garbage = await serve(() => ['SSH-2.0-OpenSSH\r\n\r\n']);
    await expect((await connect(garbage.port)).send('GET / HTTP/1.1\r\n\r\n', new Uint8Array(0))).rejects.toThrow(/bad status line/);
    const gone = await serve(() => null);
    const c = await connect(gone.port);
    await expect(c.send('GET / HTTP/1.1\r\n\r\n', new Uint8Array(0))).rejects.toThrow(/closed/);
    await expect(c.send('GET / HTTP/1.1\r\n\r\n', new Uint8Array(0))).rejects.toThrow(/closed/);
  });
});
