// From a session's bytes to stored commands: framing with the session's ConnectionDecoder, TrID
// pairing into pair ids, session metadata, SB->NS linking by cookie, and per-command findings.
import type { BytesEvent } from '../../../shared/api/gateway-events.ts';
import { DEFAULT_VERSION, Framer, commandSpec, describeError } from '../../../shared/msnp/index.ts';
import type { CommandItem, Direction, Item } from '../../../shared/msnp/index.ts';
import { lowerBound } from './command-store.ts';
import { CommandEntry } from './entry.ts';
import type { CommandOrigin, SessionState } from './entry.ts';
import type { InspectorModel } from './model.ts';
import { announcedCookie, sbLoginCookie, updateSessionMeta } from './session-meta.ts';

/** Open client TrIDs remembered per session for reuse detection (the decoder keeps 1024 too). */
const MAX_OPEN_TRIDS = 1024;
/** Distinct unknown verbs reported per session. */
const MAX_UNKNOWN_VERBS = 64;

/** Request items -> command ids, and requests already reported as unanswered. */
const itemIds = new WeakMap<CommandItem, number>();
const reportedNoReply = new WeakSet<CommandItem>();

export function ingestBytes(model: InspectorModel, s: SessionState, e: Pick<BytesEvent, 'direction' | 'exchangeId' | 'time' | 'bytes' | 'origin'>): void {
  ingestItems(model, s, e.direction, frame(s, e), e.time, e.exchangeId, e.origin ?? 'wire');
}

function frame(s: SessionState, e: Pick<BytesEvent, 'direction' | 'bytes' | 'origin'>): Item[] {
  const d = s.decoder;
  if (d !== null && (e.origin === undefined || d.framer(e.direction).buffered === 0)) return d.push(e.direction, e.bytes);
  // Injected and edited bytes are whole commands: framed apart, so a wire command half-arrived
  // around them is not cut. Bytes after the close are framed on their own too.
  const framer = new Framer({ direction: e.direction, server: s.server, version: d?.version ?? s.version ?? DEFAULT_VERSION });
  const items = [...framer.push(e.bytes), ...framer.end()];
  if (d !== null) for (const item of items) if (item.kind === 'command') d.pairing.track(e.direction, item);
  return items;
}

export function ingestItems(model: InspectorModel, s: SessionState, direction: Direction, items: Item[], time: number, exchangeId: number | null, origin: CommandOrigin): void {
  const version = s.decoder?.version ?? s.version ?? DEFAULT_VERSION;
  for (const item of items) {
    if (item.kind === 'command') noteMeta(model, s, direction, item);
    if (!model.recording) continue;
    const entry = new CommandEntry(model.commands.nextId, s, direction, item, time, exchangeId, origin, version);
    store(model, s, entry);
    if (item.kind === 'command') commandFindings(model, s, entry, item);
    else {
      const lengthProblem = /payload length|payload has|missing payload length/.test(item.reason);
      model.addFinding({
        time,
        severity: 'error',
        code: lengthProblem ? 'length-mismatch' : 'malformed',
        message: `${direction === 'client' ? 'client' : 'server'} bytes did not frame: ${item.reason}`,
        sessionId: s.id,
        commandId: entry.id,
        exchangeId,
      });
    }
    if (origin !== 'wire') {
      model.addFinding({ time, severity: 'info', code: origin, message: `${origin} by the user, sent to the ${direction === 'client' ? 'server' : 'client'}`, sessionId: s.id, commandId: entry.id });
    }
  }
}

function noteMeta(model: InspectorModel, s: SessionState, direction: Direction, item: CommandItem): void {
  if (s.decoder !== null && updateSessionMeta(s, direction, item, s.decoder)) model.changes.sessions.add(s.id);
  if (direction === 'client' && item.trid !== null && item.trid > s.maxClientTrid) s.maxClientTrid = item.trid;
  const announced = announcedCookie(s, direction, item);
  if (announced !== null) model.cookies.set(announced, s.id);
  const login = sbLoginCookie(s, direction, item);
  if (login !== null) {
    const parent = model.cookies.get(login);
    if (parent !== undefined) {
      s.parentSessionId = parent;
      model.changes.sessions.add(s.id);
    }
  }
}

