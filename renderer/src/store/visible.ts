// Which commands the grid shows: the filter and the session scope applied to the store's list.
// Results are indices into `commands`, so a frame that only appended commands tests just the new
// ones, and records replaced by updates (pairing, findings) are read fresh from the list.
import type { CommandRecord, SessionRecord } from '../../../shared/api/contract.ts';
import { compileFilter, parseFilter } from '../../../shared/api/filter.ts';
import type { FilterSubject, ParsedFilter } from '../../../shared/api/filter.ts';

export interface VisibleInput {
  commands: readonly CommandRecord[];
  epoch: number;
  sessionsById: ReadonlyMap<string, SessionRecord>;
  filterText: string;
  scopeSessionId: string | null;
  /** Older commands still loading; shown as placeholder rows when nothing is filtered. */
  older?: number;
}

export interface VisibleRows {
  /** Indices into `commands`, or null when every command is shown. */
  indices: readonly number[] | null;
  count: number;
  errors: string[];
  /** Leading rows whose commands are still loading (only without filter and scope). */
  placeholders: number;
}

export function subjectOf(c: CommandRecord, s: SessionRecord | undefined): FilterSubject {
  return {
    verb: c.verb,
    direction: c.direction,
    sessionId: c.sessionId,
    server: s?.server ?? 'NS',
    trid: c.trid,
    user: s?.user ?? null,
    errorCode: c.errorCode,
    malformed: c.malformed !== null,
    text: c.verb === null ? (c.malformed ?? '') : c.args.length > 0 ? `${c.verb} ${c.args.join(' ')}` : c.verb,
  };
}

export function compileForCommands(parsed: ParsedFilter, sessions: ReadonlyMap<string, SessionRecord>): (c: CommandRecord) => boolean {
  const match = compileFilter(parsed);
  return (c) => match(subjectOf(c, sessions.get(c.sessionId)));
}

const usesSessionFields = (p: ParsedFilter) => p.terms.some((t) => t.kind === 'field' && (t.field === 'user' || t.field === 'server'));

export class VisibleCommands {
  private key = '';
  private epoch = -1;
  private sessions: ReadonlyMap<string, SessionRecord> | null = null;
  private scanned = 0;
  private indices: number[] = [];
  private parsed: ParsedFilter = { terms: [], errors: [] };
  private result: VisibleRows = { indices: null, count: 0, errors: [], placeholders: 0 };
  private older = 0;
  private source: readonly CommandRecord[] | null = null;

  compute(input: VisibleInput): VisibleRows {
    const key = `${input.scopeSessionId ?? ''}\u0000${input.filterText}`;
    if (key !== this.key) this.parsed = parseFilter(input.filterText);
    const sessionBound = usesSessionFields(this.parsed);
    const fresh = key !== this.key || input.epoch !== this.epoch || input.commands.length < this.scanned || (sessionBound && input.sessionsById !== this.sessions);
    const older = input.older ?? 0;
    // The store appends to the same array in place: its length tells what is new.
    if (!fresh && input.commands === this.source && input.commands.length === this.scanned && older === this.older) return this.result;
    this.source = input.commands;
    this.older = older;
    if (fresh) {
      this.key = key;
      this.epoch = input.epoch;
      this.scanned = 0;
      this.indices = [];
    }
    this.sessions = input.sessionsById;
    const { commands, scopeSessionId } = input;
    if (this.parsed.terms.length === 0 && scopeSessionId === null) {
      this.scanned = commands.length;
      this.result = { indices: null, count: older + commands.length, errors: this.parsed.errors, placeholders: older };
      return this.result;
    }
    const match = compileForCommands(this.parsed, input.sessionsById);
    const indices = fresh ? this.indices : this.indices.slice();
    for (let i = this.scanned; i < commands.length; i++) {
      const c = commands[i];
      if ((scopeSessionId === null || c.sessionId === scopeSessionId) && match(c)) indices.push(i);
    }
    this.indices = indices;
    this.scanned = commands.length;
    this.result = { indices, count: indices.length, errors: this.parsed.errors, placeholders: 0 };
    return this.result;
  }
}

/** The command on grid row `i`, or undefined for a row still loading. */
export function rowAt(rows: VisibleRows, commands: readonly CommandRecord[], i: number): CommandRecord | undefined {
  if (rows.indices !== null) return commands[rows.indices[i]];
  return i < rows.placeholders ? undefined : commands[i - rows.placeholders];
}
