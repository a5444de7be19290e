// TrID pairing on one connection: a client command with TrID n is answered by the server command
// with the same TrID and the same verb (or a numeric error; `ACK`/`NAK` for MSG). Other server
// lines with that TrID are related to it (MSNP2-7 list lines after `SYN n`, `ILN n` after `CHG n`,
// `IRO n` before `ANS n OK`). PNG has no TrID and is answered by the next QNG, in order.

import type { CommandItem, Direction } from './types.ts';
import { isErrorVerb } from './payload-table.ts';

export interface Transaction {
  trid: number | null;
  request: CommandItem;
  reply: CommandItem | null;
  /** Other server lines carrying the same TrID (bounded by `maxRelated`). */
  related: CommandItem[];
  /** False for commands that are normally not answered (`MSG U`, `MSG N`). */
  expectsReply: boolean;
}

/**
 * - `request`: a client command that opens a transaction.
 * - `reply`: the server's answer to one.
 * - `related`: a server line with the TrID of an open transaction but not its answer.
 * - `async`: a server line with no TrID or TrID 0 (NLN, RNG, CHL 0, ADD 0 RL…).
 * - `unpaired-reply`: a server line with a TrID no client command used (or a QNG without PNG).
 * - `untracked`: a client line without a TrID that expects no answer (OUT) or with a bad TrID.
 */
export type PairRole = 'request' | 'reply' | 'related' | 'async' | 'unpaired-reply' | 'untracked';

export interface PairInfo {
  role: PairRole;
  transaction: Transaction | null;
}

export interface PairingLimits {
  /** Unanswered transactions kept for late replies and related lines; the oldest are dropped first. */
  maxOpen: number;
  /**
   * Answered transactions kept for the related lines that follow a reply (ILN after CHG, LST after
   * SYN in early versions); the oldest are dropped first. Kept apart from `maxOpen` so a long
   * session does not hold every command it ever paired.
   */
  maxAnswered: number;
  /** Related lines kept per transaction. */
  maxRelated: number;
  /** Unpaired replies remembered for `unpairedReplies()`. */
  maxUnpaired: number;
}

export const DEFAULT_PAIRING_LIMITS: PairingLimits = { maxOpen: 1024, maxAnswered: 64, maxRelated: 10_000, maxUnpaired: 256 };

export interface PairingStats {
  requests: number;
  replies: number;
  related: number;
  async: number;
  unpairedReplies: number;
  /** A client reused a TrID whose transaction had no reply yet. */
  tridReuse: number;
  /** Open transactions without a reply dropped to stay within `maxOpen`. */
  droppedUnanswered: number;
}

function answers(request: CommandItem, reply: CommandItem): boolean {
  if (reply.verb === request.verb || isErrorVerb(reply.verb)) return true;
  return request.verb === 'MSG' && (reply.verb === 'ACK' || reply.verb === 'NAK');
}

function expectsReply(request: CommandItem): boolean {
  // `MSG TrID U` is never acknowledged and `MSG TrID N` only on failure.
  return !(request.verb === 'MSG' && (request.args[1] === 'U' || request.args[1] === 'N'));
}

export class TridTracker {
  readonly limits: PairingLimits;
  readonly stats: PairingStats = { requests: 0, replies: 0, related: 0, async: 0, unpairedReplies: 0, tridReuse: 0, droppedUnanswered: 0 };
  private readonly open = new Map<number, Transaction>();
  /** Answered transactions by TrID, oldest first (Map order), at most `maxAnswered`. */
  private readonly answered = new Map<number, Transaction>();
  private readonly pings: Transaction[] = [];
  private readonly infos = new WeakMap<CommandItem, PairInfo>();
  private readonly unpaired: CommandItem[] = [];

  constructor(limits?: Partial<PairingLimits>) {
    this.limits = { ...DEFAULT_PAIRING_LIMITS, ...limits };
  }

  /** Classifies `item` (in stream order across both directions) and records its pairing. */
  track(direction: Direction, item: CommandItem): PairInfo {
    const info = direction === 'client' ? this.trackClient(item) : this.trackServer(item);
    this.infos.set(item, info);
    return info;
  }

