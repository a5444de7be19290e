// Passport 1.4 ("Tweener", MSNP8-14): the nexus header and the login2.srf Authorization header.

export interface PassportUrlsOptions {
  /** host[:port] where login2.srf is served over HTTPS, e.g. `login.passport.com` or `127.0.0.1:8443`. */
  loginHostPort: string;
}

/**
 * The nexus answer. DALogin is host/path WITHOUT a scheme: real clients prepend `https://`
 * themselves (a `https://...` value, as Escargot sends, produces `https://https://...`).
 */
export function passportUrlsHeader({ loginHostPort }: PassportUrlsOptions): string {
  const base = `https://${loginHostPort}`;
  return [
    'DARealm=Passport.Net',
    `DALogin=${loginHostPort}/login2.srf`,
    `DAReg=${base}/register`,
    `Properties=${base}/properties`,
    `Privacy=${base}/privacy`,
    `GeneralRedir=${base}/redirect`,
    `Help=${base}/help`,
    'ConfigVersion=11',
  ].join(',');
}

export interface PassportCredentials {
  signIn: string;
  password: string;
  /** Every field as sent (URL-decoded where possible), e.g. lc, id, ru, ct, OrgURL. */
  fields: Record<string, string>;
}

export const MAX_AUTHORIZATION_LENGTH = 8192;

function decodeField(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A client that did not URL-encode a literal '%' in the password: keep its bytes.
    return value;
  }
}

/**
 * Parses `Authorization: Passport1.4 OrgVerb=GET,OrgURL=...,sign-in=<enc>,pwd=<enc>,...`.
 * Returns null when the header is missing the scheme, sign-in or pwd. Fields split at a comma
 * followed by `name=`, so a password that contains a raw comma still survives.
 */
export function parsePassportAuthorization(header: string | undefined): PassportCredentials | null {
  if (typeof header !== 'string' || header.length > MAX_AUTHORIZATION_LENGTH) return null;
  const match = /^\s*Passport1\.4\s+(.*)$/is.exec(header);
  if (match === null) return null;
  const fields: Record<string, string> = {};
  for (const part of match[1].split(/,(?=\s*[A-Za-z][A-Za-z0-9_-]*=)/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in fields)) fields[name] = decodeField(part.slice(eq + 1));
  }
  const signIn = fields['sign-in'];
  const password = fields.pwd;
  if (signIn === undefined || signIn === '' || password === undefined) return null;
  return { signIn, password, fields };
}

const DEFAULT_RU = 'http://messenger.msn.com';

/** Success: the ticket goes in from-PP, quoted. `ru` echoes the client's return URL when it is tame. */
export function authenticationInfoHeader(ticket: string, ru: string | undefined): string {
  const safeRu = ru !== undefined && /^https?:\/\/[^\s,'"]{1,200}$/.test(ru) ? ru : DEFAULT_RU;
  return `Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,from-PP='${ticket}',ru=${safeRu}`;
}

/** Failure challenge for 401 answers (wrong credentials or no Authorization at all). */
export function wwwAuthenticateFailed(): string {
  return 'Passport1.4 da-status=failed,srealm=Passport.NET,ts=-3,prompt';
}
