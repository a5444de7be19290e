// The inspector's model: sessions, exchanges, commands and findings, built from GatewayEvents alone
// (so a live run and a reopened capture give the same picture). Commands are decoded per session
// with the codec's ConnectionDecoder; ingest is synchronous and allocation-light.
import type { GatewayEvent, HttpRequestEvent, HttpResponseEvent, SessionClosedEvent, SessionOpenedEvent } from '../../../shared/api/gateway-events.ts';
import { ConnectionDecoder, type PairingLimits } from '../../../shared/msnp/index.ts';
import { ChangeSet } from './changes.ts';
import { CommandStore } from './command-store.ts';
import { ingestBytes, ingestItems, reportPending } from './command-ingest.ts';
import type { SessionState } from './entry.ts';
import { ExchangeStore, MAX_COMMAND_IDS_PER_EXCHANGE } from './exchanges.ts';
import { FindingStore } from './findings.ts';
import type { NewFinding } from './findings.ts';
import { CookieTable } from './session-meta.ts';
import { findingForNotice } from './notices.ts';
import type { Finding } from '../../../shared/api/contract.ts';
import { ACCEPTED_RECENT_IDS } from '../../gateway/session-id.ts';

export interface ModelOptions {
  /** Commands kept in memory; older ones are evicted (they stay in the capture log). */
  memoryCommands: number;
  maxExchanges: number;
  maxFindings: number;
  /** Closed sessions kept; the oldest closed ones go first. */
  maxClosedSessions: number;
  /** A request still unanswered after this long gets a `no-reply` finding (0 = only at close). */
  replyTimeoutMs: number;
  /** Forwarded request whose first upstream byte took longer than this: `slow-upstream`. */
  slowUpstreamMs: number;
}

export const MODEL_DEFAULTS: ModelOptions = {
  memoryCommands: 200_000,
  maxExchanges: 50_000,
  maxFindings: 50_000,
  maxClosedSessions: 10_000,
  replyTimeoutMs: 60_000,
  slowUpstreamMs: 5_000,
};

// The IDs the gateway still accepts: older ones only made every session upsert in every batch
// longer (a poll issues a new ID, so at 10,000 sessions that was most of the batches' bytes).
const MAX_SESSION_IDS = ACCEPTED_RECENT_IDS;

/**
 * The model keeps its own compact CommandEntry per command and only asks the decoder which request
 * a reply answers; the decoded items a transaction holds are otherwise unused here. Every one kept
 * is an object graph (line, arguments, a view pinning its chunk) that the inspector thread's
 * collector walks again on each full GC: at 10,000 sessions the codec's defaults kept about
 * 1.5 million such objects. Two answered transactions per session still catch the related lines
 * that follow a reply (ILN after CHG); related lines and unpaired replies are classified, not kept.
 */
export const INSPECTOR_PAIRING: Partial<PairingLimits> = { maxAnswered: 2, maxRelated: 0, maxUnpaired: 0 };

export class InspectorModel {
  readonly options: ModelOptions;
  readonly commands: CommandStore;
  readonly exchanges: ExchangeStore;
  readonly findings: FindingStore;
  readonly sessions = new Map<string, SessionState>();
  /** Closed sessions in the order they closed, oldest first from `closedHead` (eviction order). */
  private closedOrder: (SessionState | null)[] = [];
  private closedHead = 0;
  readonly changes = new ChangeSet();
  readonly cookies = new CookieTable();
  /** While false, events keep session and framing state right but nothing new is stored. */
  recording = true;
  eventsSeen = 0;

  constructor(options: Partial<ModelOptions> = {}) {
    this.options = { ...MODEL_DEFAULTS, ...options };
    this.commands = new CommandStore(this.options.memoryCommands);
    this.exchanges = new ExchangeStore(this.options.maxExchanges);
    this.findings = new FindingStore(this.options.maxFindings);
  }

