// The emulator's shared state: who is online on the NS, what they look like, pending switchboard
// cookies and open switchboards. Sessions talk to each other only through here.
import type { AccountStore } from './accounts.ts';
import type { Account } from './account-types.ts';
import type { TicketStore } from './tickets.ts';
import type { EmulatorOptions } from './options.ts';
import type { PresenceState, VisiblePresence } from './presence.ts';
import { newCookie, newSessionId } from './text.ts';
import { Room } from './sb/room.ts';

/** What the hub needs from a live notification-server session. */
export interface NsPeer {
  readonly handle: string;
  readonly version: number;
  /** Null until the first CHG. */
  readonly presence: PresenceState | null;
  /** Raw UUX payload (MSNP11+), or null. */
  readonly personalPayload: Uint8Array | null;
  /** A watched contact's presence changed: send NLN/FLN (+UBX) in this session's dialect. */
  notifyPresence(subject: string): void;
  /** A watched contact's personal message changed: UBX (MSNP11+). */
  notifyPersonal(subject: string): void;
  /** `subject` added (or removed) this user to (from) their FL, i.e. our RL changed. */
  notifyReverseList(subject: string, added: boolean): void;
  notifyRing(ring: RingInvite): void;
  /** Server-initiated logout (`OUT OTH`, `OUT SSD`). */
  kick(reason: 'OTH' | 'SSD'): void;
  /** MSNP13+ UUN relayed as UBN. */
  notifyUbn(from: string, type: string, payload: Uint8Array): void;
}

/** Presence of someone who is not an NS session (the echo bot). */
export interface VirtualPresentity {
  readonly handle: string;
  readonly presence: PresenceState;
  readonly personalPayload: Uint8Array | null;
  /** Called when a switchboard invites it (CAL). */
  invite(room: Room, inviter: string): void;
}

export interface RingInvite {
  sessionId: string;
  address: string;
  cookie: string;
  inviter: string;
  inviterFriendly: string;
}

export interface Cookie {
  cookie: string;
  handle: string;
  /** `xfr`: opens a new switchboard (SB `USR`); `ring`: joins `roomId` (SB `ANS`). */
  kind: 'xfr' | 'ring';
  roomId: string | null;
  /** The NS dialect of the session the cookie came from; the SB speaks the same. */
  version: number;
  caps: string;
  expiresAt: number;
}

/** Most pending cookies; the oldest go first. */
const MAX_COOKIES = 4096;

export class Hub {
  readonly accounts: AccountStore;
  readonly tickets: TicketStore;
  readonly options: EmulatorOptions;
  readonly #ns = new Map<string, NsPeer>();
  readonly #virtual = new Map<string, VirtualPresentity>();
  readonly #cookies = new Map<string, Cookie>();
  readonly #rooms = new Map<string, Room>();
  #sbAddress: () => string;
  readonly now: () => number;

  constructor(accounts: AccountStore, tickets: TicketStore, options: EmulatorOptions, now: () => number = Date.now) {
    this.accounts = accounts;
    this.tickets = tickets;
    this.options = options;
    this.now = now;
    this.#sbAddress = () => options.sbAddress ?? '127.0.0.1:1864';
  }

  // ---- addresses ----------------------------------------------------------------------------

  setSbAddressSource(source: () => string): void {
    this.#sbAddress = () => this.options.sbAddress ?? source();
  }

  sbAddress(): string {
    return this.#sbAddress();
  }

  // ---- accounts -----------------------------------------------------------------------------

  /** Read-only view of an account (no copy: presence fan-out reads it per watcher). */
  account(handle: string): Readonly<Account> | null {
    return this.accounts.peek(handle);
  }

  /** Handles that exist for list purposes: accounts and virtual contacts such as the bot. */
  exists(handle: string): boolean {
    return this.#virtual.has(handle.toLowerCase()) || this.accounts.has(handle);
  }

  friendlyName(handle: string): string {
    return this.accounts.peek(handle)?.friendlyName ?? handle;
  }

  // ---- NS sessions --------------------------------------------------------------------------

  /** Registers a logged-in session; an older session of the same handle is booted (`OUT OTH`). */
  register(peer: NsPeer): void {
    const previous = this.#ns.get(peer.handle);
    this.#ns.set(peer.handle, peer);
    if (previous !== undefined && previous !== peer) previous.kick('OTH');
  }

