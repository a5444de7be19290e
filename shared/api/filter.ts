// The filter grammar shared by the command grid, breakpoints and highlight rules:
//   verb:MSG dir:client session:123 server:ns|sb trid:5 user:alice error "free text" -verb:PNG
// Terms are ANDed; `-` negates a term; `a|b` in a field value means either. Pure TypeScript.

export interface FilterSubject {
  verb: string | null;
  direction: 'client' | 'server';
  sessionId: string;
  server: 'NS' | 'SB';
  trid: number | null;
  user: string | null;
  errorCode: number | null;
  malformed: boolean;
  /** The command line as text (verb and arguments), for free-text search. */
  text: string;
}

export const FILTER_FIELDS = [
  { key: 'verb', help: 'command verb, e.g. verb:MSG or verb:USR|XFR', example: 'verb:MSG' },
  { key: 'dir', help: 'who sent it: dir:client (C→S) or dir:server (S→C)', example: 'dir:client' },
  { key: 'session', help: 'session id (prefix match)', example: 'session:5123' },
  { key: 'server', help: 'connection kind: server:ns or server:sb', example: 'server:sb' },
  { key: 'trid', help: 'transaction id, e.g. trid:12', example: 'trid:12' },
  { key: 'user', help: "the session's signed-in handle (substring)", example: 'user:alice' },
  { key: 'error', help: 'numeric error replies (bare word), or error:911', example: 'error' },
  { key: 'malformed', help: 'bytes that did not frame as a command (bare word)', example: 'malformed' },
] as const;

export type FilterField = (typeof FILTER_FIELDS)[number]['key'];

export type FilterTerm =
  | { kind: 'field'; field: FilterField; values: string[]; negate: boolean }
  | { kind: 'flag'; field: 'error' | 'malformed'; negate: boolean }
  | { kind: 'text'; text: string; negate: boolean };

export interface ParsedFilter {
  terms: FilterTerm[];
  errors: string[];
}

const FIELD_KEYS = new Set<string>(FILTER_FIELDS.map((f) => f.key));
const MAX_FILTER_LENGTH = 2000;

function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i])) i++;
    if (i >= input.length) break;
    let token = '';
    while (i < input.length && !/\s/.test(input[i])) {
      if (input[i] === '"') {
        const end = input.indexOf('"', i + 1);
        const stop = end < 0 ? input.length : end;
        token += input.slice(i + 1, stop);
        i = stop + 1;
      } else token += input[i++];
    }
    tokens.push(token);
  }
  return tokens;
}

export function parseFilter(input: string): ParsedFilter {
  const errors: string[] = [];
  if (input.length > MAX_FILTER_LENGTH) {
    return { terms: [], errors: [`filter is longer than ${MAX_FILTER_LENGTH} characters`] };
  }
  const terms: FilterTerm[] = [];
  for (const raw of tokenize(input)) {
    const negate = raw.startsWith('-') && raw.length > 1;
    const body = negate ? raw.slice(1) : raw;
    const colon = body.indexOf(':');
    const key = colon > 0 ? body.slice(0, colon).toLowerCase() : body.toLowerCase();
    if (colon < 0 && (key === 'error' || key === 'malformed')) {
      terms.push({ kind: 'flag', field: key, negate });
      continue;
    }
    if (colon > 0 && /^[a-z]+$/.test(key)) {
      if (!FIELD_KEYS.has(key)) {
        errors.push(`unknown field "${key}:" (known: ${FILTER_FIELDS.map((f) => f.key + ':').join(' ')})`);
        continue;
      }
      const values = body.slice(colon + 1).split('|').filter(Boolean);
      if (values.length === 0) {
        errors.push(`"${key}:" needs a value, e.g. ${FILTER_FIELDS.find((f) => f.key === key)?.example}`);
        continue;
      }
      const problem = checkValues(key as FilterField, values);
      if (problem) errors.push(problem);
      else terms.push({ kind: 'field', field: key as FilterField, values, negate });
      continue;
    }
    terms.push({ kind: 'text', text: body.toLowerCase(), negate });
  }
  return { terms, errors };
}

function checkValues(field: FilterField, values: string[]): string | null {
  for (const value of values) {
    if (field === 'dir' && !['client', 'server', 'c', 's', 'in', 'out'].includes(value.toLowerCase())) return `dir: takes client or server, not "${value}"`;
    if (field === 'server' && !['ns', 'sb'].includes(value.toLowerCase())) return `server: takes ns or sb, not "${value}"`;
    if ((field === 'trid' || field === 'error') && !/^\d+$/.test(value)) return `${field}: takes a number, not "${value}"`;
  }
  return null;
}

function dirOf(value: string): 'client' | 'server' {
  const v = value.toLowerCase();
  return v === 'client' || v === 'c' || v === 'out' ? 'client' : 'server';
}

function matchTerm(term: FilterTerm, s: FilterSubject): boolean {
  if (term.kind === 'text') return s.text.toLowerCase().includes(term.text);
  if (term.kind === 'flag') return term.field === 'error' ? s.errorCode !== null : s.malformed;
  return term.values.some((value) => {
    switch (term.field) {
      case 'verb':
        return s.verb !== null && s.verb.toUpperCase() === value.toUpperCase();
      case 'dir':
        return s.direction === dirOf(value);
      case 'session':
        return s.sessionId.startsWith(value);
      case 'server':
        return s.server === value.toUpperCase();
      case 'trid':
        return s.trid === Number(value);
      case 'user':
        return s.user !== null && s.user.toLowerCase().includes(value.toLowerCase());
      case 'error':
        return s.errorCode === Number(value);
      case 'malformed':
        return s.malformed;
    }
  });
}

/** A predicate for the parsed filter; an empty filter matches everything. */
export function compileFilter(parsed: ParsedFilter): (subject: FilterSubject) => boolean {
  const { terms } = parsed;
  if (terms.length === 0) return () => true;
  return (subject) => terms.every((term) => matchTerm(term, subject) !== term.negate);
}

/** Completions for the word being typed at the end of `input`, for the filter bar. */
export function suggestFilter(input: string, verbs: readonly string[] = []): { insert: string; help: string }[] {
  const word = input.slice(input.search(/\S*$/));
  const negate = word.startsWith('-') ? '-' : '';
  const body = negate ? word.slice(1) : word;
  const colon = body.indexOf(':');
  if (colon < 0) {
    return FILTER_FIELDS.filter((f) => f.key.startsWith(body.toLowerCase())).map((f) => ({
      insert: negate + (f.key === 'error' || f.key === 'malformed' ? f.key : f.key + ':'),
      help: f.help,
    }));
  }
  const key = body.slice(0, colon).toLowerCase();
  const partial = body.slice(colon + 1).toUpperCase();
  const options: Record<string, readonly string[]> = { verb: verbs, dir: ['client', 'server'], server: ['ns', 'sb'] };
  return (options[key] ?? [])
    .filter((v) => v.toUpperCase().startsWith(partial))
    .map((v) => ({ insert: `${negate}${key}:${v}`, help: FILTER_FIELDS.find((f) => f.key === key)?.help ?? '' }));
}
