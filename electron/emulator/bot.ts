// The echo bot: a contact that is always online, joins any switchboard that calls it, sends each
// plain-text message straight back, and wanders between NLN, AWY and BSY now and then.
import { randomBytes } from 'node:crypto';
import type { Hub, VirtualPresentity } from './hub.ts';
import type { PresenceState, Status } from './presence.ts';
import type { Participant, Room } from './sb/room.ts';

const MOODS: readonly Status[] = ['NLN', 'AWY', 'BSY'];
const utf8 = new TextEncoder();
const latin1 = new TextDecoder('latin1');

/** The Content-Type of an MSG payload (headers end at the first blank line). */
export function contentType(payload: Uint8Array): string {
  const head = latin1.decode(payload.subarray(0, Math.min(payload.length, 2048)));
  const end = head.indexOf('\r\n\r\n');
  for (const line of (end < 0 ? head : head.slice(0, end)).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'content-type') return line.slice(colon + 1).trim().toLowerCase();
  }
  return '';
}

export class EchoBot implements VirtualPresentity {
  readonly handle: string;
  presence: PresenceState = { status: 'NLN', caps: '0', msnobj: null };
  readonly personalPayload: Uint8Array;
  readonly #hub: Hub;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #mood: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;

  constructor(hub: Hub) {
    this.#hub = hub;
    const opts = hub.options.bot;
    this.handle = opts.handle;
    this.personalPayload = utf8.encode('<Data><PSM>I echo what you say</PSM><CurrentMedia></CurrentMedia></Data>');
    if (!hub.accounts.has(this.handle)) {
      hub.accounts.create({ handle: this.handle, password: randomBytes(18).toString('base64url'), friendlyName: opts.friendlyName, bot: true });
    }
    this.#scheduleMood();
  }

  get friendlyName(): string {
    return this.#hub.friendlyName(this.handle);
  }

  /** Moves to `status` and tells watchers (used by the mood timer and by tests). */
  setStatus(status: Status): void {
    if (this.presence.status === status) return;
    this.presence = { ...this.presence, status };
    this.#hub.broadcastPresence(this.handle);
  }

  invite(room: Room, _inviter: string): void {
    // After the caller's `CAL t RINGING`, like a real callee answering.
    this.#later(0, () => {
      if (room.closed || room.has(this.handle)) return;
      room.join(this.#participant(room));
    });
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (this.#mood) clearTimeout(this.#mood);
  }

  #participant(room: Room): Participant {
    const bot = this;
    const me: Participant = {
      handle: this.handle,
      endpoint: null,
      get friendlyName() {
        return bot.friendlyName;
      },
      caps: '0',
      virtual: true,
      deliver(_from, payload) {
        if (contentType(payload).startsWith('text/plain')) {
          const copy = payload.slice();
          bot.#later(bot.#hub.options.bot.replyDelayMs, () => {
            if (!room.closed && room.participants.includes(me)) room.broadcast(me, copy);
          });
        }
        return true;
      },
      joined() {},
      left() {},
    };
    return me;
  }

  #later(ms: number, fn: () => void): void {
    if (this.#stopped) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  #scheduleMood(): void {
    const interval = this.#hub.options.bot.presenceIntervalMs;
    if (interval <= 0 || this.#stopped) return;
    this.#mood = setTimeout(() => {
      const others = MOODS.filter((m) => m !== this.presence.status);
      this.setStatus(others[Math.floor(Math.random() * others.length)]);
      this.#scheduleMood();
    }, interval * (0.5 + Math.random()));
    this.#mood.unref?.();
  }
}
