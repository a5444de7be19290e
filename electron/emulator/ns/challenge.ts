// CHL/QRY: the NS challenges a client shortly after its first CHG and now and then afterwards;
// the answer is checked with the real algorithms (basic MD5 below MSNP11, the QRY hash from 11).
import { challengeAlgorithm, verifyChallenge } from '../../../shared/msnp/challenge.ts';
import type { CommandItem } from '../../../shared/msnp/types.ts';
import { newChallenge } from '../text.ts';
import type { NsSession } from './session.ts';
import { params } from './args.ts';

const HEX32 = /^[0-9a-fA-F]{32}$/;

export class ChallengeClock {
  readonly #s: NsSession;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #deadline: ReturnType<typeof setTimeout> | null = null;
  /** The challenge awaiting a QRY, or null. */
  outstanding: string | null = null;

  constructor(s: NsSession) {
    this.#s = s;
  }

  /** Called after the first CHG; does nothing for dialects without challenges. */
  start(): void {
    const opts = this.#s.hub.options.challenge;
    if (!opts.enabled || challengeAlgorithm(this.#s.version) === null) return;
    this.#schedule(opts.firstDelayMs);
  }

  /** Sends `CHL 0 <digits>` now (also used by tests and the client's own `CHL`). */
  issue(trid = 0): string {
    const value = newChallenge();
    this.outstanding = value;
    this.#s.send('CHL', trid, [value]);
    const { timeoutMs } = this.#s.hub.options.challenge;
    if (timeoutMs > 0) {
      if (this.#deadline) clearTimeout(this.#deadline);
      this.#deadline = setTimeout(() => {
        // Unanswered in time: the real service dropped such clients.
        if (this.outstanding === value) this.#s.close();
      }, timeoutMs);
    }
    return value;
  }

  answered(): void {
    this.outstanding = null;
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#deadline = null;
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#timer = null;
    this.#deadline = null;
  }

  #schedule(delayMs: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#s.live) return;
      // One challenge at a time, so an answer always refers to the latest one.
      if (this.outstanding === null) this.issue();
      const { intervalMs } = this.#s.hub.options.challenge;
      if (intervalMs > 0) this.#schedule(intervalMs * (0.75 + Math.random() * 0.5));
    }, Math.max(0, delayMs));
    this.#timer.unref?.();
  }
}

/** `QRY t productid 32` + 32 hex digits -> `QRY t`, or `540 t` and a disconnect. */
export function handleQry(s: NsSession, cmd: CommandItem): void {
  const [productId] = params(cmd);
  const answer = new TextDecoder().decode(cmd.payload ?? new Uint8Array(0));
  const challenge = s.challenge.outstanding;
  if (challenge === null) {
    s.error(715, cmd.trid);
    return;
  }
  s.challenge.answered();
  const ok = s.hub.options.challenge.acceptAnyAnswer
    || (productId !== undefined && HEX32.test(answer) && verifyChallenge(challenge, answer, s.version, productId).ok);
  if (!ok) {
    s.error(540, cmd.trid);
    s.close();
    return;
  }
  s.send('QRY', cmd.trid);
}

/** A client may ask for a challenge itself (`CHL t` -> `CHL t digits`). */
export function handleChl(s: NsSession, cmd: CommandItem): void {
  if (challengeAlgorithm(s.version) === null) {
    s.error(502, cmd.trid);
    return;
  }
  s.challenge.issue(cmd.trid ?? 0);
}
