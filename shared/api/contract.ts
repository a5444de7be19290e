// The API contract between the core and any UI: named operations with request/response types,
// and batched events. Both transports (Electron IPC through the preload, WebSocket in headless
// mode) carry exactly these; there is no generic channel. Pure TypeScript, JSON-safe values only:
// bytes travel as base64 strings.
import type { Direction, ServerKind } from '../msnp/types.ts';
import type { ExchangeKind, SessionCloseReason } from './gateway-events.ts';

export type Base64 = string;

// ---- model records (what the views show) ----

export interface SessionRecord {
  id: string;
  server: ServerKind;
  /** The `major.minor` SessionIDs last issued to the client, oldest first: the ones the gateway still accepts. */
  gatewaySessionIds: string[];
  clientAddress: string;
  upstream: string; // host:port or "emulator"
  requestedIp: string;
  user: string | null; // from USR
  version: number | null; // from VER
  client: { name: string; version: string } | null; // from CVR
  state: 'open' | 'closed';
  closeReason: SessionCloseReason | null;
  firstActivity: number;
  lastActivity: number;
  /** The NS session whose XFR or RNG announced this SB (matched by cookie). */
  parentSessionId: string | null;
  counts: { commandsFromClient: number; commandsFromServer: number; exchanges: number; findings: number };
  bytes: { fromClient: number; fromServer: number };
}

export interface ExchangeRecord {
  id: number;
  sessionId: string | null;
  kind: ExchangeKind;
  method: string;
  target: string;
  status: number | null; // null while outstanding
  reason: string | null;
  timings: { received: number; forwarded: number | null; firstUpstreamByte: number | null; answered: number | null };
  requestBytes: number;
  responseBytes: number;
  commandIds: number[];
}

export type FindingSeverity = 'info' | 'warning' | 'error';

export type FindingCode =
  | 'no-reply' // request without reply
  | 'unsolicited-reply' // reply without request
  | 'trid-reuse'
  | 'length-mismatch' // payload length that does not match
  | 'overlap-rejected' // overlapping request answered 400
  | 'png-over-http'
  | 'unknown-command'
  | 'error-reply'
  | 'slow-upstream'
  | 'idle-timeout'
  | 'malformed'
  | 'relay-refused'
  | 'limit'
  | 'injected'
  | 'edited'
  // Added by the inspector (H7): a held command the user dropped, an upstream failure, and any
  // other gateway notice (unknown SessionID, bad query, ...), so nothing the gateway says is lost.
  | 'dropped'
  | 'upstream-error'
  | 'notice';

export interface Finding {
  id: number;
  time: number;
  severity: FindingSeverity;
  code: FindingCode;
  message: string;
  sessionId: string | null;
  commandId: number | null;
  exchangeId: number | null;
}

export interface CommandRecord {
  id: number;
  sessionId: string;
  exchangeId: number | null;
  direction: Direction;
  time: number;
  /** Null for malformed items. */
  verb: string | null;
  trid: number | null;
  args: string[];
  payloadLength: number | null;
  errorCode: number | null;
  malformed: string | null;
  /** Byte length of the whole item on the wire. */
  size: number;
  /** The paired request or reply (TrID), if any. */
  pairId: number | null;
  findingIds: number[];
  origin: 'wire' | 'injected' | 'edited';
}

/** The decoded view of one command, built with the shared codec. */
export interface CommandDetail {
  command: CommandRecord;
  raw: Base64;
  category: string;
  description: string;
  fields: { name: string; raw: string; value: string }[];
  error: { code: number; name: string; meaning: string } | null;
  payload:
    | null
    | { kind: 'mime'; headers: [string, string][]; bodyText: string; bodyBytes: number }
    | { kind: 'xml'; text: string; pretty: string }
    | { kind: 'binary'; hex: string; summary: string }
    | { kind: 'text'; text: string };
}

export interface ExchangeDetail {
  exchange: ExchangeRecord;
  requestHead: Base64;
  requestBody: Base64;
  responseHead: Base64 | null;
  responseBody: Base64 | null;
}

// ---- breakpoints ----

export interface Breakpoint {
  id: number;
  /** Filter expression in the filter grammar (shared/api/filter.ts). */
  filter: string;
  direction: Direction | 'both';
  enabled: boolean;
}

export interface HeldCommand {
  id: number;
  breakpointId: number;
  sessionId: string;
  direction: Direction;
  raw: Base64;
  heldAt: number;
  /** When it auto-forwards unless the user acts. */
  deadline: number;
}

// ---- settings ----

export interface Settings {
  gateway: { host: string; port: number; profile: 'faithful' | 'lenient'; gwIp: string | null };
  upstream: { kind: 'emulator' } | { kind: 'tcp'; host: string; port: number };
  retention: { memoryCommands: number; diskMegabytes: number };
  breakpointTimeoutMs: number;
  theme: 'system' | 'light' | 'dark';
}

export interface EmulatorAccount {
  handle: string;
  friendlyName: string;
  online: boolean;
}

export type ExportFormat = 'har' | 'pcapng' | 'transcript' | 'ndjson';

