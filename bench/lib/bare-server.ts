// The baseline for the gateway benchmark: a bare node:http server that answers the gateway's
// request forms with the same bytes and headers the gateway would (the body echoed back on an
// open or send, empty on a poll), but with no session, relay or events behind it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BareServer {
  port: number;
  close(): Promise<void>;
}

export async function startBareServer(): Promise<BareServer> {
  let next = 100000000;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      const isPoll = url.includes('Action=poll');
      const id = /SessionID=(\d+)/.exec(url)?.[1] ?? String(next++);
      const body = isPoll ? Buffer.alloc(0) : Buffer.concat(chunks);
      res.sendDate = false;
      res.writeHead(200, 'OK', [
        'Content-Type', 'application/x-msn-messenger',
        'Content-Length', String(body.length),
        'X-MSN-Messenger', `SessionID=${id}.${10000 + Math.floor(Math.random() * 90000)}; GW-IP=127.0.0.1`,
      ]);
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
