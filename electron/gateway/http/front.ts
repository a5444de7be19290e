// The gateway's HTTP/1.1 server, on node:net. In bench:load at 10,000 sessions a bare echo on
// node:http used twice the CPU of the same echo on node:net (61% against 31% of a core), and
// node:http hands over parsed fields, from which the request head could only be rebuilt. This
// front frames only what a gateway serves, keeps every head's exact bytes for the capture, and
// checks every connection's deadlines from one timer instead of a timer per socket.
import dc from 'node:diagnostics_channel';
import net, { type AddressInfo } from 'node:net';
import { FrontConnection, type FrontHooks, type FrontLimits } from './connection.ts';

export type { FrontHooks, FrontLimits, FrontRefusal } from './connection.ts';
export type { BodyResult, HttpRequest, HttpResponder } from './exchange-ends.ts';

/** Every front announces itself here when it listens (tests read its limits and count sockets). */
export const FRONT_CHANNEL = 'msn-gateway-inspector:gateway.front';

/** The listening server, with the limits it enforces (what tests and `npm run fuzz` read). */
export type FrontServer = net.Server & {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  maxHeaderSize: number;
  connectionsCheckingInterval: number;
};

export interface HttpFront {
  readonly server: FrontServer;
  listen(port: number, host: string, backlog: number): Promise<AddressInfo>;
  /** Stops accepting, ends idle connections now and the rest on the next turn. */
  close(): Promise<void>;
}

const CHECK_INTERVAL_MS = 1000;

export function createHttpFront(limits: FrontLimits, hooks: FrontHooks): HttpFront {
  const connections = new Set<FrontConnection>();
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    connections.add(new FrontConnection(socket, limits, hooks, (c) => connections.delete(c)));
  }) as FrontServer;
  Object.assign(server, {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeadBytes,
    connectionsCheckingInterval: CHECK_INTERVAL_MS,
  });
  let checker: NodeJS.Timeout | null = null;
  const check = (): void => {
    const t = performance.now();
    for (const c of connections) c.check(t);
  };

  return {
    server,
    listen(port, host, backlog) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host, backlog }, () => {
          server.off('error', reject);
          checker = setInterval(check, CHECK_INTERVAL_MS);
          checker.unref();
          dc.channel(FRONT_CHANNEL).publish({ server });
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      if (checker) clearInterval(checker);
      checker = null;
      return new Promise<void>((resolve) => {
        const destroyAll = (): void => {
          for (const c of connections) c.destroy();
        };
        if (!server.listening) {
          destroyAll();
          resolve();
          return;
        }
        server.close(() => resolve());
        for (const c of connections) if (c.idle) c.end();
        // Answers written just before get a moment to flush before sockets are cut.
        setImmediate(destroyAll);
      });
    },
  };
}
