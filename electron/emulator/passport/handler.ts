// One request handler for every Passport endpoint, usable as the whole handler of a node:http or
// node:https server or mounted inside another server's handler (it returns false for paths that
// are not its own, without touching the response).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountStore } from '../accounts.ts';
import type { TicketStore } from '../tickets.ts';
import { parseRstRequest, RstRequestError } from './rst-request.ts';
import { buildRstFault, buildRstSuccess, issueRstTokens } from './rst-response.ts';
import {
  authenticationInfoHeader, parsePassportAuthorization, passportUrlsHeader, wwwAuthenticateFailed,
} from './tweener.ts';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 15_000;

/** What happened, for the inspector's log. Never carries a password or a ticket. */
export interface PassportEvent {
  endpoint: 'nexus' | 'login2' | 'rst';
  status: number;
  /** The sign-in name as sent, when there was one. */
  handle?: string;
  outcome: 'ok' | 'bad-credentials' | 'bad-request' | 'too-large' | 'timeout' | 'method-not-allowed';
  /** For RST: the Ids of the tokens answered, e.g. ['BinaryDAToken0', 'Compact1']. */
  tokens?: string[];
  detail?: string;
}

export interface PassportHandlerOptions {
  accounts: AccountStore;
  tickets: TicketStore;
  /** host[:port] clients reach login2.srf on over HTTPS; a function so an ephemeral port can be filled in later. */
  loginHostPort: string | (() => string);
  maxBodyBytes?: number;
  bodyTimeoutMs?: number;
  now?: () => number;
  onEvent?: (event: PassportEvent) => void;
}

/** Returns true when the request was a Passport request (and has been or will be answered). */
export type PassportHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

type Endpoint = 'nexus' | 'login2' | 'rst';

/** Paths served, lower-case. `/login` is Escargot's name for login2.srf, kept for clients patched to it. */
const ROUTES: Record<string, Endpoint> = {
  '/rdr/pprdr.asp': 'nexus',
  '/login2.srf': 'login2',
  '/login': 'login2',
  '/rst.srf': 'rst',
  '/rst2.srf': 'rst',
};

export function passportEndpointFor(url: string | undefined): Endpoint | null {
  if (typeof url !== 'string') return null;
  let pathname: string;
  try {
    // Absolute-form request lines (through a proxy) carry the whole URL; only the path matters.
    pathname = new URL(url, 'http://passport.invalid').pathname;
  } catch {
    return null;
  }
  return ROUTES[pathname.toLowerCase()] ?? null;
}

