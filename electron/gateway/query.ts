// The request target of gateway.dll: which path, and what the query asks for.
// Every client form of section 1.2 of the research notes is accepted; anything else is a
// clear 400 reason rather than a guess.
//
// Every request goes through here, so the common shapes (the gateway path, a known authority, a
// plain ASCII query) are read by hand; anything else goes to URL/URLSearchParams, whose answers
// the hand-read path must equal (query.test.ts checks the two against each other).

export const GATEWAY_PATH = '/gateway/gateway.dll';

export type GatewayRequest =
  | { action: 'open'; server: 'NS' | 'SB'; ip: string }
  | { action: 'send'; sessionId: string }
  | { action: 'poll'; sessionId: string; lifespanS: number | null }
  | { action: 'close'; sessionId: string };

export type QueryResult = { ok: true; request: GatewayRequest } | { ok: false; reason: string };

export interface ParsedTarget {
  /** True when the path is gateway.dll (case-insensitive, as IIS was). */
  isGateway: boolean;
  pathname: string;
  search: string;
}

/**
 * Accepts origin-form (`/gateway/gateway.dll?...`) and absolute-form
 * (`http://any-host/gateway/gateway.dll?...`); the authority is ignored on purpose, since clients
 * put the gateway name or GW-IP there.
 */
export function parseTarget(target: string): ParsedTarget | null {
  const fast = fastTarget(target);
  if (fast) return fast;
  let url: URL;
  try {
    url = new URL(target, 'http://gateway.invalid');
  } catch {
    return null;
  }
  const pathname = url.pathname;
  return { isGateway: pathname.toLowerCase() === GATEWAY_PATH, pathname, search: url.search };
}

/** Authorities already checked with URL (a client sends the same one or two every time). */
const authorities = new Map<string, boolean>();
const MAX_AUTHORITIES = 256;
/** The authority most recently found good; empty until then (an empty one never matches). */
let lastGoodAuthority = '';

function knownAuthority(authority: string): boolean {
  const cached = authorities.get(authority);
  if (cached !== undefined) return cached;
  // Only host[:port] characters: anything URL reads specially (`\`, `@`, `%`, controls) is left to it.
  let ok = authority.length > 0 && authority.length <= 255;
  for (let i = 0; ok && i < authority.length; i++) {
    const c = authority.charCodeAt(i);
    ok = (c >= 48 && c <= 58) || (c >= 65 && c <= 93 && c !== 92) || (c >= 97 && c <= 122) || c === 45 || c === 46;
  }
  if (ok) {
    try {
      ok = new URL(`http://${authority}/`).pathname === '/';
    } catch {
      ok = false;
    }
  }
  if (authorities.size >= MAX_AUTHORITIES) authorities.clear();
  authorities.set(authority, ok);
  return ok;
}

/** The gateway path with a query URL would keep as it is; null for anything else. */
function fastTarget(target: string): ParsedTarget | null {
  let start = 0;
  if (target.charCodeAt(0) === 47) {
    // `//host/...` is a scheme-relative URL, not a path.
    if (target.charCodeAt(1) === 47) return null;
  } else {
    if (!target.startsWith('http://')) return null;
    start = target.indexOf('/', 7);
    if (start < 0) return null;
    // A client names the same host on every request: compare in place before slicing and hashing.
    if (!(start > 7 && start - 7 === lastGoodAuthority.length && target.startsWith(lastGoodAuthority, 7))) {
      const authority = target.slice(7, start);
      if (!knownAuthority(authority)) return null;
      lastGoodAuthority = authority;
    }
  }
  const q = target.indexOf('?', start);
  const pathEnd = q < 0 ? target.length : q;
  if (pathEnd - start !== GATEWAY_PATH.length) return null;
  for (let i = 0; i < GATEWAY_PATH.length; i++) {
    let c = target.charCodeAt(start + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== GATEWAY_PATH.charCodeAt(i)) return null;
  }
  // URL percent-encodes space, `"`, `#`, `<`, `>` and `'` in a query and drops tabs and newlines.
  for (let i = q + 1; q >= 0 && i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 34 || c === 35 || c === 39 || c === 60 || c === 62) return null;
  }
  const search = q < 0 || q === target.length - 1 ? '' : target.slice(q);
  return { isGateway: true, pathname: target.slice(start, pathEnd), search };
}

