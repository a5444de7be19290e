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
    text: commandText(c),
  };
}

/** The command line as text (verb and arguments), for free-text search. */
export function commandText(c: CommandRecord): string {
  return c.verb === null ? (c.malformed ?? '') : c.args.length > 0 ? `${c.verb} ${c.args.join(' ')}` : c.verb;
}

/**
 * One reusable view of the command being tested: the predicate reads a few fields of each of
 * 100,000 commands, and building a subject object (and its text) per command per keystroke made
 * most of a filter's time garbage. The text is built only when a free-text term asks for it.
 */
class SubjectView implements FilterSubject {
  c: CommandRecord | null = null;
  s: SessionRecord | undefined = undefined;
  private cmd(): CommandRecord {
    return this.c as CommandRecord;
  }
  get verb() {
    return this.cmd().verb;
  }
  get direction() {
    return this.cmd().direction;
  }
  get sessionId() {
    return this.cmd().sessionId;
  }
  get server() {
    return this.s?.server ?? 'NS';
  }
  get trid() {
    return this.cmd().trid;
  }
  get user() {
    return this.s?.user ?? null;
  }
  get errorCode() {
    return this.cmd().errorCode;
  }
  get malformed() {
    return this.cmd().malformed !== null;
  }
  get text() {
    return commandText(this.cmd());
  }
}

const SESSION_FIELDS = new Set(['user', 'server', 'session']);

/**
 * Free text without whitespace cannot span the spaces between verb and arguments, so it is found
 * in the command line exactly when it is found in one of its parts: no line to build per command.
 */
function partsInclude(c: CommandRecord, text: string): boolean {
  if (c.verb === null) return (c.malformed ?? '').toLowerCase().includes(text);
  if (c.verb.toLowerCase().includes(text)) return true;
  for (const a of c.args) if (a.toLowerCase().includes(text)) return true;
  return false;
}

/**
 * The filter as a predicate over commands, the same as compileFilter over subjectOf(command), in
 * three parts: terms on session fields (user:, server:, session:) decided once per session, free
 * text searched part by part, and the rest through the shared matcher on a reused view.
 */
export function compileForCommands(parsed: ParsedFilter, sessions: ReadonlyMap<string, SessionRecord>): (c: CommandRecord) => boolean {
  const sessionTerms = parsed.terms.filter((t) => t.kind === 'field' && SESSION_FIELDS.has(t.field));
  const textTerms = parsed.terms.flatMap((t) => (t.kind === 'text' && !/\s/.test(t.text) ? [t] : []));
  const otherTerms = parsed.terms.filter((t) => !sessionTerms.includes(t) && !(textTerms as readonly unknown[]).includes(t));
  const matchSession = sessionTerms.length > 0 ? compileFilter({ terms: sessionTerms, errors: [] }) : null;
  const matchOther = otherTerms.length > 0 ? compileFilter({ terms: otherTerms, errors: [] }) : null;
  const bySession = new Map<string, boolean>();
  const view = new SubjectView();
  if (matchOther && !matchSession && textTerms.length === 0) {
    return (c) => {
      view.c = c;
      view.s = sessions.get(c.sessionId);
      return matchOther(view);
    };
  }
  return (c) => {
    if (matchSession) {
      let ok = bySession.get(c.sessionId);
      if (ok === undefined) {
        view.c = c;
        view.s = sessions.get(c.sessionId);
        ok = matchSession(view);
        bySession.set(c.sessionId, ok);
      }
      if (!ok) return false;
    }
    for (let i = 0; i < textTerms.length; i++) if (partsInclude(c, textTerms[i].text) === textTerms[i].negate) return false;
    if (!matchOther) return true;
    view.c = c;
    view.s = sessions.get(c.sessionId);
    return matchOther(view);
  };
}

/** What session-field filters (user:, server:) see of the sessions, as one comparable string. */
function sessionFields(sessions: ReadonlyMap<string, SessionRecord>): string {
  let out = '';
  for (const s of sessions.values()) out += `${s.id}\u0000${s.server}\u0000${s.user ?? ''}\u0001`;
  return out;
}