function store(model: InspectorModel, s: SessionState, entry: CommandEntry): void {
  const evicted = model.commands.append(entry);
  if (evicted.length > 0) model.changes.evictedRange(evicted[0].id, evicted[evicted.length - 1].id);
  model.changes.commandAdded(entry.id);
  const ids = s.commandIds;
  ids.push(entry.id);
  // Drop this session's evicted ids once they are the larger part of its index.
  if (ids.length > 1024 && ids[0] < model.commands.firstId) {
    const dead = lowerBound(ids, model.commands.firstId);
    if (dead * 2 > ids.length) ids.splice(0, dead);
  }
  if (entry.direction === 'client') s.counts.commandsFromClient++;
  else s.counts.commandsFromServer++;
  model.changes.sessions.add(s.id);
  if (entry.exchangeId !== null) model.linkExchange(entry.exchangeId, entry.id);
}

function commandFindings(model: InspectorModel, s: SessionState, entry: CommandEntry, item: CommandItem): void {
  const base = { time: entry.time, sessionId: s.id, commandId: entry.id, exchangeId: entry.exchangeId };
  const info = s.decoder?.pairInfo(item);
  if (info !== undefined && info.transaction !== null) {
    const t = info.transaction;
    if (info.role === 'request') {
      itemIds.set(item, entry.id);
      if (item.trid !== null && t.expectsReply) {
        const previous = s.openTrids.get(item.trid);
        if (previous !== undefined) {
          model.addFinding({ ...base, severity: 'warning', code: 'trid-reuse', message: `TrID ${item.trid} reused while command #${previous} still waits for its reply` });
          s.openTrids.delete(item.trid);
        }
        s.openTrids.set(item.trid, entry.id);
        if (s.openTrids.size > MAX_OPEN_TRIDS) s.openTrids.delete(s.openTrids.keys().next().value as number);
      }
    } else if (info.role === 'reply') {
      const requestId = itemIds.get(t.request);
      if (requestId !== undefined) {
        entry.pairId = requestId;
        const request = model.commands.get(requestId);
        if (request) {
          request.pairId = entry.id;
          model.changes.commandUpdated(requestId);
        }
        if (t.trid !== null && s.openTrids.get(t.trid) === requestId) s.openTrids.delete(t.trid);
      }
    }
  } else if (info?.role === 'unpaired-reply') {
    const what = item.trid === null ? `${item.verb} without a PNG` : `${item.verb} with TrID ${item.trid}`;
    model.addFinding({ ...base, severity: 'warning', code: 'unsolicited-reply', message: `reply without request: ${what} that no client command used` });
  }
  if (item.errorCode !== null) {
    const err = describeError(item.errorCode, s.server);
    model.addFinding({ ...base, severity: err.fatal ? 'error' : 'warning', code: 'error-reply', message: `error ${item.errorCode} ${err.name}: ${err.meaning}` });
  } else if (commandSpec(item.verb) === undefined && !s.unknownVerbs.has(item.verb) && s.unknownVerbs.size < MAX_UNKNOWN_VERBS) {
    s.unknownVerbs.add(item.verb);
    model.addFinding({ ...base, severity: 'info', code: 'unknown-command', message: `unknown command ${item.verb} (not in the command catalog)` });
  }
  if (item.verb === 'PNG' && entry.direction === 'client') {
    model.addFinding({ ...base, severity: 'warning', code: 'png-over-http', message: 'client sent PNG over the HTTP gateway (the real gateway answered 400 and closed the session)' });
  }
}

/** Requests without a reply, sent before `before`: one `no-reply` finding each. */
export function reportPending(model: InspectorModel, s: SessionState, before: number, why: 'timeout' | 'close', now: number): void {
  if (s.decoder === null) return;
  for (const t of s.decoder.pending()) {
    const item = t.request;
    if (reportedNoReply.has(item)) continue;
    const id = itemIds.get(item);
    if (id === undefined) continue;
    const entry = model.commands.get(id);
    if (why === 'timeout' && (entry === undefined || entry.time > before)) continue;
    reportedNoReply.add(item);
    const label = `${item.verb}${item.trid === null ? '' : ` ${item.trid}`}`;
    const message = why === 'close' ? `request without reply: ${label} was not answered before the session closed` : `request without reply: ${label} not answered after ${model.options.replyTimeoutMs} ms`;
    model.addFinding({ time: now, severity: 'warning', code: 'no-reply', message, sessionId: s.id, commandId: id, exchangeId: entry?.exchangeId ?? null });
  }
}
