// A small XML reader for SOAP requests: elements, attributes, text, CDATA, comments and processing
// instructions; names are matched by local name (prefixes differ between clients). It builds a
// tiny tree, with limits on depth and element count, and refuses DOCTYPE outright, which rules out
// entity-expansion tricks. Anything it does not understand is an XmlError, never an exception of
// another kind.

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Qualified name as written, e.g. `wsse:Username`. */
  qname: string;
  /** Attributes by local name (a later duplicate local name wins). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content (entities and CDATA decoded). */
  text: string;
}

export class XmlError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'XmlError';
    this.offset = offset;
  }
}

export interface XmlLimits {
  maxDepth?: number;
  maxElements?: number;
}

const NAME_RE = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ATTR_RE = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function decodeEntities(raw: string, offset: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{1,10});|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new XmlError('bare "&"', offset);
    if (body in PREDEFINED) return PREDEFINED[body];
    let code = Number.NaN;
    if (/^#x[0-9A-Fa-f]{1,6}$/.test(body)) code = parseInt(body.slice(2), 16);
    else if (/^#[0-9]{1,7}$/.test(body)) code = parseInt(body.slice(1), 10);
    if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) {
      throw new XmlError(`unknown entity ${match}`, offset);
    }
    return String.fromCodePoint(code);
  });
}

/** Parses a whole document and returns its root element. */
export function parseXml(text: string, limits: XmlLimits = {}): XmlElement {
  const maxDepth = limits.maxDepth ?? 64;
  const maxElements = limits.maxElements ?? 4096;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const expect = (s: string, at: number) => {
    const end = text.indexOf(s, at);
    if (end === -1) throw new XmlError(`unterminated construct, "${s}" expected`, at);
    return end;
  };

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunkEnd = lt === -1 ? text.length : lt;
    if (chunkEnd > i) {
      const chunk = text.slice(i, chunkEnd);
      if (stack.length > 0) stack[stack.length - 1].text += decodeEntities(chunk, i);
      else if (chunk.trim() !== '') throw new XmlError('text outside the root element', i);
    }
    if (lt === -1) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      i = expect('?>', i + 2) + 2;
    } else if (text.startsWith('<!--', i)) {
      i = expect('-->', i + 4) + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = expect(']]>', i + 9);
      if (stack.length === 0) throw new XmlError('CDATA outside the root element', i);
      stack[stack.length - 1].text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      throw new XmlError('DOCTYPE and other declarations are not accepted', i);
    } else if (text.startsWith('</', i)) {
      NAME_RE.lastIndex = i + 2;
      const m = NAME_RE.exec(text);
      if (m === null) throw new XmlError('bad closing tag', i);
      const open = stack.pop();
      if (open === undefined || open.qname !== m[0]) {
        throw new XmlError(`closing tag </${m[0]}> does not match <${open?.qname ?? '(none)'}>`, i);
      }
      let j = NAME_RE.lastIndex;
      while (j < text.length && /\s/.test(text[j])) j += 1;
      if (text[j] !== '>') throw new XmlError('">" expected', j);
      i = j + 1;
    } else {
      NAME_RE.lastIndex = i + 1;
      const m = NAME_RE.exec(text);
      if (m === null) throw new XmlError('bad tag name', i);
      if (root !== null && stack.length === 0) throw new XmlError('a second root element', i);
      count += 1;
      if (count > maxElements) throw new XmlError(`more than ${maxElements} elements`, i);
      const element: XmlElement = { name: localName(m[0]), qname: m[0], attrs: {}, children: [], text: '' };
      let j = NAME_RE.lastIndex;
      for (;;) {
        ATTR_RE.lastIndex = j;
        const a = ATTR_RE.exec(text);
        if (a === null) break;
        if (j === a.index && !/\s/.test(text[j] ?? '')) throw new XmlError('whitespace expected before attribute', j);
        element.attrs[localName(a[1])] = decodeEntities(a[2] ?? a[3], j);
        j = ATTR_RE.lastIndex;
      }
      while (j < text.length && /\s/.test(text[j])) j += 1;
      let selfClosing = false;
      if (text.startsWith('/>', j)) {
        selfClosing = true;
        j += 2;
      } else if (text[j] === '>') {
        j += 1;
      } else {
        throw new XmlError(`malformed start tag <${m[0]}>`, j);
      }
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else root = element;
      if (!selfClosing) {
        if (stack.length >= maxDepth) throw new XmlError(`nesting deeper than ${maxDepth}`, i);
        stack.push(element);
      }
      i = j;
    }
  }
  if (stack.length > 0) throw new XmlError(`<${stack[stack.length - 1].qname}> is not closed`, text.length);
  if (root === null) throw new XmlError('no root element', 0);
  return root;
}

/** First direct child with this local name. */
export function child(element: XmlElement | null | undefined, name: string): XmlElement | null {
  return element?.children.find((c) => c.name === name) ?? null;
}

/** Follows local names child by child: path(env, 'Header', 'Security'). */
export function path(element: XmlElement | null | undefined, ...names: string[]): XmlElement | null {
  let current: XmlElement | null = element ?? null;
  for (const name of names) current = child(current, name);
  return current;
}

/** Every descendant (depth first, document order) with this local name. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(element);
  return out;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
