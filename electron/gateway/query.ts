// The request target of gateway.dll: which path, and what the query asks for.
// Every client form of section 1.2 of the research notes is accepted; anything else is a
// clear 400 reason rather than a guess.

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
  let url: URL;
  try {
    url = new URL(target, 'http://gateway.invalid');
  } catch {
    return null;
  }
  const pathname = url.pathname;
  return { isGateway: pathname.toLowerCase() === GATEWAY_PATH, pathname, search: url.search };
}

export function parseGatewayQuery(search: string): QueryResult {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(search)) {
    const key = name.toLowerCase();
    if (!params.has(key)) params.set(key, value);
  }
  const sessionId = params.get('sessionid') ?? '';
  const actionRaw = params.get('action');
  const action = actionRaw?.toLowerCase();
  if (actionRaw !== undefined && action !== 'open' && action !== 'poll' && action !== 'close') {
    return { ok: false, reason: `unknown Action "${actionRaw}"` };
  }

  // A missing or empty SessionID means "open" (BitlBee sends `SessionID=&Action=open&Server=NS`).
  if (sessionId === '') {
    if (action === 'poll' || action === 'close') return { ok: false, reason: `Action=${actionRaw} without a SessionID` };
    const serverRaw = params.get('server');
    let server: 'NS' | 'SB';
    if (serverRaw === undefined || serverRaw === '') server = 'NS';
    else if (serverRaw.toUpperCase() === 'NS' || serverRaw.toUpperCase() === 'SB') server = serverRaw.toUpperCase() as 'NS' | 'SB';
    else return { ok: false, reason: `Server must be NS or SB, got "${serverRaw}"` };
    const ip = params.get('ip') ?? '';
    if (/[\x00-\x1f\x7f]/.test(ip)) return { ok: false, reason: 'IP contains control characters' };
    return { ok: true, request: { action: 'open', server, ip } };
  }

  if (!isPlausibleSessionId(sessionId)) return { ok: false, reason: 'malformed SessionID' };
  if (action === 'open') return { ok: false, reason: 'Action=open with a SessionID' };
  if (action === 'close') return { ok: true, request: { action: 'close', sessionId } };
  if (action === 'poll') {
    const lifespanRaw = params.get('lifespan');
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
  return id.length <= 64 && /^[0-9A-Za-z.\-]+$/.test(id);
}
