// Passport tickets handed out by login2.srf (TWN, MSNP8-14) and RST.srf (SSO, MSNP15+) and redeemed
// by the notification server's `USR ... TWN S` / `USR ... SSO S`. Tickets are random (not derived
// from the handle), live for a bounded time, and the table is bounded so a login loop cannot grow it.
import { randomBytes } from 'node:crypto';

export interface IssuedTicket {
  /** Lower-case handle the ticket was issued to. */
  handle: string;
  /** The whole ticket, TWN/SSO shape: `t=<token>&p=<profile>`. This is what clients send back. */
  ticket: string;
  /** The bare token (the `t=` value). Escargot-style clients send only this; redeem accepts it too. */
  token: string;
  /** The `p=` value. */
  profile: string;
  /** What the ticket is for: 'messenger' (TWN) or the RST service address, e.g. 'messengerclear.live.com'. */
  service: string;
  /** Base64 proof key (24 random bytes) sent as the RST BinarySecret; the MBI answer is keyed by it. */
  binarySecret: string;
  issuedAt: number;
  expiresAt: number;
}

export interface TicketStoreOptions {
  /** Lifetime of a ticket in ms (default 10 minutes). */
  ttlMs?: number;
  /** Most tickets kept; the oldest is dropped first (default 10 000). */
  maxTickets?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

export const DEFAULT_TICKET_TTL_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_TICKETS = 10_000;
/** Longer strings are not tickets we issued; refuse them before any parsing. */
const MAX_TICKET_TEXT = 1024;

export class TicketStore {
  readonly ttlMs: number;
  readonly maxTickets: number;
  readonly #now: () => number;
  /** Keyed by token; Map order is issue order, which makes eviction of the oldest cheap. */
  readonly #byToken = new Map<string, IssuedTicket>();

  constructor(options: TicketStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TICKET_TTL_MS;
    this.maxTickets = options.maxTickets ?? DEFAULT_MAX_TICKETS;
    this.#now = options.now ?? Date.now;
    if (!(this.ttlMs > 0) || !Number.isSafeInteger(this.maxTickets) || this.maxTickets < 1) {
      throw new RangeError('ttlMs must be positive and maxTickets a positive integer');
    }
  }

  get size(): number {
    return this.#byToken.size;
  }

  issue(handle: string, options: { service?: string } = {}): IssuedTicket {
    const now = this.#now();
    if (this.#byToken.size >= this.maxTickets) this.#purge(now);
    while (this.#byToken.size >= this.maxTickets) {
      const oldest = this.#byToken.keys().next().value as string;
      this.#byToken.delete(oldest);
    }
    // base64url has no '&', '=', ',', quote or space, so the ticket survives every carrier:
    // the Authentication-Info header, an MSNP argument, XML text and URL query strings.
    const token = randomBytes(24).toString('base64url');
    const profile = randomBytes(24).toString('base64url');
    const issued: IssuedTicket = {
      handle: handle.toLowerCase(),
      ticket: `t=${token}&p=${profile}`,
      token,
      profile,
      service: options.service ?? 'messenger',
      binarySecret: randomBytes(24).toString('base64'),
      issuedAt: now,
      expiresAt: now + this.ttlMs,
    };
    this.#byToken.set(token, issued);
    return { ...issued };
  }

  /** The handle a ticket belongs to, or null (unknown, expired, malformed). Tickets stay valid until they expire. */
  redeem(ticket: string): string | null {
    return this.lookup(ticket)?.handle ?? null;
  }

  /** The full record for a ticket (for the MBI check: binarySecret), or null. */
  lookup(ticket: string): IssuedTicket | null {
    const token = ticketToken(ticket);
    if (token === null) return null;
    const issued = this.#byToken.get(token);
    if (issued === undefined) return null;
    if (issued.expiresAt <= this.#now()) {
      this.#byToken.delete(token);
      return null;
    }
    return { ...issued };
  }

  revoke(ticket: string): boolean {
    const token = ticketToken(ticket);
    return token !== null && this.#byToken.delete(token);
  }

  /** Drops every expired ticket; returns how many. */
  purgeExpired(): number {
    return this.#purge(this.#now());
  }

  #purge(now: number): number {
    let dropped = 0;
    for (const [token, issued] of this.#byToken) {
      if (issued.expiresAt <= now) {
        this.#byToken.delete(token);
        dropped += 1;
      }
    }
    return dropped;
  }
}

/**
 * The token inside any of the forms clients send back: `t=TOKEN&p=PROFILE`, `t=TOKEN`, the bare
 * `TOKEN`, with or without the single quotes of `from-PP='...'`, URL-encoded or XML-escaped `&amp;`.
 */
export function ticketToken(ticket: unknown): string | null {
  if (typeof ticket !== 'string' || ticket.length === 0 || ticket.length > MAX_TICKET_TEXT) return null;
  let text = ticket.trim();
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) text = text.slice(1, -1);
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  text = text.replaceAll('&amp;', '&');
  if (text.startsWith('t=')) {
    const end = text.indexOf('&');
    text = end === -1 ? text.slice(2) : text.slice(2, end);
  }
  return /^[A-Za-z0-9_-]{16,128}$/.test(text) ? text : null;
}
