// Reaches the gateway's node:http server from outside without touching the gateway's code: the
// server announces itself on the `http.server.request.start` diagnostics channel with every
// request, so one probe request (a 404) is enough to get hold of it. Tests use it to read the
// timeouts the gateway configured and to count open sockets (leak checks).
import dc from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendOnce } from '../harness/http-client.ts';
import { sleep } from '../harness/bytes.ts';

const byPort = new Map<number, Server>();

dc.subscribe('http.server.request.start', (message) => {
  const server = (message as { server?: Server }).server;
  const address = server?.address() as AddressInfo | null | undefined;
  if (server && address && typeof address === 'object') byPort.set(address.port, server);
});

/** The http.Server listening on `port` (one 404 probe request is sent to find it). */
export async function serverOn(port: number): Promise<Server> {
  const known = byPort.get(port);
  if (known?.listening) return known;
  await sendOnce(port, 'POST /probe HTTP/1.1\r\nHost: probe\r\nContent-Length: 0\r\n\r\n');
  const server = byPort.get(port);
  if (!server) throw new Error(`no http server announced itself on port ${port}`);
  return server;
}

export function connectionCount(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}

/** Waits until the server holds at most `expected` sockets; returns the last count seen. */
export async function settleConnections(server: Server, expected: number, timeoutMs = 3000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = await connectionCount(server);
  while (n > expected && Date.now() < deadline) {
    await sleep(10);
    n = await connectionCount(server);
  }
  return n;
}
