// Builds RST.srf answers: a RequestSecurityTokenResponseCollection with one response per requested
// token, in the client's order, named by the number of the request's `RST<n>` Id:
//   http://Passport.NET/tb           -> EncryptedData Id="BinaryDAToken<n>" (urn:passport:legacy)
//   policy starting with '?' (TWN)   -> BinarySecurityToken Id="PPToken<n>" (urn:passport:legacy)
//   anything else (MBI_KEY_OLD, MBI) -> BinarySecurityToken Id="Compact<n>" (urn:passport:compact)
// libpurple skips the first response and takes the number after the 7-character prefix
// ("Compact"/"PPToken") minus one as the index of its own request list (RST1 -> index 0), so the
// number must be the request's, not the response's position.
import type { Account } from '../account-types.ts';
import type { IssuedTicket, TicketStore } from '../tickets.ts';
import type { RstTokenRequest } from './rst-request.ts';
import { xmlEscape } from './xml.ts';

const NS = {
  S: 'http://schemas.xmlsoap.org/soap/envelope/',
  wst: 'http://schemas.xmlsoap.org/ws/2004/04/trust',
  wsse: 'http://schemas.xmlsoap.org/ws/2003/06/secext',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  wsp: 'http://schemas.xmlsoap.org/ws/2002/12/policy',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/03/addressing',
  psf: 'http://schemas.microsoft.com/Passport/SoapServices/SOAPFault',
  saml: 'urn:oasis:names:tc:SAML:1.0:assertion',
};

export type RstTokenKind = 'da' | 'legacy' | 'compact';

export interface RstIssuedToken {
  request: RstTokenRequest;
  kind: RstTokenKind;
  /** The wsu/wsse Id in the answer: BinaryDAToken<n>, PPToken<n> or Compact<n>. */
  wsId: string;
  issued: IssuedTicket;
}

/** PUID (upper-case hex of the member id) and CID (16 hex digits of the account GUID). */
export function passportIds(account: Pick<Account, 'memberId' | 'guid'>): { puid: string; cid: string } {
  const puid = BigInt(account.memberId).toString(16).toUpperCase().padStart(16, '0');
  const cid = account.guid.replaceAll('-', '').slice(0, 16).toLowerCase();
  return { puid, cid };
}

export function tokenKind(request: RstTokenRequest): RstTokenKind {
  if (request.address.toLowerCase() === 'http://passport.net/tb') return 'da';
  return request.policy !== null && request.policy.startsWith('?') ? 'legacy' : 'compact';
}

export function issueRstTokens(handle: string, requests: readonly RstTokenRequest[], tickets: TicketStore): RstIssuedToken[] {
  return requests.map((request) => {
    const kind = tokenKind(request);
    const prefix = kind === 'da' ? 'BinaryDAToken' : kind === 'legacy' ? 'PPToken' : 'Compact';
    return { request, kind, wsId: `${prefix}${request.index}`, issued: tickets.issue(handle, { service: request.address }) };
  });
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function ppHeader(now: number, fields: string): string {
  return `<S:Header><psf:pp xmlns:psf="${NS.psf}"><psf:serverVersion>1</psf:serverVersion>${fields}`
    + `<psf:serverInfo Path="Live1" RollingUpgradeState="ExclusiveNew" LocVersion="0" ServerTime="${iso(now)}">MSN-GATEWAY-INSPECTOR</psf:serverInfo>`
    + '<psf:cookies/><psf:response/></psf:pp></S:Header>';
}

function tokenResponse(token: RstIssuedToken): string {
  const { issued, kind, wsId, request } = token;
  const tokenType = kind === 'compact' ? 'urn:passport:compact' : 'urn:passport:legacy';
  const keyType = kind === 'compact' ? 'urn:passport:compact' : 'urn:passport';
  const requested = kind === 'da'
    // The DA token is opaque to messenger clients; they only need it present and well-formed.
    ? `<EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#" Id="${wsId}" Type="http://www.w3.org/2001/04/xmlenc#Element">`
      + '<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#tripledes-cbc"></EncryptionMethod>'
      + '<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:KeyName>http://Passport.NET/STS</ds:KeyName></ds:KeyInfo>'
      + `<CipherData><CipherValue>${xmlEscape(issued.token)}</CipherValue></CipherData></EncryptedData>`
    : `<wsse:BinarySecurityToken Id="${wsId}">${xmlEscape(issued.ticket)}</wsse:BinarySecurityToken>`;
  const proof = kind === 'legacy' ? '' : `<wst:RequestedProofToken><wst:BinarySecret>${issued.binarySecret}</wst:BinarySecret></wst:RequestedProofToken>`;
  return '<wst:RequestSecurityTokenResponse>'
    + `<wst:TokenType>${tokenType}</wst:TokenType>`
    + `<wsp:AppliesTo xmlns:wsa="${NS.wsa}"><wsa:EndpointReference><wsa:Address>${xmlEscape(request.address)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>`
    + `<wst:LifeTime><wsu:Created>${iso(issued.issuedAt)}</wsu:Created><wsu:Expires>${iso(issued.expiresAt)}</wsu:Expires></wst:LifeTime>`
    + `<wst:RequestedSecurityToken>${requested}</wst:RequestedSecurityToken>`
    + `<wst:RequestedTokenReference><wsse:KeyIdentifier ValueType="${keyType}"></wsse:KeyIdentifier><wsse:Reference URI="#${wsId}"></wsse:Reference></wst:RequestedTokenReference>`
    + proof
    + '</wst:RequestSecurityTokenResponse>';
}

export function buildRstSuccess(account: Account, tokens: readonly RstIssuedToken[], now: number): string {
  const { puid, cid } = passportIds(account);
  const header = ppHeader(now, `<psf:PUID>${puid}</psf:PUID><psf:configVersion>16.000.26889.00</psf:configVersion>`
    + '<psf:uiVersion>3.100.2179.0</psf:uiVersion><psf:authstate>0x48803</psf:authstate><psf:reqstatus>0x0</psf:reqstatus>'
    + `<psf:credProperties><psf:credProperty Name="CID">${cid}</psf:credProperty>`
    + `<psf:credProperty Name="AuthMembername">${xmlEscape(account.handle)}</psf:credProperty></psf:credProperties>`);
  return `<?xml version="1.0" encoding="utf-8" ?><S:Envelope xmlns:S="${NS.S}">${header}<S:Body>`
    + `<wst:RequestSecurityTokenResponseCollection xmlns:S="${NS.S}" xmlns:wst="${NS.wst}" xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" xmlns:saml="${NS.saml}" xmlns:wsp="${NS.wsp}" xmlns:psf="${NS.psf}">`
    + tokens.map(tokenResponse).join('')
    + '</wst:RequestSecurityTokenResponseCollection></S:Body></S:Envelope>';
}

/** A SOAP fault; `wsse:FailedAuthentication` for wrong credentials, `S:Client` for unusable requests. */
export function buildRstFault(faultcode: string, faultstring: string, now: number): string {
  // authstate/reqstatus are the values real Passport put beside a failed sign-in.
  const header = ppHeader(now, '<psf:authstate>0x80048800</psf:authstate><psf:reqstatus>0x80048823</psf:reqstatus>');
  return `<?xml version="1.0" encoding="utf-8" ?><S:Envelope xmlns:S="${NS.S}" xmlns:wsse="${NS.wsse}" xmlns:psf="${NS.psf}">`
    + `${header}<S:Body><S:Fault><faultcode>${xmlEscape(faultcode)}</faultcode><faultstring>${xmlEscape(faultstring)}</faultstring></S:Fault></S:Body></S:Envelope>`;
}
