// One switchboard connection. It joins a room with an XFR cookie (`USR`) or an RNG cookie (`ANS`),
// then invites (`CAL`), sends (`MSG`) and leaves (`OUT`). Error policy as on the NS (README).
import type { CommandItem, MalformedItem } from '../../../shared/msnp/types.ts';
import { isValidHandle } from '../accounts.ts';
import type { Arg, Channel } from '../channel.ts';
import type { Hub } from '../hub.ts';
import { encodeField, splitEndpoint } from '../text.ts';
import type { Participant, Room } from './room.ts';
import { callInto } from './call.ts';

const ACK_MODES = new Set(['U', 'N', 'A', 'D']);

export class SbSession implements Participant {
  readonly hub: Hub;
  readonly ch: Channel;
  handle = '';
  endpoint: string | null = null;
  caps = '0';
  readonly virtual = false;
  room: Room | null = null;

  constructor(hub: Hub, ch: Channel) {
    this.hub = hub;
    this.ch = ch;
    ch.onCommand((cmd) => this.#onCommand(cmd));
    ch.onMalformed((item) => this.#onMalformed(item));
    ch.onClose(() => this.#leave());
  }

  get friendlyName(): string {
    return this.hub.friendlyName(this.handle);
  }

  get version(): number {
    return this.ch.version;
  }

  send(verb: string, trid: number | null, args: readonly Arg[] = [], payload?: Uint8Array): void {
    this.ch.send(verb, trid, args, payload);
  }

  /** How a participant is named to this connection: `handle;{guid}` only for MSNP16+ peers that joined with one. */
  nameOf(p: Participant): string {
    return this.version >= 16 && p.endpoint !== null ? `${p.handle};${p.endpoint}` : p.handle;
  }

  // ---- Participant --------------------------------------------------------------------------

  deliver(from: Participant, payload: Uint8Array): boolean {
    if (this.ch.closed) return false;
    this.send('MSG', null, [from.handle, encodeField(from.friendlyName)], payload);
    return true;
  }

  joined(who: Participant): void {
    // Capabilities ride on JOI/IRO from MSNP12 (reference 6.6).
    const args: Arg[] = [this.nameOf(who), encodeField(who.friendlyName)];
    if (this.version >= 12) args.push(who.caps);
    this.send('JOI', null, args);
  }

  left(who: Participant): void {
    this.send('BYE', null, [this.nameOf(who)]);
  }

  // ---- commands -----------------------------------------------------------------------------

  #onCommand(cmd: CommandItem): void {
    try {
      this.#dispatch(cmd);
    } catch {
      this.ch.error(500, cmd.trid);
      this.ch.close();
    }
  }

  #onMalformed(_item: MalformedItem): void {
    this.ch.close();
  }

  #dispatch(cmd: CommandItem): void {
    if (cmd.verb === 'OUT') {
      this.ch.close();
      return;
    }
    if (cmd.trid === null) {
      this.ch.close();
      return;
    }
    const p = cmd.args.slice(1);
    switch (cmd.verb) {
      case 'USR':
        return this.#usr(cmd.trid, p);
      case 'ANS':
        return this.#ans(cmd.trid, p);
      case 'CAL':
      case 'MSG':
        if (this.room === null) {
          this.ch.error(302, cmd.trid);
          return;
        }
        if (cmd.verb === 'CAL') this.#cal(cmd.trid, p);
        else this.#msg(cmd, p);
        return;
      default:
        this.ch.error(200, cmd.trid);
    }
  }

  #authFailed(trid: number): void {
    this.ch.error(911, trid);
    this.ch.close();
  }

  #adopt(who: string, cookieVersion: number, caps: string): void {
    const { handle, endpoint } = splitEndpoint(who);
    this.handle = handle;
    this.endpoint = endpoint;
    this.caps = caps;
    this.ch.setVersion(cookieVersion);
  }

  /** `USR t handle cookie` (XFR cookie) -> a new switchboard with us in it. */
  #usr(trid: number, p: string[]): void {
    if (this.room !== null) {
      this.ch.error(207, trid);
      return;
    }
    const [who, value] = p;
    if (who === undefined || value === undefined) return this.#authFailed(trid);
    const cookie = this.hub.takeCookie(value, splitEndpoint(who).handle, 'xfr');
    if (cookie === null) return this.#authFailed(trid);
    this.#adopt(who, cookie.version, cookie.caps);
    const room = this.hub.createRoom();
    room.join(this);
    this.room = room;
    this.send('USR', trid, ['OK', who, encodeField(this.friendlyName)]);
  }

  /** `ANS t handle cookie sessid` (RNG cookie) -> IRO for each participant, `ANS t OK`, JOI to them. */
  #ans(trid: number, p: string[]): void {
    if (this.room !== null) {
      this.ch.error(207, trid);
      return;
    }
    const [who, value, sessionId] = p;
    if (who === undefined || value === undefined || sessionId === undefined) return this.#authFailed(trid);
    const cookie = this.hub.takeCookie(value, splitEndpoint(who).handle, 'ring', sessionId);
    const room = cookie === null ? null : this.hub.room(sessionId);
    if (cookie === null || room === null || room.closed) return this.#authFailed(trid);
    this.#adopt(who, cookie.version, cookie.caps);
    const present = [...room.participants];
    if (!room.join(this)) {
      this.ch.error(280, trid);
      this.ch.close();
      return;
    }
    this.room = room;
    present.forEach((other, i) => {
      const args: Arg[] = [i + 1, present.length, this.nameOf(other), encodeField(other.friendlyName)];
      if (this.version >= 12) args.push(other.caps);
      this.send('IRO', trid, args);
    });
    this.send('ANS', trid, ['OK']);
  }

  /** `CAL t handle` -> `CAL t RINGING sessid`; the callee's NS gets RNG (the bot joins at once). */
  #cal(trid: number, p: string[]): void {
    const target = p[0] === undefined ? '' : splitEndpoint(p[0]).handle;
    if (!isValidHandle(target)) {
      this.ch.error(208, trid);
      return;
    }
    const code = callInto(this.hub, this.room!, this, target);
    if (code !== 0) {
      this.ch.error(code, trid);
      return;
    }
    this.send('CAL', trid, ['RINGING', this.room!.id]);
  }

  /**
   * `MSG t mode len`: relayed to everyone else. U: no reply; N: NAK only when nobody got it;
   * A and D (MSNP9+): ACK when delivered, else NAK.
   */
  #msg(cmd: CommandItem, p: string[]): void {
    const trid = cmd.trid!;
    const mode = p[0];
    if (mode === undefined || !ACK_MODES.has(mode) || (mode === 'D' && this.version < 9) || cmd.payload === null) {
      this.ch.error(200, trid);
      return;
    }
    const delivered = this.room!.broadcast(this, cmd.payload) > 0;
    if (mode === 'U') return;
    if (!delivered) this.send('NAK', trid);
    else if (mode !== 'N') this.send('ACK', trid);
  }

  #leave(): void {
    const room = this.room;
    this.room = null;
    room?.leave(this);
  }
}