export interface Status {
  gateway: { listening: boolean; host: string; port: number; error: string | null; remedies: string[] };
  upstream: string;
  capturing: boolean;
  captureFile: string | null;
  counts: { sessions: number; commands: number; inMemory: number; evicted: number };
}

// ---- operations ----

export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
}

export interface Operations {
  'status.get': { request: Record<string, never>; response: Status };
  'sessions.list': { request: Record<string, never>; response: SessionRecord[] };
  'sessions.get': { request: { id: string }; response: SessionRecord | null };
  'commands.query': { request: { filter?: string; sessionId?: string; offset?: number; limit?: number }; response: Page<CommandRecord> };
  'commands.get': { request: { id: number }; response: CommandDetail | null };
  'exchanges.list': { request: { sessionId?: string; offset?: number; limit?: number }; response: Page<ExchangeRecord> };
  'exchanges.get': { request: { id: number }; response: ExchangeDetail | null };
  'findings.list': { request: { sessionId?: string; offset?: number; limit?: number }; response: Page<Finding> };
  /** Fills in TrID and payload length, validates with the codec, then sends on the relay path. */
  'inject.send': {
    request: { sessionId: string; to: 'server' | 'client'; verb: string; args: string[]; payload?: Base64; trid?: number | 'auto' };
    response: { ok: true; raw: Base64 } | { ok: false; error: string };
  };
  'inject.resend': { request: { commandId: number }; response: { ok: true; raw: Base64 } | { ok: false; error: string } };
  'capture.pause': { request: Record<string, never>; response: { capturing: boolean } };
  'capture.resume': { request: Record<string, never>; response: { capturing: boolean } };
  'capture.clear': { request: Record<string, never>; response: { cleared: number } };
  'capture.open': { request: { path: string }; response: { ok: true; commands: number } | { ok: false; error: string } };
  'capture.save': { request: { path: string }; response: { ok: true; bytes: number } | { ok: false; error: string } };
  'capture.export': {
    request: { path: string; format: ExportFormat; unredacted?: boolean };
    response: { ok: true; bytes: number } | { ok: false; error: string };
  };
  'capture.import': { request: { path: string }; response: { ok: true; commands: number } | { ok: false; error: string } };
  'breakpoints.list': { request: Record<string, never>; response: { breakpoints: Breakpoint[]; held: HeldCommand[] } };
  'breakpoints.set': { request: Omit<Breakpoint, 'id'> & { id?: number }; response: Breakpoint | { error: string } };
  'breakpoints.remove': { request: { id: number }; response: { removed: boolean } };
  'held.forward': { request: { id: number; raw?: Base64 }; response: { ok: boolean; error?: string } };
  'held.drop': { request: { id: number }; response: { ok: boolean } };
  'settings.get': { request: Record<string, never>; response: Settings };
  'settings.set': { request: Partial<Settings>; response: { settings: Settings; restartNeeded: boolean } | { error: string } };
  'accounts.list': { request: Record<string, never>; response: EmulatorAccount[] };
  'accounts.create': { request: { handle: string; password: string; friendlyName?: string }; response: { ok: boolean; error?: string } };
  'accounts.remove': { request: { handle: string }; response: { ok: boolean; error?: string } };
}

export type OperationName = keyof Operations;
export type OperationRequest<N extends OperationName> = Operations[N]['request'];
export type OperationResponse<N extends OperationName> = Operations[N]['response'];

export const OPERATION_NAMES = [
  'status.get',
  'sessions.list',
  'sessions.get',
  'commands.query',
  'commands.get',
  'exchanges.list',
  'exchanges.get',
  'findings.list',
  'inject.send',
  'inject.resend',
  'capture.pause',
  'capture.resume',
  'capture.clear',
  'capture.open',
  'capture.save',
  'capture.export',
  'capture.import',
  'breakpoints.list',
  'breakpoints.set',
  'breakpoints.remove',
  'held.forward',
  'held.drop',
  'settings.get',
  'settings.set',
  'accounts.list',
  'accounts.create',
  'accounts.remove',
] as const satisfies readonly OperationName[];

// ---- events: batched, at most about 20 a second ----

export interface EventBatch {
  seq: number;
  time: number;
  /** Sessions created or changed since the last batch (whole records). */
  sessions: SessionRecord[];
  /** Commands appended since the last batch, in order. */
  commands: CommandRecord[];
  /** Commands sent in an earlier batch that changed since (pairing, findings), whole records. */
  updatedCommands?: CommandRecord[];
  /** Exchanges created or changed. */
  exchanges: ExchangeRecord[];
  findings: Finding[];
  /** Held commands now pending (full list when it changed, else null). */
  held: HeldCommand[] | null;
  /** Command ids evicted from memory (still on disk), as an inclusive range. */
  evicted: { fromId: number; toId: number } | null;
  /** Set when the core cleared everything (the UI drops its state). */
  cleared: boolean;
  status: Status | null;
}

/** What a transport carries, in both directions. */
export type ClientMessage = { kind: 'call'; id: number; op: OperationName; request: unknown };
export type ServerMessage =
  | { kind: 'result'; id: number; ok: true; response: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'events'; batch: EventBatch };