  ingest(e: GatewayEvent): void {
    this.eventsSeen++;
    switch (e.type) {
      case 'session-opened':
        this.openSession(e);
        return;
      case 'session-id-issued': {
        const s = this.touch(e.sessionId, e.time);
        s.gatewaySessionIds.push(e.gatewaySessionId);
        if (s.gatewaySessionIds.length > MAX_SESSION_IDS) s.gatewaySessionIds.shift();
        return;
      }
      case 'http-request':
        this.onRequest(e);
        return;
      case 'http-response':
        this.onResponse(e);
        return;
      case 'bytes': {
        const s = this.touch(e.sessionId, e.time);
        if (e.direction === 'client') s.bytes.fromClient += e.bytes.length;
        else s.bytes.fromServer += e.bytes.length;
        ingestBytes(this, s, e);
        return;
      }
      case 'upstream-connected': {
        const s = this.touch(e.sessionId, e.time);
        if (s.upstream !== 'emulator') s.upstream = `${e.host}:${e.port}`;
        return;
      }
      case 'upstream-closed':
        this.touch(e.sessionId, e.time);
        return;
      case 'upstream-error':
        this.touch(e.sessionId, e.time);
        this.addFinding({ time: e.time, severity: 'error', code: 'upstream-error', message: `upstream ${e.code}: ${e.message}`, sessionId: e.sessionId });
        return;
      case 'notice':
        if (e.sessionId !== null) this.touch(e.sessionId, e.time);
        this.addFinding(findingForNotice(e));
        return;
      case 'session-closed':
        this.closeSession(e);
        return;
    }
  }

  /** Reports requests unanswered for longer than `replyTimeoutMs`. Call periodically. */
  sweep(now: number): void {
    if (this.options.replyTimeoutMs <= 0) return;
    for (const s of this.sessions.values()) {
      if (s.decoder !== null) reportPending(this, s, now - this.options.replyTimeoutMs, 'timeout', now);
    }
  }

  addFinding(f: NewFinding): Finding | null {
    if (!this.recording) return null;
    const finding = this.findings.add(f);
    this.changes.findings.push(finding);
    if (f.sessionId !== null) {
      const s = this.sessions.get(f.sessionId);
      if (s) {
        s.counts.findings++;
        this.changes.sessions.add(s.id);
      }
    }
    if (f.commandId != null) {
      const entry = this.commands.get(f.commandId);
      if (entry) {
        (entry.findingIds ??= []).push(finding.id);
        this.changes.commandUpdated(entry.id);
      }
    }
    return finding;
  }