  /** Removes a session (if it is still the current one) and tells watchers it went offline. */
  unregister(peer: NsPeer): void {
    if (this.#ns.get(peer.handle) !== peer) return;
    this.#ns.delete(peer.handle);
    if (peer.presence !== null && peer.presence.status !== 'HDN') this.broadcastPresence(peer.handle);
  }

  session(handle: string): NsPeer | null {
    return this.#ns.get(handle.toLowerCase()) ?? null;
  }

  sessions(): NsPeer[] {
    return [...this.#ns.values()];
  }

  addVirtual(entity: VirtualPresentity): void {
    this.#virtual.set(entity.handle, entity);
  }

  virtual(handle: string): VirtualPresentity | null {
    return this.#virtual.get(handle.toLowerCase()) ?? null;
  }

  // ---- presence -----------------------------------------------------------------------------

  /** Raw presence (ignores privacy); null when offline or before the first CHG. */
  presenceOf(handle: string): PresenceState | null {
    const key = handle.toLowerCase();
    return this.#ns.get(key)?.presence ?? this.#virtual.get(key)?.presence ?? null;
  }

  personalPayloadOf(handle: string): Uint8Array | null {
    const key = handle.toLowerCase();
    return this.#ns.get(key)?.personalPayload ?? this.#virtual.get(key)?.personalPayload ?? null;
  }

  /** May `viewer` see `subject`'s presence and reach them? (subject's BL, and AL when BLP is BL) */
  allows(subject: string, viewer: string): boolean {
    const account = this.accounts.peek(subject);
    if (account === null) return this.#virtual.has(subject.toLowerCase());
    const entry = account.contacts.find((c) => c.handle === viewer.toLowerCase());
    if (entry?.lists.includes('BL')) return false;
    return account.privacy === 'AL' || (entry?.lists.includes('AL') ?? false);
  }

  /** What `viewer` sees of `subject`: null = offline (not online, hidden, or blocked). */
  visiblePresence(subject: string, viewer: string): VisiblePresence | null {
    const presence = this.presenceOf(subject);
    if (presence === null || presence.status === 'HDN') return null;
    if (!this.allows(subject, viewer)) return null;
    return { ...presence, handle: subject.toLowerCase(), friendlyName: this.friendlyName(subject) };
  }

  /** Online sessions (past their first CHG) that have `subject` on their FL. */
  watchersOf(subject: string): NsPeer[] {
    const key = subject.toLowerCase();
    const out: NsPeer[] = [];
    const isWatcher = (peer: NsPeer | undefined): peer is NsPeer =>
      peer !== undefined &&
      peer.handle !== key &&
      peer.presence !== null &&
      (this.accounts.peek(peer.handle)?.contacts.some((c) => c.handle === key && c.lists.includes('FL')) ?? false);
    const own = this.accounts.peek(key);
    if (own === null || own.bot) {
      // The bot (virtual or a bot account) keeps no reverse list: ask every online session.
      for (const peer of this.#ns.values()) if (isWatcher(peer)) out.push(peer);
      return out;
    }
    // Whoever has `subject` on their FL is on its RL (the account store keeps the two in step),
    // so the fan-out costs the subject's contacts, not every online session.
    for (const c of own.contacts) {
      if (!c.lists.includes('RL')) continue;
      const peer = this.#ns.get(c.handle);
      if (isWatcher(peer)) out.push(peer);
    }
    return out;
  }

  /** Each watcher gets NLN or FLN for `subject`, as its privacy and status now say. */
  broadcastPresence(subject: string): void {
    for (const watcher of this.watchersOf(subject)) watcher.notifyPresence(subject);
  }

  // ---- switchboard cookies and rooms --------------------------------------------------------

  issueCookie(input: Omit<Cookie, 'cookie' | 'expiresAt'>): Cookie {
    const now = this.now();
    if (this.#cookies.size >= MAX_COOKIES) this.#purgeCookies(now);
    while (this.#cookies.size >= MAX_COOKIES) this.#cookies.delete(this.#cookies.keys().next().value as string);
    const cookie: Cookie = { ...input, handle: input.handle.toLowerCase(), cookie: newCookie(), expiresAt: now + this.options.cookieTtlMs };
    this.#cookies.set(cookie.cookie, cookie);
    return cookie;
  }

  /** Redeems a cookie once; it must match the handle, kind and (for `ring`) the session id. */
  takeCookie(value: string, handle: string, kind: Cookie['kind'], roomId?: string): Cookie | null {
    const cookie = this.#cookies.get(value);
    if (cookie === undefined) return null;
    if (cookie.expiresAt <= this.now()) {
      this.#cookies.delete(value);
      return null;
    }
    if (cookie.handle !== handle.toLowerCase() || cookie.kind !== kind) return null;
    if (kind === 'ring' && cookie.roomId !== roomId) return null;
    this.#cookies.delete(value);
    return cookie;
  }

  #purgeCookies(now: number): void {
    for (const [key, cookie] of this.#cookies) if (cookie.expiresAt <= now) this.#cookies.delete(key);
  }

  createRoom(): Room {
    let id = newSessionId();
    while (this.#rooms.has(id)) id = newSessionId();
    const room = new Room(id, this.options.maxRoomSize, () => this.#rooms.delete(id));
    this.#rooms.set(id, room);
    return room;
  }

  room(id: string): Room | null {
    return this.#rooms.get(id) ?? null;
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  /** Server shutdown: every NS session gets `OUT SSD`; rooms close with their connections. */
  shutdown(): void {
    for (const peer of [...this.#ns.values()]) peer.kick('SSD');
    this.#ns.clear();
    this.#cookies.clear();
  }
}
