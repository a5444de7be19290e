// The headless inspector's one loopback listener: the built renderer over HTTP and the API over a
// WebSocket at /api (ClientMessage/ServerMessage JSON), guarded by Host, Origin and a per-run token.
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type { ServerMessage } from '../../shared/api/contract.ts';
import { authority, createToken, hostAllowed, isWildcard, originAllowed, tokenMatches } from './security.ts';
import { sendText, serveStatic } from './static-files.ts';
import { ApiConnection, CLOSE_SHUTDOWN, TRANSPORT_LIMITS } from './ws-transport.ts';
import type { InspectorEndpoint, TransportLimits } from './ws-transport.ts';

export interface UiServerOptions {
  api: InspectorEndpoint;
  /** Default 127.0.0.1. Anything but loopback exposes the API to the network (token still needed). */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** The built renderer; default out/renderer of this checkout. */
  rendererDir?: string;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  limits?: Partial<TransportLimits>;
}

export interface UiServer {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** `http://ADDR:PORT` */
  readonly origin: string;
  /** The page with the token in its fragment: `http://ADDR:PORT/#token=TOKEN`. */
  readonly url: string;
  clientCount(): number;
  close(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));
export const API_PATH = '/api';

function refuse(socket: Duplex, status: number, reason: string, message: string): void {
  const body = Buffer.from(`${message}\n`, 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n`
      + 'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' + body.toString('utf8'),
  );
}

function pathOf(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://inspector.invalid');
  } catch {
    return null;
  }
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const limits: TransportLimits = { ...TRANSPORT_LIMITS, ...options.limits };
  const token = options.token ?? createToken();
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const clients = new Set<ApiConnection>();
  let port = options.port ?? 0;
  let closing = false;

  const hostProblem = (req: IncomingMessage): string | null =>
    hostAllowed(req.headers.host, host, port)
      ? null
      : `Forbidden: Host ${JSON.stringify(req.headers.host ?? '')} is not this inspector's address `
        + `(protection against DNS rebinding). Open http://${authority(isWildcard(host) ? '127.0.0.1' : host, port)}/ instead.`;

  const server = createServer((req, res) => {
    const problem = hostProblem(req);
    if (problem !== null) return sendText(res, 403, problem);
    const url = pathOf(req);
    if (url === null) return sendText(res, 400, 'Bad request target.');
    if (url.pathname === API_PATH) return sendText(res, 426, 'The API is a WebSocket: connect with ws:// and the token.', { Upgrade: 'websocket' });
    serveStatic(rendererDir, req, res, req.headers.host!, url.pathname).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.maxConnections = 256;

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const problem = hostProblem(req);
    if (problem !== null) return refuse(socket, 403, 'Forbidden', problem);
    const url = pathOf(req);
    if (url === null || url.pathname !== API_PATH) return refuse(socket, 404, 'Not Found', `The API is at ${API_PATH}.`);
    if (!originAllowed(req.headers.origin, host, port)) {
      return refuse(socket, 403, 'Forbidden', `Forbidden: Origin ${JSON.stringify(req.headers.origin)} is not this inspector's page.`);
    }
    if (!tokenMatches(token, url.searchParams.get('token'))) {
      return refuse(socket, 403, 'Forbidden', 'Forbidden: missing or wrong token. Use the inspector URL printed at start (it ends in #token=...).');
    }
    if (closing) return refuse(socket, 503, 'Service Unavailable', 'The inspector is shutting down.');
    if (clients.size >= limits.maxClients) {
      return refuse(socket, 503, 'Service Unavailable', `Too many API clients (at most ${limits.maxClients}); close another inspector tab.`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = new ApiConnection(ws, options.api, limits);
      clients.add(client);
      client.onClose(() => clients.delete(client));
    });
  });

  // Serialized once per batch, whatever the number of clients (by the inspector's own thread when
  // it has one).
  const unsubscribe = options.api.onBatchJson
    ? options.api.onBatchJson((json) => {
        for (const client of clients) client.pushBatch(null, json);
      })
    : options.api.onBatch((batch) => {
        if (clients.size === 0) return;
        const json = JSON.stringify({ kind: 'events', batch } satisfies ServerMessage);
        for (const client of clients) client.pushBatch(batch, json);
      });

  const heartbeat = setInterval(() => {
    for (const client of clients) client.ping();
  }, limits.heartbeatMs);
  heartbeat.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    unsubscribe();
    clearInterval(heartbeat);
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  const shown = authority(isWildcard(host) ? '127.0.0.1' : host, port);

  return {
    host,
    port,
    token,
    origin: `http://${shown}`,
    url: `http://${shown}/#token=${token}`,
    clientCount: () => clients.size,
    async close() {
      if (closing) return;
      closing = true;
      unsubscribe();
      clearInterval(heartbeat);
      for (const client of clients) client.drop(CLOSE_SHUTDOWN, 'inspector shutting down');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        // Upgraded sockets are no longer the HTTP server's; cut any that did not close in time.
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 200).unref();
      });
      wss.close();
    },
  };
}

export type { InspectorEndpoint, TransportLimits } from './ws-transport.ts';
