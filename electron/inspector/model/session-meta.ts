// What a session's commands say about it: the signed-in handle (USR), the protocol version (VER),
// the client program (CVR), and the switchboard cookies that tie an SB to the NS that announced it.
import { sbAnnouncementOf, sbLoginCookieOf } from '../../relay/sb-announce.ts';
import type { CommandItem, ConnectionDecoder, Direction } from '../../../shared/msnp/index.ts';
import { urlDecode } from '../../../shared/msnp/index.ts';
import type { SessionState } from './entry.ts';

const MAX_FIELD = 256;

function clip(text: string): string {
  return text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text;
}

/** Updates user/version/client from one command; returns true when the session record changed. */
export function updateSessionMeta(s: SessionState, direction: Direction, item: CommandItem, decoder: ConnectionDecoder): boolean {
  const a = item.args;
  switch (item.verb) {
    case 'VER': {
      const v = decoder.versionState === 'negotiated' || decoder.versionState === 'proposed' ? decoder.version : null;
      if (v !== null && v !== s.version) {
        s.version = v;
        return true;
      }
      return false;
    }
    case 'CVR':
      // Client: CVR trid locale os osver arch name version ...
      if (direction === 'client' && a.length >= 7) {
        s.client = { name: clip(a[5]), version: clip(a[6]) };
        return true;
      }
      return false;
    case 'USR':
      return setUser(s, userOfUsr(s, direction, a));
    case 'ANS':
      // SB: ANS trid handle cookie sessid
      return direction === 'client' && a.length >= 4 ? setUser(s, a[1]) : false;
    default:
      return false;
  }
}

function userOfUsr(s: SessionState, direction: Direction, a: readonly string[]): string | null {
  // Server: USR trid OK handle [friendly ...] (NS and SB).
  if (direction === 'server') return a[1] === 'OK' && a.length >= 3 ? a[2] : null;
  // NS client: USR trid TWN|MD5|SSO I handle; SB client: USR trid handle cookie.
  if (s.server === 'NS') return a[2] === 'I' && a.length >= 4 ? a[3] : null;
  return a.length >= 3 ? a[1] : null;
}

function setUser(s: SessionState, user: string | null): boolean {
  if (user === null) return false;
  const value = clip(urlDecode(user));
  if (value === s.user) return false;
  s.user = value;
  return true;
}

/** Server XFR/RNG on an NS: the cookie it handed out, to find the SB that logs in with it. */
export function announcedCookie(s: SessionState, direction: Direction, item: CommandItem): string | null {
  if (s.server !== 'NS' || direction !== 'server') return null;
  return sbAnnouncementOf(item)?.cookie ?? null;
}

/** Client's first USR/ANS on an SB: its login cookie. */
export function sbLoginCookie(s: SessionState, direction: Direction, item: CommandItem): string | null {
  if (s.server !== 'SB' || direction !== 'client' || s.sbLoginSeen) return null;
  if (item.verb !== 'USR' && item.verb !== 'ANS') return null;
  s.sbLoginSeen = true;
  return sbLoginCookieOf(item);
}

/** Bounded cookie -> NS session id table (oldest entries go first). */
export class CookieTable {
  private readonly map = new Map<string, string>();
  private readonly limit: number;
  constructor(limit = 4096) {
    this.limit = limit;
  }
  set(cookie: string, sessionId: string): void {
    this.map.delete(cookie);
    this.map.set(cookie, sessionId);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }
  get(cookie: string): string | undefined {
    return this.map.get(cookie);
  }
  clear(): void {
    this.map.clear();
  }
}
