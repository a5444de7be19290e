// Who may talk to the inspector's UI listener. The API can inject commands into live sessions and
// read every captured secret, so a page on another origin (or a DNS-rebound name that points at
// loopback) must never reach it: every request needs a Host naming this listener, and the
// WebSocket upgrade also needs the per-run token and, from browsers, our own Origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** 32 random bytes, base64url: 43 characters, safe in a URL fragment and a query. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; a missing or differently sized token is simply wrong. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `host:port` as it appears in a URL and a Host header (IPv6 in brackets). */
export function authority(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Splits a Host header value into a lower-case name (brackets removed) and a port. */
export function parseHostHeader(value: string): { name: string; port: number } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]\s]+):(\d{1,5})$/i.exec(value.trim());
  if (!m) return null;
  const name = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return { name: name.toLowerCase(), port: Number(m[2]) };
}

/**
 * A Host is ours when it names our port and either `localhost`, the address we bound, or (for a
 * wildcard bind) any IP literal. Any other name could be a rebinding domain, so it is refused: an
 * attacker controls what a name resolves to, never what an IP literal means.
 */
export function hostAllowed(value: string | undefined, boundHost: string, port: number): boolean {
  if (value === undefined) return false;
  const parsed = parseHostHeader(value);
  if (parsed === null || parsed.port !== port) return false;
  if (parsed.name === 'localhost') return true;
  if (parsed.name === boundHost.toLowerCase()) return true;
  return isWildcard(boundHost) && isIP(parsed.name) !== 0;
}

/**
 * Browsers always send Origin on a WebSocket upgrade; it must be exactly our own page's origin
 * (scheme http, a Host we accept). Tools without a browser send none: the token alone admits them.
 */
export function originAllowed(origin: string | undefined, boundHost: string, port: number): boolean {
  if (origin === undefined) return true;
  const m = /^http:\/\/(.+)$/.exec(origin);
  if (!m) return false;
  return hostAllowed(m[1], boundHost, port);
}

/** Headers on everything the UI listener serves. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  // The token lives in the fragment, which browsers never send; no-referrer keeps the rest private too.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The page's policy: only our own scripts, and sockets only to this listener under the name the
 * page was loaded from. Inline styles stay allowed because React sets style attributes.
 */
export function contentSecurityPolicy(hostHeader: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://${hostHeader}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
