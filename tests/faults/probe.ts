// Reaches the gateway's HTTP server from outside without touching the gateway's code: its front
// announces itself on a diagnostics channel when it listens. Tests use it to read the timeouts
// and limits the gateway configured and to count open sockets (leak checks).
import dc from 'node:diagnostics_channel';
import type { AddressInfo } from 'node:net';
import { FRONT_CHANNEL, type FrontServer } from '../../electron/gateway/http/front.ts';
import { sleep } from '../harness/bytes.ts';

export type Server = FrontServer;

const byPort = new Map<number, Server>();

dc.subscribe(FRONT_CHANNEL, (message) => {
  const server = (message as { server?: Server }).server;
  const address = server?.address() as AddressInfo | null | undefined;
  if (server && address && typeof address === 'object') byPort.set(address.port, server);
});

/** The gateway's server listening on `port`. */
export async function serverOn(port: number): Promise<Server> {
  const server = byPort.get(port);
  if (!server?.listening) throw new Error(`no gateway front announced itself on port ${port}`);
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
