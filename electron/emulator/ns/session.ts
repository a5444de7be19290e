// One notification-server connection: its state, its dialect and the hub-facing side (NsPeer).
// Command handlers live in the neighbouring files and are wired up in commands.ts.
import type { CommandItem, MalformedItem } from '../../../shared/msnp/types.ts';
import type { Arg, Channel } from '../channel.ts';
import type { Hub, NsPeer, RingInvite } from '../hub.ts';
import type { PresenceState } from '../presence.ts';
import { offlineLine, personalLine, personalPayload, presenceLine, reverseListLine, ringLine } from './format.ts';
import type { Line } from './format.ts';
import { dispatch } from './commands.ts';
import { ChallengeClock } from './challenge.ts';

export type NsPhase = 'ver' | 'auth' | 'live' | 'closed';

export interface PendingLogin {
  method: 'MD5' | 'TWN' | 'SSO';
  handle: string;
  salt: string;
}

export class NsSession implements NsPeer {
  readonly hub: Hub;
  readonly ch: Channel;
  phase: NsPhase = 'ver';
  handle = '';
  pending: PendingLogin | null = null;
  presence: PresenceState | null = null;
  personalPayload: Uint8Array | null = null;
  /** MSNP16+ machine GUID from `USR SSO S ... {guid}`. */
  endpoint: string | null = null;
  /** The Passport token this login used (MSPAuth in the profile). */
  token = '';
  readonly challenge: ChallengeClock;

  constructor(hub: Hub, ch: Channel) {
    this.hub = hub;
    this.ch = ch;
    this.challenge = new ChallengeClock(this);
    ch.onCommand((cmd) => this.#onCommand(cmd));
    ch.onMalformed((item) => this.#onMalformed(item));
    ch.onClose(() => this.#onClosed());
  }

  get version(): number {
    return this.ch.version;
  }

  get live(): boolean {
    return this.phase === 'live';
  }

  send(verb: string, trid: number | null, args: readonly Arg[] = [], payload?: Uint8Array | string): void {
    this.ch.send(verb, trid, args, payload);
  }

  sendLine(line: Line): void {
    this.ch.send(line.verb, line.trid, line.args, line.payload);
  }

  error(code: number, trid: number | null): void {
    this.ch.error(code, trid);
  }

  /** Ends the connection (after what is queued). */
  close(): void {
    this.ch.close();
  }

  // ---- NsPeer -------------------------------------------------------------------------------

  notifyPresence(subject: string): void {
    if (!this.live) return;
    const seen = this.hub.visiblePresence(subject, this.handle);
    if (seen === null) {
      this.sendLine(offlineLine(this.version, subject));
      return;
    }
    this.sendLine(presenceLine(this.version, seen, null));
    this.sendPersonal(subject);
  }

  notifyPersonal(subject: string): void {
    if (this.live) this.sendPersonal(subject);
  }

  /** UBX for `subject` when it has a personal message (MSNP11+). */
  sendPersonal(subject: string): void {
    if (this.version < 11) return;
    let payload = this.hub.personalPayloadOf(subject);
    if (payload === null) {
      const message = this.hub.account(subject)?.personalMessage ?? '';
      if (message === '') return;
      payload = new TextEncoder().encode(personalPayload(message));
    }
    this.sendLine(personalLine(this.version, subject, payload));
  }

  notifyReverseList(subject: string, added: boolean): void {
    if (!this.live) return;
    const listVersion = this.hub.account(this.handle)?.listVersion ?? 0;
    this.sendLine(reverseListLine(this.version, subject, this.hub.friendlyName(subject), added, listVersion));
  }

  notifyRing(ring: RingInvite): void {
    if (this.live) this.sendLine(ringLine(this.version, ring));
  }

  notifyUbn(from: string, type: string, payload: Uint8Array): void {
    if (this.live && this.version >= 13) this.send('UBN', null, [from, type], payload);
  }

  kick(reason: 'OTH' | 'SSD'): void {
    if (this.phase === 'closed') return;
    this.send('OUT', null, [reason]);
    this.#leave();
    this.close();
  }

  // ---- plumbing -----------------------------------------------------------------------------

  #onCommand(cmd: CommandItem): void {
    if (this.phase === 'closed') return;
    try {
      dispatch(this, cmd);
    } catch {
      // A handler bug must cost this session, not the server: answer 500 and hang up.
      this.error(500, cmd.trid);
      this.close();
    }
  }

  /** Framing failed (bad verb, bad length...): the stream can no longer be trusted, so hang up. */
  #onMalformed(_item: MalformedItem): void {
    this.close();
  }

  #onClosed(): void {
    this.#leave();
    this.phase = 'closed';
  }

  #leave(): void {
    this.challenge.stop();
    if (this.phase === 'live') this.hub.unregister(this);
    this.phase = 'closed';
  }
}