  /** Drops commands, exchanges, findings and closed sessions; live sessions stay (counters reset). */
  clear(): number {
    const cleared = this.commands.clear();
    this.exchanges.clear();
    this.findings.clear();
    this.changes.reset();
    this.changes.cleared = true;
    this.closedOrder = [];
    this.closedHead = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.state === 'closed') {
        this.sessions.delete(s.id);
        continue;
      }
      s.counts = { commandsFromClient: 0, commandsFromServer: 0, exchanges: 0, findings: 0 };
      s.bytes = { fromClient: 0, fromServer: 0 };
      s.commandIds = [];
      s.openTrids.clear();
      this.changes.sessions.add(s.id);
    }
    return cleared;
  }

  setRetention(memoryCommands: number): void {
    const evicted = this.commands.setRetention(memoryCommands);
    if (evicted.length > 0) this.changes.evictedRange(evicted[0].id, evicted[evicted.length - 1].id);
  }

  /** The session of an event, created on first sight if its opening was not seen (reopened mid-run). */
  touch(id: string, time: number): SessionState {
    let s = this.sessions.get(id);
    if (s === undefined) s = this.createSession(id, 'NS', time, { requestedIp: '', clientAddress: '', upstream: '' });
    if (time > s.lastActivity) s.lastActivity = time;
    this.changes.sessions.add(id);
    return s;
  }

  private createSession(id: string, server: 'NS' | 'SB', time: number, from: { requestedIp: string; clientAddress: string; upstream: string }): SessionState {
    const s: SessionState = {
      id,
      server,
      gatewaySessionIds: [],
      clientAddress: from.clientAddress,
      upstream: from.upstream,
      requestedIp: from.requestedIp,
      user: null,
      version: null,
      client: null,
      state: 'open',
      closeReason: null,
      firstActivity: time,
      lastActivity: time,
      parentSessionId: null,
      counts: { commandsFromClient: 0, commandsFromServer: 0, exchanges: 0, findings: 0 },
      bytes: { fromClient: 0, fromServer: 0 },
      decoder: new ConnectionDecoder(server, { pairing: INSPECTOR_PAIRING }),
      openTrids: new Map(),
      maxClientTrid: 0,
      unknownVerbs: new Set(),
      sbLoginSeen: false,
      commandIds: [],
    };
    this.sessions.set(id, s);
    this.changes.sessions.add(id);
    return s;
  }

  private openSession(e: SessionOpenedEvent): void {
    const existing = this.sessions.get(e.sessionId);
    if (existing) this.sessions.delete(e.sessionId);
    const upstream = e.upstream.kind === 'emulator' ? 'emulator' : `${e.upstream.host}:${e.upstream.port}`;
    this.createSession(e.sessionId, e.server, e.time, { requestedIp: e.requestedIp, clientAddress: `${e.clientAddress}:${e.clientPort}`, upstream });
  }

  private closeSession(e: SessionClosedEvent): void {
    const s = this.touch(e.sessionId, e.time);
    const wasClosed = s.state === 'closed';
    if (s.decoder !== null) {
      // Bytes still buffered (a line without CRLF, a payload shorter than declared) are findings now.
      for (const direction of ['client', 'server'] as const) {
        const items = s.decoder.end(direction);
        if (items.length > 0) ingestItems(this, s, direction, items, e.time, null, 'wire');
      }
      reportPending(this, s, Infinity, 'close', e.time);
      s.decoder = null;
    }
    s.state = 'closed';
    s.closeReason = e.reason;
    s.openTrids.clear();
    if (e.reason === 'idle-timeout') {
      this.addFinding({ time: e.time, severity: 'warning', code: 'idle-timeout', message: `session closed by the gateway's idle timeout${e.detail ? `: ${e.detail}` : ''}`, sessionId: s.id });
    }
    if (!wasClosed) this.dropOldClosedSessions(s);
  }

  // A queue, not a scan of every session per close: the scan was quadratic under load.
  private dropOldClosedSessions(s: SessionState): void {
    this.closedOrder.push(s);
    while (this.closedOrder.length - this.closedHead > this.options.maxClosedSessions) {
      const oldest = this.closedOrder[this.closedHead];
      // The slot lets go of the record at once, so an evicted session is garbage right away.
      this.closedOrder[this.closedHead++] = null;
      // Only if it is still the record under that id (a reopened id replaced it).
      if (oldest && this.sessions.get(oldest.id) === oldest) this.sessions.delete(oldest.id);
    }
    if (this.closedHead > 1024 && this.closedHead * 2 > this.closedOrder.length) {
      this.closedOrder = this.closedOrder.slice(this.closedHead);
      this.closedHead = 0;
    }
  }

  private onRequest(e: HttpRequestEvent): void {
    if (e.sessionId !== null) {
      const s = this.touch(e.sessionId, e.time);
      if (this.recording) s.counts.exchanges++;
    }
    if (!this.recording) return;
    const dropped = this.exchanges.add({
      record: {
        id: e.exchangeId,
        sessionId: e.sessionId,
        kind: e.kind,
        method: e.method,
        target: e.target,
        status: null,
        reason: null,
        timings: { received: e.time, forwarded: null, firstUpstreamByte: null, answered: null },
        requestBytes: e.body.length,
        responseBytes: 0,
        commandIds: [],
      },
      requestHead: e.head,
      requestBody: e.body,
      responseHead: null,
      responseBody: null,
    });
    this.changes.exchanges.add(e.exchangeId);
    if (dropped !== null) this.changes.exchanges.delete(dropped);
  }

  private onResponse(e: HttpResponseEvent): void {
    if (e.sessionId !== null) this.touch(e.sessionId, e.time);
    const x = this.exchanges.get(e.exchangeId);
    if (!x) return;
    x.record.status = e.status;
    x.record.reason = e.reason ?? null;
    x.record.timings = { ...e.timings };
    x.record.responseBytes = e.body.length;
    x.responseHead = e.head;
    x.responseBody = e.body;
    this.changes.exchanges.add(e.exchangeId);
    const { forwarded, firstUpstreamByte, answered } = e.timings;
    if (forwarded !== null && x.record.kind !== 'long-poll') {
      const wait = (firstUpstreamByte ?? answered) - forwarded;
      if (wait > this.options.slowUpstreamMs) {
        const what = firstUpstreamByte === null ? 'no upstream byte before the answer' : 'first upstream byte';
        this.addFinding({
          time: e.time,
          severity: 'warning',
          code: 'slow-upstream',
          message: `slow upstream: ${what} after ${Math.round(wait)} ms (threshold ${this.options.slowUpstreamMs} ms)`,
          sessionId: e.sessionId,
          exchangeId: e.exchangeId,
        });
      }
    }
  }

  /** Links a command to the exchange that carried it. */
  linkExchange(exchangeId: number, commandId: number): void {
    const x = this.exchanges.get(exchangeId);
    if (!x || x.record.commandIds.length >= MAX_COMMAND_IDS_PER_EXCHANGE) return;
    x.record.commandIds.push(commandId);
    this.changes.exchanges.add(exchangeId);
  }
}