interface Params {
  sessionid?: string;
  action?: string;
  server?: string;
  ip?: string;
  lifespan?: string;
}

function setParam(p: Params, name: string, value: string): void {
  const n = name.length;
  if (n !== 2 && n !== 6 && n !== 8 && n !== 9) return;
  const key = name.toLowerCase();
  // The first occurrence of a parameter wins.
  if (key === 'sessionid') p.sessionid ??= value;
  else if (key === 'action') p.action ??= value;
  else if (key === 'server') p.server ??= value;
  else if (key === 'ip') p.ip ??= value;
  else if (key === 'lifespan') p.lifespan ??= value;
}

/** The parameters the gateway reads, as URLSearchParams would decode them. */
function readParams(search: string): Params {
  const p: Params = {};
  let plain = true;
  for (let i = 0; i < search.length && plain; i++) {
    const c = search.charCodeAt(i);
    // `%` and `+` decode, and non-ASCII may hold lone surrogates URLSearchParams replaces.
    plain = c < 128 && c !== 37 && c !== 43;
  }
  if (!plain) {
    for (const [name, value] of new URLSearchParams(search)) setParam(p, name, value);
    return p;
  }
  let i = search.charCodeAt(0) === 63 ? 1 : 0;
  while (i <= search.length) {
    let end = search.indexOf('&', i);
    if (end < 0) end = search.length;
    if (end > i) {
      const eq = search.indexOf('=', i);
      if (eq < 0 || eq > end) setParam(p, search.slice(i, end), '');
      else setParam(p, search.slice(i, eq), search.slice(eq + 1, end));
    }
    i = end + 1;
  }
  return p;
}

export function parseGatewayQuery(search: string): QueryResult {
  const params = readParams(search);
  const sessionId = params.sessionid ?? '';
  const actionRaw = params.action;
  const action = actionRaw?.toLowerCase();
  if (actionRaw !== undefined && action !== 'open' && action !== 'poll' && action !== 'close') {
    return { ok: false, reason: `unknown Action "${actionRaw}"` };
  }

  // A missing or empty SessionID means "open" (BitlBee sends `SessionID=&Action=open&Server=NS`).
  if (sessionId === '') {
    if (action === 'poll' || action === 'close') return { ok: false, reason: `Action=${actionRaw} without a SessionID` };
    const serverRaw = params.server;
    let server: 'NS' | 'SB';
    if (serverRaw === undefined || serverRaw === '') server = 'NS';
    else if (serverRaw.toUpperCase() === 'NS' || serverRaw.toUpperCase() === 'SB') server = serverRaw.toUpperCase() as 'NS' | 'SB';
    else return { ok: false, reason: `Server must be NS or SB, got "${serverRaw}"` };
    const ip = params.ip ?? '';
    if (/[\x00-\x1f\x7f]/.test(ip)) return { ok: false, reason: 'IP contains control characters' };
    return { ok: true, request: { action: 'open', server, ip } };
  }

  if (!isPlausibleSessionId(sessionId)) return { ok: false, reason: 'malformed SessionID' };
  if (action === 'open') return { ok: false, reason: 'Action=open with a SessionID' };
  if (action === 'close') return { ok: true, request: { action: 'close', sessionId } };
  if (action === 'poll') {
    const lifespanRaw = params.lifespan;
    let lifespanS: number | null = null;
    if (lifespanRaw !== undefined && lifespanRaw !== '') {
      if (!/^\d{1,9}$/.test(lifespanRaw)) return { ok: false, reason: `Lifespan must be a whole number of seconds, got "${lifespanRaw}"` };
      lifespanS = Number(lifespanRaw);
    }
    return { ok: true, request: { action: 'poll', sessionId, lifespanS } };
  }
  return { ok: true, request: { action: 'send', sessionId } };
}

/** Cheap shape check before a table lookup; the lookup decides whether it is known. */
function isPlausibleSessionId(id: string): boolean {
  if (id.length > 64) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45)) return false;
  }
  return true;
}
