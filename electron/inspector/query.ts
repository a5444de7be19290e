// Read side of the model: paged commands (filter, session), exchanges, findings, sessions.
// Unfiltered pages are index arithmetic; a filter is compiled once and its matches are cached and
// extended incrementally, so paging through a filtered view of a million commands scans once.
import type { CommandRecord, ExchangeRecord, Finding, Page, SessionRecord } from '../../shared/api/contract.ts';
import { compileFilter, parseFilter } from '../../shared/api/filter.ts';
import type { FilterSubject } from '../../shared/api/filter.ts';
import { lowerBound } from './model/command-store.ts';
import { sessionRecord } from './model/entry.ts';
import type { CommandEntry } from './model/entry.ts';
import type { InspectorModel } from './model/model.ts';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 5000;

export interface CommandQuery {
  filter?: string;
  sessionId?: string;
  offset?: number;
  limit?: number;
}

export class QueryError extends Error {
  override name = 'QueryError';
}

interface CachedMatch {
  key: string;
  predicate: (s: FilterSubject) => boolean;
  ids: number[];
  /** Highest command id already tested. */
  scannedTo: number;
  /** `clear()` generation the cache belongs to. */
  generation: number;
}

const MAX_CACHED = 4;

export class CommandQueries {
  private readonly model: InspectorModel;
  private cache: CachedMatch[] = [];
  private generation = 0;
  /** How many commands filters have been tested against (a cached filter tests only new ones). */
  tested = 0;

  constructor(model: InspectorModel) {
    this.model = model;
  }

  /** Forget cached matches (after a clear). */
  invalidate(): void {
    this.generation++;
    this.cache = [];
  }

  query(q: CommandQuery): Page<CommandRecord> {
    const offset = q.offset ?? 0;
    const limit = q.limit ?? DEFAULT_PAGE;
    const filter = (q.filter ?? '').trim();
    const store = this.model.commands;
    if (filter === '') {
      if (q.sessionId === undefined) {
        return { total: store.size, offset, items: store.slice(offset, offset + limit).map(toRecord) };
      }
      const ids = this.model.sessions.get(q.sessionId)?.commandIds ?? [];
      const from = lowerBound(ids, store.firstId);
      const page = ids.slice(from + offset, from + offset + limit);
      return { total: ids.length - from, offset, items: this.records(page) };
    }
    const match = this.matches(filter, q.sessionId);
    const from = lowerBound(match.ids, store.firstId);
    const page = match.ids.slice(from + offset, from + offset + limit);
    return { total: match.ids.length - from, offset, items: this.records(page) };
  }

  private records(ids: number[]): CommandRecord[] {
    const out: CommandRecord[] = [];
    for (const id of ids) {
      const entry = this.model.commands.get(id);
      if (entry) out.push(entry.toRecord());
    }
    return out;
  }

  private matches(filter: string, sessionId: string | undefined): CachedMatch {
    const key = `${sessionId ?? ''}\u0000${filter}`;
    let m = this.cache.find((c) => c.key === key && c.generation === this.generation);
    if (m === undefined) {
      const parsed = parseFilter(filter);
      if (parsed.errors.length > 0) throw new QueryError(`bad filter: ${parsed.errors.join('; ')}`);
      m = { key, predicate: compileFilter(parsed), ids: [], scannedTo: 0, generation: this.generation };
      this.cache.unshift(m);
      if (this.cache.length > MAX_CACHED) this.cache.pop();
    }
    const store = this.model.commands;
    const start = Math.max(m.scannedTo + 1, store.firstId);
    const predicate = m.predicate;
    const ids = m.ids;
    let tested = 0;
    if (sessionId === undefined) {
      store.forEachFrom(start, (entry) => {
        tested++;
        if (predicate(entry)) ids.push(entry.id);
      });
    } else {
      const own = this.model.sessions.get(sessionId)?.commandIds ?? [];
      for (let i = lowerBound(own, start); i < own.length; i++) {
        const entry = store.get(own[i]);
        tested++;
        if (entry && predicate(entry)) ids.push(entry.id);
      }
    }
    this.tested += tested;
    m.scannedTo = store.lastId;
    // Keep the cached list from holding on to a long evicted prefix.
    if (ids.length > 1024 && ids[0] < store.firstId) {
      const dead = lowerBound(ids, store.firstId);
      if (dead * 2 > ids.length) ids.splice(0, dead);
    }
    return m;
  }
}

function toRecord(entry: CommandEntry): CommandRecord {
  return entry.toRecord();
}

export function listSessions(model: InspectorModel): SessionRecord[] {
  return [...model.sessions.values()].map(sessionRecord);
}

export function getSession(model: InspectorModel, id: string): SessionRecord | null {
  const s = model.sessions.get(id);
  return s ? sessionRecord(s) : null;
}

export function listExchanges(model: InspectorModel, q: { sessionId?: string; offset?: number; limit?: number }): Page<ExchangeRecord> {
  const offset = q.offset ?? 0;
  const { total, items } = model.exchanges.list(q.sessionId, offset, q.limit ?? DEFAULT_PAGE);
  return { total, offset, items };
}

export function listFindings(model: InspectorModel, q: { sessionId?: string; offset?: number; limit?: number }): Page<Finding> {
  const offset = q.offset ?? 0;
  const { total, items } = model.findings.list(q.sessionId, offset, q.limit ?? DEFAULT_PAGE);
  return { total, offset, items: items.map((f) => ({ ...f })) };
}
