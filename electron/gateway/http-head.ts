// Response heads written byte for byte.
// libpurple matches `HTTP/1.1 200 OK` exactly; Kopete and Miranda parse X-MSN-Messenger by
// position (SessionID first, `; ` separator, no trailing `;`); several clients need
// Content-Length and keep-alive. So nothing here is left to Node's defaults.

export const MSN_CONTENT_TYPE = 'application/x-msn-messenger';

export interface ResponseHead {
  status: number;
  reason: string;
  /** What the Connection header says: may the connection carry another request. */
  keepAlive: boolean;
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
    keepAlive: opts.keepAlive,
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
  408: 'Request Timeout',
  413: 'Payload Too Large',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};

export function errorHead(status: number, keepAlive: boolean, extra: string[] = []): ResponseHead {
  return {
    status,
    reason: REASON_PHRASES[status] ?? 'Error',
    keepAlive,
    headers: [...extra, 'Content-Length', '0', 'Connection', keepAlive ? 'keep-alive' : 'close'],
  };
}

export function serializeHead(head: ResponseHead): string {
  let s = `HTTP/1.1 ${head.status} ${head.reason}\r\n`;
  for (let i = 0; i < head.headers.length; i += 2) s += `${head.headers[i]}: ${head.headers[i + 1]}\r\n`;
  return s + '\r\n';
}
