// The client side of the Passport legs, done the way old clients do them over HTTPS, trusting the
// emulator's generated CA (nothing is switched off: a wrong certificate would fail the request).
//   TWN (MSNP8-12): GET the nexus, read DALogin (host/path, no scheme) from PassportURLs, GET
//   login2.srf with `Authorization: Passport1.4 ...`, take from-PP out of Authentication-Info.
//   RST (MSNP12 TWN and MSNP15 SSO): POST a WS-Trust envelope to RST.srf and pick tokens out of
//   the SOAP answer by the requested address, as libpurple and MSNPSharp do.
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface PassportTarget {
  /** HTTPS listener of the emulator's Passport, e.g. { host: '127.0.0.1', port: 49152 }. */
  host: string;
  port: number;
  /** The generated CA certificate (PEM) the client trusts. */
  ca: string;
}

export interface HttpsReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function httpsCall(
  target: { host: string; port: number; ca: string; servername?: string },
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        method,
        path,
        ca: target.ca,
        servername: target.servername,
        agent: false,
        headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface TwnLogin {
  /** DALogin as the nexus announced it (host:port/path, no scheme). */
  daLogin: string;
  authenticationInfo: string;
  /** The from-PP value: what goes into `USR t TWN S`. */
  ticket: string;
}

/** Nexus + login2.srf for `USR t TWN S <challenge>`; throws with the server's answer when it fails. */
export async function twnViaNexus(pp: PassportTarget, handle: string, password: string, challenge: string): Promise<TwnLogin> {
  // The nexus is named nexus.passport.com by clients; the certificate must carry that name.
  const nexus = await httpsCall({ ...pp, servername: 'nexus.passport.com' }, 'GET', '/rdr/pprdr.asp');
  if (nexus.status !== 200) throw new Error(`nexus answered ${nexus.status}`);
  const urls = String(nexus.headers.passporturls ?? '');
  const daLogin = urls.split(',').find((f) => f.startsWith('DALogin='))?.slice('DALogin='.length);
  if (daLogin === undefined) throw new Error(`no DALogin in PassportURLs: ${urls}`);
  // Clients put https:// in front of DALogin themselves.
  const url = new URL(`https://${daLogin}`);
  const auth = `Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=${encodeURIComponent(handle)},pwd=${encodeURIComponent(password)},${challenge}`;
  const login = await httpsCall({ host: url.hostname, port: Number(url.port || 443), ca: pp.ca }, 'GET', url.pathname, { Authorization: auth });
  const info = String(login.headers['authentication-info'] ?? '');
  const ticket = /from-PP='([^']*)'/.exec(info)?.[1];
  if (login.status !== 200 || ticket === undefined) {
    throw new Error(`login2.srf answered ${login.status}: ${info || String(login.headers['www-authenticate'] ?? '')}`);
  }
  return { daLogin, authenticationInfo: info, ticket };
}

export interface RstTokenRequest {
  address: string;
  policy?: string;
}

export interface RstToken {
  /** The `Id` of the BinarySecurityToken (or EncryptedData), e.g. Compact1. */
  id: string;
  address: string;
  /** The token text, XML entities decoded (`t=...&p=...`). */
  token: string;
  binarySecret: string | null;
}

const xmlEscape = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
const xmlUnescape = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (e[0] !== '#') return named[e.toLowerCase()];
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });

/** The RequestMultipleSecurityTokens envelope MSNP15-era clients post (RST0 is Passport.NET/tb). */
export function rstEnvelope(handle: string, password: string, tokens: RstTokenRequest[]): string {
  const all: RstTokenRequest[] = [{ address: 'http://Passport.NET/tb' }, ...tokens];
  const requests = all
    .map((t, i) =>
      `<wst:RequestSecurityToken Id="RST${i}">`
      + '<wst:RequestType>http://schemas.xmlsoap.org/ws/2004/04/security/trust/Issue</wst:RequestType>'
      + `<wsp:AppliesTo><wsa:EndpointReference><wsa:Address>${xmlEscape(t.address)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>`
      + (t.policy === undefined ? '' : `<wsse:PolicyReference URI="${xmlEscape(t.policy)}"></wsse:PolicyReference>`)
      + '</wst:RequestSecurityToken>')
    .join('');
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + '<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://schemas.xmlsoap.org/ws/2003/06/secext"'
    + ' xmlns:wsp="http://schemas.xmlsoap.org/ws/2002/12/policy" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/03/addressing"'
    + ' xmlns:wst="http://schemas.xmlsoap.org/ws/2004/04/trust">'
    + '<Header><wsse:Security><wsse:UsernameToken Id="user">'
    + `<wsse:Username>${xmlEscape(handle)}</wsse:Username><wsse:Password>${xmlEscape(password)}</wsse:Password>`
    + '</wsse:UsernameToken></wsse:Security></Header>'
    + `<Body><ps:RequestMultipleSecurityTokens xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" Id="RSTS">${requests}</ps:RequestMultipleSecurityTokens></Body>`
    + '</Envelope>';
}

/**
 * Reads a RequestSecurityTokenResponseCollection the way clients do: one response per
 * requested token, each with its address, the token element's Id and text, and the proof key.
 */
export function parseRstResponse(xml: string): RstToken[] {
  const out: RstToken[] = [];
  const responses = xml.match(/<(?:\w+:)?RequestSecurityTokenResponse>[\s\S]*?<\/(?:\w+:)?RequestSecurityTokenResponse>/g) ?? [];
  for (const r of responses) {
    const address = /<(?:\w+:)?Address>([^<]*)<\/(?:\w+:)?Address>/.exec(r)?.[1];
    const bst = /<(?:\w+:)?BinarySecurityToken Id="([^"]+)">([^<]*)<\/(?:\w+:)?BinarySecurityToken>/.exec(r);
    const enc = /<EncryptedData[^>]* Id="([^"]+)"[\s\S]*?<CipherValue>([^<]*)<\/CipherValue>/.exec(r);
    const secret = /<(?:\w+:)?BinarySecret>([^<]*)<\/(?:\w+:)?BinarySecret>/.exec(r)?.[1];
    const token = bst ?? enc;
    if (address === undefined || token === null) throw new Error(`unreadable token response: ${r.slice(0, 200)}`);
    out.push({ id: token[1], address: xmlUnescape(address), token: xmlUnescape(token[2]), binarySecret: secret === undefined ? null : xmlUnescape(secret) });
  }
  return out;
}

/** POSTs the envelope to RST.srf; returns the tokens, or throws with the SOAP fault. */
export async function requestRstTokens(pp: PassportTarget, handle: string, password: string, tokens: RstTokenRequest[]): Promise<RstToken[]> {
  const reply = await httpsCall({ ...pp, servername: 'login.live.com' }, 'POST', '/RST.srf', { 'Content-Type': 'application/soap+xml' }, rstEnvelope(handle, password, tokens));
  if (reply.status !== 200 || reply.body.includes(':Fault>')) {
    // Clients read the fault out of the body (the authentication fault comes with HTTP 200).
    const code = /<faultcode>([^<]*)<\/faultcode>/.exec(reply.body)?.[1];
    const text = /<faultstring>([^<]*)<\/faultstring>/.exec(reply.body)?.[1];
    throw new Error(`RST.srf answered ${reply.status}, fault ${code ?? '(none)'}: ${text ?? reply.body.slice(0, 200)}`);
  }
  return parseRstResponse(reply.body);
}
