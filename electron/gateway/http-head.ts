// Response heads written byte for byte, and the request head rebuilt as received.
// libpurple matches `HTTP/1.1 200 OK` exactly; Kopete and Miranda parse X-MSN-Messenger by
// position (SessionID first, `; ` separator, no trailing `;`); several clients need
// Content-Length and keep-alive. So nothing here is left to Node's defaults.
import type { IncomingMessage } from 'node:http';

export const MSN_CONTENT_TYPE = 'application/x-msn-messenger';

export interface ResponseHead {
  status: number;
  reason: string;
  /** Flat name/value list in wire order, as `res.writeHead` accepts it. */
  headers: string[];
}

export function messengerHeaderValue(sessionId: string, gwIp: string, close: boolean): string {
  return `SessionID=${sessionId}; GW-IP=${gwIp}${close ? '; Session=close' : ''}`;
}

export function okHead(opts: { sessionId: string; gwIp: string; close: boolean; contentLength: number; keepAlive: boolean }): ResponseHead {
  return {
    status: 200,
    reason: 'OK',
    headers: [
      'X-MSN-Messenger', messengerHeaderValue(opts.sessionId, opts.gwIp, opts.close),
      'Content-Type', MSN_CONTENT_TYPE,
      'Content-Length', String(opts.contentLength),
      'Connection', opts.keepAlive ? 'keep-alive' : 'close',
    ],
  };
}

export const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function errorHead(status: number, keepAlive: boolean, extra: string[] = []): ResponseHead {
  return {
    status,
    reason: REASON_PHRASES[status] ?? 'Error',
    headers: [...extra, 'Content-Length', '0', 'Connection', keepAlive ? 'keep-alive' : 'close'],
  };
}

export function serializeHead(head: ResponseHead): string {
  let s = `HTTP/1.1 ${head.status} ${head.reason}\r\n`;
  for (let i = 0; i < head.headers.length; i += 2) s += `${head.headers[i]}: ${head.headers[i + 1]}\r\n`;
  return s + '\r\n';
}

/**
 * The request line and headers as the client sent them (names keep their case and order;
 * Node has already unfolded and trimmed values, which is close enough for display).
 */
export function rawRequestHead(req: IncomingMessage): Uint8Array {
  let s = `${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) s += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return Buffer.from(s + '\r\n', 'latin1');
}

/** The local address the client reached us at, IPv4-mapped prefix removed. */
export function localGwIp(req: IncomingMessage): string {
  const a = req.socket.localAddress ?? '127.0.0.1';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

export function clientAddressOf(req: IncomingMessage): { address: string; port: number } {
  const a = req.socket.remoteAddress ?? '';
  return { address: a.startsWith('::ffff:') ? a.slice(7) : a, port: req.socket.remotePort ?? 0 };
}
