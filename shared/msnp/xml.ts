// A small XML tokenizer for display: pretty-prints and reports problems, never throws, no DOM.

export interface XmlView {
  text: string;
  pretty: string;
  wellFormed: boolean;
  problems: string[];
}

/** Larger documents are shown as they are: pretty-printing them would not help anyone read them. */
export const MAX_PRETTY_XML_CHARS = 1024 * 1024;
/** Deeper nesting is printed at this depth, so hostile input cannot blow up the indentation. */
export const MAX_XML_INDENT_DEPTH = 32;
const MAX_PROBLEMS = 20;

/** Keeps the first problems and counts the rest, so hostile input cannot grow the list. */
interface Problems {
  list: string[];
  suppressed: number;
}

function report(problems: Problems, message: string): void {
  if (problems.list.length < MAX_PROBLEMS) problems.list.push(message);
  else problems.suppressed++;
}

type Token =
  | { kind: 'open'; name: string; raw: string; selfClosing: boolean }
  | { kind: 'close'; name: string; raw: string }
  | { kind: 'text'; raw: string }
  /** Comments, CDATA, declarations, and unterminated leftovers shown as they are. */
  | { kind: 'other'; raw: string };

export function looksLikeXml(text: string): boolean {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  return t.startsWith('<') && /^<[?!A-Za-z_]/.test(t);
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*$/;

function findTagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return -1;
}

function tokenize(text: string, problems: Problems): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const special: Array<[string, string, string]> = [
    ['<!--', '-->', 'comment'], ['<![CDATA[', ']]>', 'CDATA section'], ['<?', '?>', 'processing instruction'],
  ];
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      tokens.push({ kind: 'text', raw: text.slice(i) });
      break;
    }
    if (lt > i) tokens.push({ kind: 'text', raw: text.slice(i, lt) });
    const opener = special.find(([start]) => text.startsWith(start, lt));
    if (opener) {
      const end = text.indexOf(opener[1], lt + opener[0].length);
      if (end < 0) {
        report(problems, `unterminated ${opener[2]} at offset ${lt}`);
        tokens.push({ kind: 'other', raw: text.slice(lt) });
        break;
      }
      tokens.push({ kind: 'other', raw: text.slice(lt, end + opener[1].length) });
      i = end + opener[1].length;
      continue;
    }
    const end = findTagEnd(text, lt + 1);
    if (end < 0) {
      report(problems, `unterminated tag at offset ${lt}`);
      tokens.push({ kind: 'other', raw: text.slice(lt) });
      break;
    }
    const raw = text.slice(lt, end + 1);
    i = end + 1;
    if (raw.startsWith('<!')) {
      tokens.push({ kind: 'other', raw });
    } else if (raw.startsWith('</')) {
      const name = raw.slice(2, -1).trim();
      if (!NAME.test(name)) report(problems, `invalid closing tag ${raw} at offset ${lt}`);
      tokens.push({ kind: 'close', name, raw });
    } else {
      const name = /^<([^\s/>]*)/.exec(raw)?.[1] ?? '';
      if (!NAME.test(name)) report(problems, `invalid tag name "${name}" at offset ${lt}`);
      tokens.push({ kind: 'open', name, raw, selfClosing: raw.endsWith('/>') });
    }
  }
  return tokens;
}

function checkNesting(tokens: Token[], problems: Problems): void {
  const stack: string[] = [];
  // Open counts per name let a stray closing tag be rejected without scanning the whole stack.
  const open = new Map<string, number>();
  const pop = (to: number) => {
    for (let i = to; i < stack.length; i++) open.set(stack[i], (open.get(stack[i]) ?? 1) - 1);
    stack.length = to;
  };
  let roots = 0;
  let strayText = false;
  for (const t of tokens) {
    if (t.kind === 'open') {
      if (stack.length === 0) roots++;
      if (!t.selfClosing) {
        stack.push(t.name);
        open.set(t.name, (open.get(t.name) ?? 0) + 1);
      }
    } else if (t.kind === 'close') {
      if (!open.get(t.name)) {
        report(problems, `unexpected closing tag </${t.name}>`);
        continue;
      }
      const at = stack.lastIndexOf(t.name);
      if (at !== stack.length - 1) report(problems, `<${stack[stack.length - 1]}> closed by </${t.name}>`);
      pop(at);
    } else if (t.kind === 'text' && stack.length === 0 && t.raw.trim() !== '' && !strayText) {
      strayText = true;
      report(problems, 'text outside the root element');
    }
  }
  if (problems.suppressed > 0) problems.list.push(`... ${problems.suppressed} more problems`);
  problems.suppressed = 0;
  if (stack.length > 0) {
    const shown = stack.slice(0, 10).map((n) => `<${n}>`).join(', ');
    problems.list.push(`unclosed ${shown}${stack.length > 10 ? ` and ${stack.length - 10} more` : ''}`);
  }
  if (roots === 0) problems.list.push('no root element');
}

function render(tokens: Token[]): string {
  const lines: string[] = [];
  let depth = 0;
  const pad = () => '  '.repeat(Math.min(depth, MAX_XML_INDENT_DEPTH));
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'text') {
      const trimmed = t.raw.trim();
      if (trimmed) lines.push(pad() + trimmed);
    } else if (t.kind === 'other') {
      lines.push(pad() + t.raw);
    } else if (t.kind === 'close') {
      depth = Math.max(0, depth - 1);
      lines.push(pad() + t.raw);
    } else if (t.selfClosing) {
      lines.push(pad() + t.raw);
    } else {
      // <a>short text</a> and <a></a> stay on one line.
      const next = tokens[k + 1];
      const after = tokens[k + 2];
      if (next?.kind === 'close' && next.name === t.name) {
        lines.push(pad() + t.raw + next.raw);
        k += 1;
      } else if (next?.kind === 'text' && !next.raw.includes('\n') && after?.kind === 'close' && after.name === t.name) {
        lines.push(pad() + t.raw + next.raw.trim() + after.raw);
        k += 2;
      } else {
        lines.push(pad() + t.raw);
        depth++;
      }
    }
  }
  return lines.join('\n');
}

/** Pretty-prints XML for display and lists what is wrong with it; bad XML still gets a view. */
export function viewXml(text: string): XmlView {
  if (text.length > MAX_PRETTY_XML_CHARS) {
    return { text, pretty: text, wellFormed: false, problems: [`larger than ${MAX_PRETTY_XML_CHARS} characters; shown as is`] };
  }
  try {
    const problems: Problems = { list: [], suppressed: 0 };
    const tokens = tokenize(text, problems);
    checkNesting(tokens, problems);
    return { text, pretty: render(tokens), wellFormed: problems.list.length === 0, problems: problems.list };
  } catch (error) {
    // Not expected; the view is for display, so fall back to the raw text.
    return { text, pretty: text, wellFormed: false, problems: [`could not format: ${String(error)}`] };
  }
}
