// SessionID values in the real service's shape: `<major>.<minor>`, all digits, the major part
// stable for the session and the minor part new on every response. Clients split at the dot
// (gtmess) and copy into 40-byte buffers (Miranda), so IDs stay short. The major part is also the
// session's internal id in events.
import { randomFillSync, randomInt } from 'node:crypto';

/** How many recently issued IDs of a session are still accepted. */
export const ACCEPTED_RECENT_IDS = 8;

export function newMajor(isTaken: (major: string) => boolean): string {
  for (;;) {
    const major = String(randomInt(100_000_000, 1_000_000_000));
    if (!isTaken(major)) return major;
  }
}

// A minor is drawn on every response, so it comes from a pool of CSPRNG words refilled in one
// call per 1,024 draws rather than a crypto call each.
const pool = new Uint32Array(1024);
let poolNext = pool.length;
const MINOR_SPAN = 90_000;
/** Largest multiple of the span below 2^32: words at or above it are redrawn, so no minor is likelier. */
const UNBIASED_LIMIT = Math.floor(0x1_0000_0000 / MINOR_SPAN) * MINOR_SPAN;

function poolWord(): number {
  if (poolNext === pool.length) {
    randomFillSync(pool);
    poolNext = 0;
  }
  return pool[poolNext++];
}

export function newMinor(): string {
  let w = poolWord();
  while (w >= UNBIASED_LIMIT) w = poolWord();
  return String(10_000 + (w % MINOR_SPAN));
}

/** Splits `major.minor`; null when the value is not in our format (9 digits, a dot, 5 digits). */
export function majorOf(sessionId: string): string | null {
  if (sessionId.length !== 15 || sessionId.charCodeAt(9) !== 46) return null;
  for (let i = 0; i < 15; i++) {
    if (i === 9) continue;
    const c = sessionId.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return sessionId.slice(0, 9);
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
