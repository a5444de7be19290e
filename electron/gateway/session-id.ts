// SessionID values in the real service's shape: `<major>.<minor>`, all digits, the major part
// stable for the session and the minor part new on every response. Clients split at the dot
// (gtmess) and copy into 40-byte buffers (Miranda), so IDs stay short. The major part is also the
// session's internal id in events.
import { randomInt } from 'node:crypto';

/** How many recently issued IDs of a session are still accepted. */
export const ACCEPTED_RECENT_IDS = 8;

export function newMajor(isTaken: (major: string) => boolean): string {
  for (;;) {
    const major = String(randomInt(100_000_000, 1_000_000_000));
    if (!isTaken(major)) return major;
  }
}

export function newMinor(): string {
  return String(randomInt(10_000, 100_000));
}

/** Splits `major.minor`; null when the value is not in our format. */
export function majorOf(sessionId: string): string | null {
  const m = /^(\d{9})\.\d{5}$/.exec(sessionId);
  return m ? m[1] : null;
}

/** The IDs a session has issued, newest last, bounded. */
export class IssuedIds {
  readonly major: string;
  private readonly recent: string[] = [];
  constructor(major: string) {
    this.major = major;
  }

  issue(): string {
    const id = `${this.major}.${newMinor()}`;
    this.recent.push(id);
    if (this.recent.length > ACCEPTED_RECENT_IDS) this.recent.shift();
    return id;
  }

  accepts(id: string): boolean {
    // Newest first: clients nearly always send the last ID they were given.
    for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i] === id) return true;
    return false;
  }

  get current(): string | null {
    return this.recent.at(-1) ?? null;
  }
}
