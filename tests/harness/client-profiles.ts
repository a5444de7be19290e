// How each legacy client writes its gateway requests (request line form, query, headers in the
// client's order), from the protocol notes' section 2. Pure request building, no sockets.
import { buildRequest, type HeaderList } from './http-client.ts';

export type ClientProfileName = 'msn-official' | 'libpurple' | 'amsn' | 'bitlbee' | 'msnpsharp' | 'kopete';

export const CLIENT_PROFILES: readonly ClientProfileName[] = ['msn-official', 'libpurple', 'amsn', 'bitlbee', 'msnpsharp', 'kopete'];

export type RequestKind = 'open' | 'data' | 'poll';

export interface RequestContext {
  kind: RequestKind;
  server: 'NS' | 'SB';
  /** `IP=` value of the open. */
  ip: string;
  /** Latest SessionID (null before the open). */
  sessionId: string | null;
  /** Host the client names: the gateway name for the open, then GW-IP (or X-MSN-Host for BitlBee). */
  host: string;
  body: Uint8Array;
}

interface ProfileSpec {
  absoluteForm: boolean;
  query(ctx: RequestContext): string;
  headers(ctx: RequestContext): HeaderList;
}

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 6.1) AppleWebKit/535.11 (KHTML, like Gecko) Chrome/17.0.963.65 Safari/535.11';

const standardQuery = (ctx: RequestContext): string => {
  if (ctx.kind === 'open') return `Action=open&Server=${ctx.server}&IP=${ctx.ip}`;
  if (ctx.kind === 'poll') return `Action=poll&SessionID=${ctx.sessionId}`;
  return `SessionID=${ctx.sessionId}`;
};

const len = (ctx: RequestContext): [string, string] => ['Content-Length', String(ctx.body.length)];

const PROFILES: Record<ClientProfileName, ProfileSpec> = {
  // Vector A (the 2003 capture), header for header.
  'msn-official': {
    absoluteForm: true,
    query: standardQuery,
    headers: (ctx) => [
      ['Accept', '*/*'],
      ['Accept-Language', 'en-us'],
      ['Accept-Encoding', 'gzip, deflate'],
      ['User-Agent', 'MSMSGS'],
      ['Host', ctx.host],
      ['Proxy-Connection', 'Keep-Alive'],
      ['Connection', 'Keep-Alive'],
      ['Pragma', 'no-cache'],
      ['Content-Type', 'application/x-msn-messenger'],
      len(ctx),
    ],
  },
  // httpconn.c 2.10.11: always absolute-form, Host follows GW-IP.
  libpurple: {
    absoluteForm: true,
    query: standardQuery,
    headers: (ctx) => [
      ['Accept', '*/*'],
      ['Accept-Language', 'en-us'],
      ['User-Agent', 'MSMSGS'],
      ['Host', ctx.host],
      ['Proxy-Connection', 'Keep-Alive'],
      ['Connection', 'Keep-Alive'],
      ['Pragma', 'no-cache'],
      ['Content-Type', 'application/x-msn-messenger'],
      len(ctx),
    ],
  },
  // proxy.tcl, direct connection: origin-form, Content-Length early, text/xml.
  amsn: {
    absoluteForm: false,
    query: standardQuery,
    headers: (ctx) => [
      ['Accept', '*/*'],
      ['Content-Type', 'text/xml; charset=utf-8'],
      len(ctx),
      ['User-Agent', 'MSMSGS'],
      ['Host', ctx.host],
      ['Proxy-Connection', 'Keep-Alive'],
      ['Connection', 'Keep-Alive'],
      ['Pragma', 'no-cache'],
      ['Cache-Control', 'no-cache'],
    ],
  },
  // gw.c REQUEST_TEMPLATE: SessionID always first (empty on open), only Host and Content-Length.
  bitlbee: {
    absoluteForm: false,
    query: (ctx) => {
      const id = ctx.sessionId ?? '';
      if (ctx.kind === 'open') return `SessionID=&Action=open&Server=${ctx.server}`;
      if (ctx.kind === 'poll') return `SessionID=${id}&Action=poll&Lifespan=60`;
      return `SessionID=${id}&`;
    },
    headers: (ctx) => [['Host', ctx.host], len(ctx)],
  },
  // HEAD version ("bypass msnp blockers"): browser UA and text/html; header order as .NET writes them.
  msnpsharp: {
    absoluteForm: true,
    query: (ctx) => {
      if (ctx.kind === 'open') return `Action=open&Server=${ctx.server}&IP=${ctx.ip}`;
      if (ctx.kind === 'poll') return `Action=poll&Lifespan=3&SessionID=${ctx.sessionId}`;
      return `SessionID=${ctx.sessionId}`;
    },
    headers: (ctx) => [
      ['Content-Type', 'text/html; charset=UTF-8'],
      ['User-Agent', CHROME_UA],
      ['X-Requested-Session-Content-Type', 'text/html'],
      ['Pragma', 'no-cache'],
      ['Host', ctx.host],
      len(ctx),
      ['Accept-Encoding', 'gzip'],
      ['Connection', 'Keep-Alive'],
    ],
  },
  kopete: {
    absoluteForm: true,
    query: standardQuery,
    headers: (ctx) => [
      ['Accept', '*/*'],
      ['Accept-Language', 'en-us'],
      ['User-Agent', 'MSMSGS'],
      ['Host', ctx.host],
      ['Proxy-Connection', 'Keep-Alive'],
      ['Connection', 'Keep-Alive'],
      ['Pragma', 'no-cache'],
      ['Content-Type', 'application/x-msn-messenger'],
      len(ctx),
    ],
  },
};

export function profileRequest(profile: ClientProfileName, ctx: RequestContext): Uint8Array {
  const spec = PROFILES[profile];
  const path = `/gateway/gateway.dll?${spec.query(ctx)}`;
  return buildRequest({
    method: 'POST',
    target: spec.absoluteForm ? `http://${ctx.host}${path}` : path,
    headers: spec.headers(ctx),
    body: ctx.body,
  });
}

/** Verbs whose last argument is a payload length (both directions, MSNP2-21), for splitting. */
const PAYLOAD_VERBS = new Set([
  'MSG', 'QRY', 'UUX', 'UBX', 'ADL', 'RML', 'FQY', 'UUN', 'UBN', 'UUM', 'UBM', 'NOT', 'GCF',
  'PAG', 'IPG', 'SDG', 'PUT', 'DEL', 'SDC', 'VAS', 'NFY', 'GET',
]);

/** Splits a client byte stream into whole commands (Kopete sends one per request). */
export function splitCommands(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    let eol = -1;
    for (let i = at; i + 1 < bytes.length; i++) {
      if (bytes[i] === 13 && bytes[i + 1] === 10) {
        eol = i;
        break;
      }
    }
    if (eol < 0) {
      out.push(bytes.subarray(at));
      break;
    }
    const line = new TextDecoder().decode(bytes.subarray(at, eol));
    const tokens = line.split(' ');
    let end = eol + 2;
    const last = tokens.at(-1) ?? '';
    if (PAYLOAD_VERBS.has(tokens[0]) && tokens.length > 1 && /^\d+$/.test(last)) end += Number(last);
    out.push(bytes.subarray(at, Math.min(end, bytes.length)));
    at = end;
  }
  return out;
}