const usesSessionFields = (p: ParsedFilter) => p.terms.some((t) => t.kind === 'field' && (t.field === 'user' || t.field === 'server'));

/**
 * Whether every command matching `next` matches `prev`: the same terms, except that free-text
 * terms (not negated) may have grown (a longer text is found only where a shorter part of it is).
 */
export function narrows(prev: ParsedFilter, next: ParsedFilter): boolean {
  if (prev.errors.length > 0 || next.errors.length > 0 || prev.terms.length === 0 || prev.terms.length !== next.terms.length) return false;
  return prev.terms.every((a, i) => {
    const b = next.terms[i];
    if (a.kind === 'text' && b.kind === 'text') return a.negate === b.negate && (a.negate ? a.text === b.text : b.text.includes(a.text));
    return JSON.stringify(a) === JSON.stringify(b);
  });
}

export class VisibleCommands {
  private key = '';
  private epoch = -1;
  private sessions: ReadonlyMap<string, SessionRecord> | null = null;
  private scanned = 0;
  private indices: number[] = [];
  private parsed: ParsedFilter = { terms: [], errors: [] };
  private result: VisibleRows = { indices: null, count: 0, errors: [], placeholders: 0 };
  private older = 0;
  private scope: string | null = null;
  private sessionFields = '';
  private source: readonly CommandRecord[] | null = null;

  compute(input: VisibleInput): VisibleRows {
    const key = `${input.scopeSessionId ?? ''}\u0000${input.filterText}`;
    const previous = this.parsed;
    if (key !== this.key) this.parsed = parseFilter(input.filterText);
    const sessionBound = usesSessionFields(this.parsed);
    // Session records change with every batch (their counts); a filter on session fields only
    // needs a new scan when a session's user or server changed.
    const sessionsChanged = sessionBound && input.sessionsById !== this.sessions && sessionFields(input.sessionsById) !== this.sessionFields;
    const fresh = key !== this.key || input.epoch !== this.epoch || input.commands.length < this.scanned || sessionsChanged;
    const older = input.older ?? 0;
    // The store appends to the same array in place: its length tells what is new.
    if (!fresh && input.commands === this.source && input.commands.length === this.scanned && older === this.older) return this.result;
    // Typing on into the filter narrows it: same scope and list, matches of the previous filter.
    const narrowing =
      key !== this.key && input.epoch === this.epoch && input.commands === this.source && input.commands.length === this.scanned && this.result.indices !== null && input.scopeSessionId === this.scope && narrows(previous, this.parsed)
        ? this.result.indices
        : null;
    this.scope = input.scopeSessionId;
    this.source = input.commands;
    this.older = older;
    if (fresh) {
      this.key = key;
      this.epoch = input.epoch;
      this.scanned = 0;
      this.indices = [];
    }
    if (sessionBound && input.sessionsById !== this.sessions) this.sessionFields = sessionFields(input.sessionsById);
    this.sessions = input.sessionsById;
    const { commands, scopeSessionId } = input;
    if (this.parsed.terms.length === 0 && scopeSessionId === null) {
      this.scanned = commands.length;
      this.result = { indices: null, count: older + commands.length, errors: this.parsed.errors, placeholders: older };
      return this.result;
    }
    const match = compileForCommands(this.parsed, input.sessionsById);
    const narrowed = fresh && narrowing ? narrowing : null;
    const indices = fresh ? (narrowed ? [] : this.indices) : this.indices.slice();
    if (narrowed) {
      // Every match of the new filter matched the previous one: test only those.
      for (const i of narrowed) if (match(commands[i])) indices.push(i);
    } else {
      for (let i = this.scanned; i < commands.length; i++) {
        const c = commands[i];
        if ((scopeSessionId === null || c.sessionId === scopeSessionId) && match(c)) indices.push(i);
      }
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
