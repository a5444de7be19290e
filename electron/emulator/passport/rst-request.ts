// Reads a WS-Trust RequestMultipleSecurityTokens envelope (RST.srf, MSNP13+ SSO): the credentials
// from wsse:UsernameToken and, in the client's order, each RequestSecurityToken's Id, service
// address and policy. The Id number matters: clients find each answer by the number in it.
import { child, descendants, parseXml, path, XmlError } from './xml.ts';
import type { XmlElement } from './xml.ts';

export interface RstTokenRequest {
  /** Number taken from the request's `Id="RST<n>"`; the position when the Id is missing or odd. */
  index: number;
  /** The Id as sent ('' when absent). */
  id: string;
  /** wsa:Address, e.g. `http://Passport.NET/tb`, `messengerclear.live.com`. */
  address: string;
  /** wsse:PolicyReference URI, e.g. `MBI_KEY_OLD`, `MBI`, `?id=507`; null when absent. */
  policy: string | null;
}

export interface RstRequest {
  username: string;
  password: string;
  tokens: RstTokenRequest[];
}

export const MAX_RST_TOKENS = 32;

export class RstRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RstRequestError';
  }
}

export function parseRstRequest(body: string): RstRequest {
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (error) {
    if (error instanceof XmlError) throw new RstRequestError(`malformed XML: ${error.message}`);
    throw error;
  }
  if (root.name !== 'Envelope') throw new RstRequestError(`root element is <${root.qname}>, not a SOAP Envelope`);
  const usernameToken = path(root, 'Header', 'Security', 'UsernameToken');
  const username = child(usernameToken, 'Username')?.text.trim();
  const password = child(usernameToken, 'Password')?.text;
  if (username === undefined || password === undefined) {
    throw new RstRequestError('no wsse:UsernameToken with Username and Password in the Header');
  }
  const body_ = child(root, 'Body');
  if (body_ === null) throw new RstRequestError('no SOAP Body');
  const rsts = descendants(body_, 'RequestSecurityToken');
  if (rsts.length === 0) throw new RstRequestError('no RequestSecurityToken in the Body');
  if (rsts.length > MAX_RST_TOKENS) throw new RstRequestError(`more than ${MAX_RST_TOKENS} RequestSecurityToken elements`);
  const tokens = rsts.map((rst, position): RstTokenRequest => {
    const id = rst.attrs.Id ?? '';
    const numbered = /^RST(\d{1,4})$/i.exec(id);
    const address = path(rst, 'AppliesTo', 'EndpointReference', 'Address')?.text.trim() ?? '';
    if (address === '') throw new RstRequestError(`RequestSecurityToken ${id || `#${position}`} has no AppliesTo address`);
    const policyElement = descendants(rst, 'PolicyReference')[0];
    return {
      index: numbered === null ? position : Number(numbered[1]),
      id,
      address,
      policy: policyElement?.attrs.URI ?? null,
    };
  });
  return { username, password, tokens };
}
