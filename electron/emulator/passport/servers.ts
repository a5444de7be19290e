// HTTP and HTTPS listeners for the Passport endpoints. Old clients fetch the nexus and
// login2.srf over HTTPS; HTTP is there for clients and tools pointed at a plain-HTTP Passport.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AccountStore } from '../accounts.ts';
import type { TicketStore } from '../tickets.ts';
import { ensureCertificates } from '../certs/certificates.ts';
import type { PassportCertificates } from '../certs/certificates.ts';
import { createPassportHandler } from './handler.ts';
import type { PassportEvent, PassportHandler } from './handler.ts';

export interface PassportServersOptions {
  /** Where certs/ lives (the CA is created once here and reused). */
  dataDir: string;
  accounts: AccountStore;
  tickets: TicketStore;
  /** Listen address for both servers (default 127.0.0.1). */
  host?: string;
  /** 0 = ephemeral (default). */
  httpPort?: number;
  httpsPort?: number;
  /** Host name clients use for login2.srf, put in DALogin and in the certificate (default: host, or 127.0.0.1 for a wildcard host). */
  publicHost?: string;
  /** Port put in DALogin when clients reach HTTPS through a forwarded port (default: the HTTPS listener's). */
  publicHttpsPort?: number;
  /** More certificate names (e.g. a LAN address). */
  extraNames?: string[];
  /**
   * Accept TLS 1.0/1.1 and old cipher suites, which MSN Messenger on Windows XP needs (default true;
   * the listeners are loopback by default).
   */
  legacyTls?: boolean;
  maxBodyBytes?: number;
  onEvent?: (event: PassportEvent) => void;
}

export interface ListenerAddress {
  host: string;
  port: number;
  /** Base URL, e.g. `https://127.0.0.1:49152`. */
  url: string;
}

export interface PassportServers {
  http: ListenerAddress;
  https: ListenerAddress;
  /** The DALogin host[:port] announced by the nexus. */
  loginHostPort: string;
  certificates: PassportCertificates;
  handler: PassportHandler;
  close(): Promise<void>;
}

function hardenServer(server: Server): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function createPassportServers(options: PassportServersOptions): Promise<PassportServers> {
  const host = options.host ?? '127.0.0.1';
  const publicHost = options.publicHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const certificates = await ensureCertificates({
    dataDir: options.dataDir,
    extraNames: [...(options.extraNames ?? []), publicHost],
  });
  let loginHostPort = publicHost;
  const handler = createPassportHandler({
    accounts: options.accounts,
    tickets: options.tickets,
    loginHostPort: () => loginHostPort,
    maxBodyBytes: options.maxBodyBytes,
    onEvent: options.onEvent,
  });
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (handler(req, res)) return;
    req.resume();
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': '10' });
    res.end('Not found\n');
  };
  const legacy = options.legacyTls ?? true;
  const httpServer = createHttpServer(serve);
  const httpsServer = createHttpsServer({
    key: certificates.key,
    cert: certificates.cert,
    ...(legacy ? { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
  }, serve);
  hardenServer(httpServer);
  hardenServer(httpsServer);
  // A client that drops the TLS handshake must not surface as an unhandled error.
  httpsServer.on('tlsClientError', () => {});
  try {
    const httpAddress = await listen(httpServer, options.httpPort ?? 0, host);
    const httpsAddress = await listen(httpsServer, options.httpsPort ?? 0, host);
    const port = options.publicHttpsPort ?? httpsAddress.port;
    loginHostPort = port === 443 ? publicHost : `${urlHost(publicHost)}:${port}`;
    return {
      http: { host, port: httpAddress.port, url: `http://${urlHost(host)}:${httpAddress.port}` },
      https: { host, port: httpsAddress.port, url: `https://${urlHost(host)}:${httpsAddress.port}` },
      loginHostPort,
      certificates,
      handler,
      close: async () => {
        await Promise.all([closeServer(httpServer), closeServer(httpsServer)]);
      },
    };
  } catch (error) {
    await Promise.all([closeServer(httpServer), closeServer(httpsServer)]);
    throw error;
  }
}
