// One switchboard: its participants and message fan-out. Connections and the bot are both
// participants; a room closes when no connection is left in it.

export interface Participant {
  readonly handle: string;
  /** MSNP16+ endpoint (machine GUID) the participant joined with, or null. */
  readonly endpoint: string | null;
  readonly friendlyName: string;
  readonly caps: string;
  /** True for the bot: it does not keep a room open on its own. */
  readonly virtual: boolean;
  /** A message from another participant; false when it could not be delivered. */
  deliver(from: Participant, payload: Uint8Array): boolean;
  /** Someone joined (JOI). */
  joined(who: Participant): void;
  /** Someone left (BYE). */
  left(who: Participant): void;
}

export class Room {
  readonly id: string;
  readonly maxSize: number;
  #participants: Participant[] = [];
  #closed = false;
  readonly #onClose: () => void;

  constructor(id: string, maxSize: number, onClose: () => void) {
    this.id = id;
    this.maxSize = maxSize;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get participants(): readonly Participant[] {
    return this.#participants;
  }

  get full(): boolean {
    return this.#participants.length >= this.maxSize;
  }

  has(handle: string): boolean {
    const key = handle.toLowerCase();
    return this.#participants.some((p) => p.handle === key);
  }

  /** Adds `who` and announces it (JOI) to everyone already there; false when closed or full. */
  join(who: Participant): boolean {
    if (this.#closed || this.full) return false;
    const already = [...this.#participants];
    this.#participants.push(who);
    for (const p of already) p.joined(who);
    return true;
  }

  /** Removes `who`; the others get BYE. The room closes once only virtual participants remain. */
  leave(who: Participant): void {
    if (!this.#participants.includes(who)) return;
    this.#participants = this.#participants.filter((p) => p !== who);
    if (this.#participants.every((p) => p.virtual)) {
      this.close();
      return;
    }
    for (const p of this.#participants) p.left(who);
  }

  /** Sends `payload` to everyone but the sender; returns how many took it. */
  broadcast(from: Participant, payload: Uint8Array): number {
    let delivered = 0;
    for (const p of [...this.#participants]) {
      if (p !== from && p.deliver(from, payload)) delivered += 1;
    }
    return delivered;
  }

  others(who: Participant): Participant[] {
    return this.#participants.filter((p) => p !== who);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#participants = [];
    this.#onClose();
  }
}
