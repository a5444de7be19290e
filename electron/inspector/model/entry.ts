// One stored command and the live state of one session. A CommandEntry doubles as the filter's
// subject (shared/api/filter.ts), so a query never builds per-command objects just to test them.
import type { CommandRecord, SessionRecord } from '../../../shared/api/contract.ts';
import type { FilterSubject } from '../../../shared/api/filter.ts';
import type { SessionCloseReason } from '../../../shared/api/gateway-events.ts';
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

export class CommandEntry implements FilterSubject {
  readonly id: number;
  readonly session: SessionState;
  readonly direction: Direction;
  readonly item: Item;
  readonly time: number;
  readonly exchangeId: number | null;
  readonly origin: CommandOrigin;
  /** The MSNP version the item was framed with (for its decoded view). */
  readonly version: number;
  pairId: number | null = null;
  findingIds: number[] | null = null;

  constructor(id: number, session: SessionState, direction: Direction, item: Item, time: number, exchangeId: number | null, origin: CommandOrigin, version: number) {
    this.id = id;
    this.session = session;
    this.direction = direction;
    this.item = item;
    this.time = time;
    this.exchangeId = exchangeId;
    this.origin = origin;
    this.version = version;
  }

  get verb(): string | null {
    return this.item.kind === 'command' ? this.item.verb : null;
  }
  get trid(): number | null {
    return this.item.kind === 'command' ? this.item.trid : null;
  }
  get errorCode(): number | null {
    return this.item.kind === 'command' ? this.item.errorCode : null;
  }
  get malformed(): boolean {
    return this.item.kind === 'malformed';
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
    return this.item.kind === 'command' ? this.item.line : this.item.reason;
  }

  toRecord(): CommandRecord {
    const item = this.item;
    const isCommand = item.kind === 'command';
    return {
      id: this.id,
      sessionId: this.session.id,
      exchangeId: this.exchangeId,
      direction: this.direction,
      time: this.time,
      verb: isCommand ? item.verb : null,
      trid: isCommand ? item.trid : null,
      args: isCommand ? item.args.slice() : [],
      payloadLength: isCommand ? item.payloadLength : null,
      errorCode: isCommand ? item.errorCode : null,
      malformed: isCommand ? null : item.reason,
      size: item.raw.length,
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