export function createPassportHandler(options: PassportHandlerOptions): PassportHandler {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyTimeout = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const loginHostPort = () => (typeof options.loginHostPort === 'function' ? options.loginHostPort() : options.loginHostPort);
  const emit = (event: PassportEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // The log is a bystander; a failing listener must not break the login.
    }
  };

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body = '') => {
    if (res.headersSent || res.writableEnded) return;
    const bytes = Buffer.from(body, 'utf8');
    res.writeHead(status, { 'Cache-Control': 'no-cache', 'Content-Length': String(bytes.length), ...headers });
    res.end(bytes);
  };

  const nexus = (req: IncomingMessage, res: ServerResponse) => {
    send(res, 200, { PassportURLs: passportUrlsHeader({ loginHostPort: loginHostPort() }), 'Content-Type': 'text/html' });
    emit({ endpoint: 'nexus', status: 200, outcome: 'ok' });
    req.resume();
  };

  const login2 = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const header = req.headers.authorization;
    if (header === undefined) {
      send(res, 401, { 'WWW-Authenticate': wwwAuthenticateFailed(), 'Content-Type': 'text/html' });
      emit({ endpoint: 'login2', status: 401, outcome: 'bad-request', detail: 'no Authorization header' });
      return;
    }
    const credentials = parsePassportAuthorization(header);
    if (credentials === null) {
      send(res, 400, { 'Content-Type': 'text/plain' }, 'Authorization must be "Passport1.4 ...,sign-in=<e-mail>,pwd=<password>,..."\n');
      emit({ endpoint: 'login2', status: 400, outcome: 'bad-request', detail: 'garbled Authorization header' });
      return;
    }
    const account = options.accounts.authenticate(credentials.signIn, credentials.password);
    if (account === null) {
      send(res, 401, { 'WWW-Authenticate': wwwAuthenticateFailed(), 'Content-Type': 'text/html' });
      emit({ endpoint: 'login2', status: 401, handle: credentials.signIn, outcome: 'bad-credentials' });
      return;
    }
    const issued = options.tickets.issue(account.handle, { service: 'messenger' });
    send(res, 200, { 'Authentication-Info': authenticationInfoHeader(issued.ticket, credentials.fields.ru), 'Content-Type': 'text/html' });
    emit({ endpoint: 'login2', status: 200, handle: account.handle, outcome: 'ok' });
  };

  const rst = (req: IncomingMessage, res: ServerResponse) => {
    const xml = { 'Content-Type': 'text/xml; charset=utf-8' };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) {
      tooLarge(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      send(res, 408, { Connection: 'close', ...xml }, buildRstFault('S:Client', 'Request body not received in time', now()));
      emit({ endpoint: 'rst', status: 408, outcome: 'timeout' });
      req.destroy();
    }, bodyTimeout);
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBody) {
        done = true;
        clearTimeout(timer);
        tooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    const abandon = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
    };
    req.on('error', abandon);
    req.on('close', abandon);
    req.on('end', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        answerRst(Buffer.concat(chunks).toString('utf8'), res);
      } catch (error) {
        send(res, 500, { 'Content-Type': 'text/plain' }, 'Internal error\n');
        emit({ endpoint: 'rst', status: 500, outcome: 'bad-request', detail: (error as Error).message });
      }
    });
  };

  const tooLarge = (req: IncomingMessage, res: ServerResponse) => {
    send(res, 413, { Connection: 'close', 'Content-Type': 'text/plain' }, `Request body larger than ${maxBody} bytes\n`);
    emit({ endpoint: 'rst', status: 413, outcome: 'too-large' });
    // Keep reading (and dropping) so the 413 reaches the client before the connection closes.
    req.resume();
  };

  const answerRst = (body: string, res: ServerResponse) => {
    const xml = { 'Content-Type': 'text/xml; charset=utf-8' };
    let request;
    try {
      request = parseRstRequest(body);
    } catch (error) {
      if (!(error instanceof RstRequestError)) throw error;
      send(res, 400, xml, buildRstFault('S:Client', error.message, now()));
      emit({ endpoint: 'rst', status: 400, outcome: 'bad-request', detail: error.message });
      return;
    }
    const account = options.accounts.authenticate(request.username, request.password);
    if (account === null) {
      // HTTP 200 with the fault, as the Passport revival servers answer; clients read the body.
      send(res, 200, xml, buildRstFault('wsse:FailedAuthentication', 'Authentication Failure', now()));
      emit({ endpoint: 'rst', status: 200, handle: request.username, outcome: 'bad-credentials' });
      return;
    }
    const tokens = issueRstTokens(account.handle, request.tokens, options.tickets);
    send(res, 200, xml, buildRstSuccess(account, tokens, now()));
    emit({ endpoint: 'rst', status: 200, handle: account.handle, outcome: 'ok', tokens: tokens.map((t) => t.wsId) });
  };

  const allowed: Record<Endpoint, string[]> = { nexus: ['GET', 'HEAD'], login2: ['GET', 'HEAD'], rst: ['POST'] };
  const serve: Record<Endpoint, (req: IncomingMessage, res: ServerResponse) => void> = { nexus, login2, rst };

  return (req, res) => {
    const endpoint = passportEndpointFor(req.url);
    if (endpoint === null) return false;
    if (!allowed[endpoint].includes(req.method ?? '')) {
      req.resume();
      send(res, 405, { Allow: allowed[endpoint].join(', '), 'Content-Type': 'text/plain' }, 'Method not allowed\n');
      emit({ endpoint, status: 405, outcome: 'method-not-allowed' });
      return true;
    }
    try {
      serve[endpoint](req, res);
    } catch (error) {
      // Nothing above should throw; if it does, the client still gets an answer and the server lives.
      send(res, 500, { 'Content-Type': 'text/plain' }, 'Internal error\n');
      emit({ endpoint, status: 500, outcome: 'bad-request', detail: (error as Error).message });
    }
    return true;
  };
}
