// One stored command and the live state of one session. A CommandEntry doubles as the filter's
// subject (shared/api/filter.ts), so a query never builds per-command objects just to test them.
import type { CommandRecord, SessionRecord } from '../../../shared/api/contract.ts';
import type { FilterSubject } from '../../../shared/api/filter.ts';
import type { SessionCloseReason } from '../../../shared/api/gateway-events.ts';
import { Framer } from '../../../shared/msnp/index.ts';
import type { ConnectionDecoder, Direction, Item, ServerKind } from '../../../shared/msnp/index.ts';

export type CommandOrigin = CommandRecord['origin'];

export interface SessionState {
  id: string;
  server: ServerKind;
  gatewaySessionIds: string[];
  clientAddress: string;
  upstream: string;
  requestedIp: string;
  user: string | null;
  version: number | null;
  client: { name: string; version: string } | null;
  state: 'open' | 'closed';
  closeReason: SessionCloseReason | null;
  firstActivity: number;
  lastActivity: number;
  parentSessionId: string | null;
  counts: SessionRecord['counts'];
  bytes: SessionRecord['bytes'];
  /** Null once the session is closed (its framers and pairing state are released). */
  decoder: ConnectionDecoder | null;
  /** Client TrIDs whose request still waits for its reply: TrID -> command id (bounded). */
  openTrids: Map<number, number>;
  /** Highest TrID the client (or an injection) used; injection's 'auto' picks the next one. */
  maxClientTrid: number;
  /** Verbs already reported as unknown on this session (one finding per verb). */
  unknownVerbs: Set<string>;
  /** Whether the SB login (first USR/ANS) was already looked at for its cookie. */
  sbLoginSeen: boolean;
  /** Ids of this session's commands in order (may start with evicted ids; see CommandStore). */
  commandIds: number[];
}

// Verbs repeat endlessly: one shared string per verb instead of one per command.
const verbs = new Map<string, string>();
function intern(verb: string): string {
  let v = verbs.get(verb);
  if (v === undefined) {
    v = verb;
    if (verbs.size < 4096) verbs.set(verb, v);
  }
  return v;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Kept compact on purpose: the bytes are a reference into the chunk the gateway reported (no
 * copy) plus an offset and a length, and only the fields filters test are stored. Arguments, the
 * command line and the payload are framed again from the bytes when a page or a detail needs them.
 */
export class CommandEntry implements FilterSubject {
  readonly id: number;
  readonly session: SessionState;
  readonly direction: Direction;
  readonly time: number;
  readonly exchangeId: number | null;
  readonly origin: CommandOrigin;
  /** The MSNP version the item was framed with (to frame it again the same way). */
  readonly version: number;
  readonly verb: string | null;
  readonly trid: number | null;
  readonly errorCode: number | null;
  readonly payloadLength: number | null;
  /** The framer's reason for malformed bytes, else null. */
  readonly malformedReason: string | null;
  private readonly buffer: ArrayBufferLike;
  private readonly byteOffset: number;
  readonly size: number;
  pairId: number | null = null;
  findingIds: number[] | null = null;

  constructor(id: number, session: SessionState, direction: Direction, item: Item, time: number, exchangeId: number | null, origin: CommandOrigin, version: number) {
    this.id = id;
    this.session = session;
    this.direction = direction;
    this.time = time;
    this.exchangeId = exchangeId;
    this.origin = origin;
    this.version = version;
    const isCommand = item.kind === 'command';
    this.verb = isCommand ? intern(item.verb) : null;
    this.trid = isCommand ? item.trid : null;
    this.errorCode = isCommand ? item.errorCode : null;
    this.payloadLength = isCommand ? item.payloadLength : null;
    this.malformedReason = isCommand ? null : item.reason;
    this.buffer = item.raw.buffer;
    this.byteOffset = item.raw.byteOffset;
    this.size = item.raw.byteLength;
  }

  /** The item's bytes, exactly as on the wire (a view, not a copy). */
  get raw(): Uint8Array {
    return new Uint8Array(this.buffer, this.byteOffset, this.size);
  }

  /** The framed item, rebuilt from the bytes. */
  item(): Item {
    const raw = this.raw;
    if (this.malformedReason === null) {
      const framer = new Framer({ direction: this.direction, server: this.session.server, version: this.version });
      const items = framer.push(raw);
      if (items.length === 1 && items[0].kind === 'command' && items[0].raw.length === raw.length) return items[0];
    }
    return { kind: 'malformed', raw, offset: 0, reason: this.malformedReason ?? 'could not be framed again' };
  }

  get malformed(): boolean {
    return this.malformedReason !== null;
  }
  get sessionId(): string {
    return this.session.id;
  }
  get server(): ServerKind {
    return this.session.server;
  }
  get user(): string | null {
    return this.session.user;
  }
  get text(): string {
    if (this.malformedReason !== null) return this.malformedReason;
    const raw = this.raw;
    const cr = raw.indexOf(13);
    return decoder.decode(cr < 0 ? raw : raw.subarray(0, cr));
  }

  toRecord(): CommandRecord {
    const item = this.malformedReason === null ? this.item() : null;
    return {
      id: this.id,
      sessionId: this.session.id,
      exchangeId: this.exchangeId,
      direction: this.direction,
      time: this.time,
      verb: this.verb,
      trid: this.trid,
      args: item !== null && item.kind === 'command' ? item.args : [],
      payloadLength: this.payloadLength,
      errorCode: this.errorCode,
      malformed: this.malformedReason,
      size: this.size,
      pairId: this.pairId,
      findingIds: this.findingIds ? this.findingIds.slice() : [],
      origin: this.origin,
    };
  }
}

export function sessionRecord(s: SessionState): SessionRecord {
  return {
    id: s.id,
    server: s.server,
    gatewaySessionIds: s.gatewaySessionIds.slice(),
    clientAddress: s.clientAddress,
    upstream: s.upstream,
    requestedIp: s.requestedIp,
    user: s.user,
    version: s.version,
    client: s.client ? { ...s.client } : null,
    state: s.state,
    closeReason: s.closeReason,
    firstActivity: s.firstActivity,
    lastActivity: s.lastActivity,
    parentSessionId: s.parentSessionId,
    counts: { ...s.counts },
    bytes: { ...s.bytes },
  };
}