  /** The pairing recorded for an item, if it was tracked. */
  info(item: CommandItem): PairInfo | undefined {
    return this.infos.get(item);
  }

  /** For a request its reply, for a reply its request, else null. */
  pairOf(item: CommandItem): CommandItem | null {
    const info = this.infos.get(item);
    if (info === undefined || info.transaction === null) return null;
    if (info.role === 'request') return info.transaction.reply;
    if (info.role === 'reply') return info.transaction.request;
    return null;
  }

  /** Requests still waiting for the reply they expect (within the open window), oldest first. */
  pending(): Transaction[] {
    const out: Transaction[] = [];
    for (const t of this.pings) if (t.reply === null) out.push(t);
    for (const t of this.open.values()) if (t.reply === null && t.expectsReply) out.push(t);
    return out.sort((a, b) => a.request.offset - b.request.offset);
  }

  /** The most recent server lines that carried a TrID no client command used. */
  unpairedReplies(): CommandItem[] {
    return this.unpaired.slice();
  }

  private trackClient(item: CommandItem): PairInfo {
    if (item.trid === null) {
      if (item.verb !== 'PNG') return { role: 'untracked', transaction: null };
      const t: Transaction = { trid: null, request: item, reply: null, related: [], expectsReply: true };
      this.pings.push(t);
      if (this.pings.length > this.limits.maxOpen) {
        this.pings.shift();
        this.stats.droppedUnanswered++;
      }
      this.stats.requests++;
      return { role: 'request', transaction: t };
    }
    const t: Transaction = { trid: item.trid, request: item, reply: null, related: [], expectsReply: expectsReply(item) };
    const previous = this.open.get(item.trid);
    if (previous !== undefined) {
      if (previous.reply === null && previous.expectsReply) this.stats.tridReuse++;
      this.open.delete(item.trid); // re-insert so Map order stays oldest-first
    }
    this.answered.delete(item.trid);
    this.open.set(item.trid, t);
    while (this.open.size > this.limits.maxOpen) {
      const [oldestTrid, oldest] = this.open.entries().next().value as [number, Transaction];
      if (oldest.reply === null && oldest.expectsReply) this.stats.droppedUnanswered++;
      this.open.delete(oldestTrid);
    }
    this.stats.requests++;
    return { role: 'request', transaction: t };
  }

  private trackServer(item: CommandItem): PairInfo {
    if (item.trid === null) {
      if (item.verb === 'QNG') {
        const t = this.pings.shift();
        if (t !== undefined) {
          t.reply = item;
          this.stats.replies++;
          return { role: 'reply', transaction: t };
        }
        return this.unpairedReply(item);
      }
      this.stats.async++;
      return { role: 'async', transaction: null };
    }
    const t = this.open.get(item.trid) ?? this.answered.get(item.trid);
    if (t === undefined) {
      // Servers use TrID 0 for unsolicited commands (CHL 0, SBS 0, ADD 0 RL, GCF 0…).
      if (item.trid === 0) {
        this.stats.async++;
        return { role: 'async', transaction: null };
      }
      return this.unpairedReply(item);
    }
    if (t.reply === null && answers(t.request, item)) {
      t.reply = item;
      this.stats.replies++;
      this.open.delete(item.trid);
      this.answered.set(item.trid, t);
      if (this.answered.size > this.limits.maxAnswered) this.answered.delete(this.answered.keys().next().value as number);
      return { role: 'reply', transaction: t };
    }
    if (t.related.length < this.limits.maxRelated) t.related.push(item);
    this.stats.related++;
    return { role: 'related', transaction: t };
  }

  private unpairedReply(item: CommandItem): PairInfo {
    this.unpaired.push(item);
    if (this.unpaired.length > this.limits.maxUnpaired) this.unpaired.shift();
    this.stats.unpairedReplies++;
    return { role: 'unpaired-reply', transaction: null };
  }
}
