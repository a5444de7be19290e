// The `<ml>` documents of ADL/RML/FQY (MSNP13+), read with a small bounded scanner: these payloads
// are flat (ml > d > c), so no XML library is needed, and anything unexpected is refused.

export interface MlContact {
  handle: string;
  /** List bits: 1 FL, 2 AL, 4 BL, 8 RL, 16 PL (0 when absent, as in FQY). */
  lists: number;
  /** Network id: 1 MSN, 32 Yahoo... */
  network: number;
}

export const MAX_ML_CONTACTS = 1000;

const ATTR = /([A-Za-z]+)\s*=\s*"([^"<>]*)"/g;

function attrs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(ATTR)) out.set(m[1], m[2]);
  return out;
}

/** The contacts of an `<ml>` document, or null when it is not one we can read. */
export function parseMl(text: string): MlContact[] | null {
  const body = text.trim();
  const open = /^<ml(\s[^<>]*)?>/.exec(body);
  if (open === null || !body.endsWith('</ml>')) return null;
  let rest = body.slice(open[0].length, body.length - '</ml>'.length).trim();
  const out: MlContact[] = [];
  while (rest.length > 0) {
    const d = /^<d\s([^<>]*)>([\s\S]*?)<\/d>/.exec(rest);
    if (d === null) return null;
    const domain = attrs(d[1]).get('n');
    if (domain === undefined || domain === '') return null;
    let inner = d[2].trim();
    while (inner.length > 0) {
      const c = /^<c\s([^<>]*?)\/?>(?:\s*<\/c>)?/.exec(inner);
      if (c === null) return null;
      const a = attrs(c[1]);
      const user = a.get('n');
      if (user === undefined || user === '') return null;
      const lists = Number(a.get('l') ?? '0');
      const network = Number(a.get('t') ?? '1');
      if (!Number.isInteger(lists) || lists < 0 || lists > 255 || !Number.isInteger(network)) return null;
      out.push({ handle: `${user}@${domain}`.toLowerCase(), lists, network });
      if (out.length > MAX_ML_CONTACTS) return null;
      inner = inner.slice(c[0].length).trim();
    }
    rest = rest.slice(d[0].length).trim();
  }
  return out;
}

/** An FQY-style answer: each contact with its network id. */
export function mlAnswer(contacts: readonly MlContact[]): string {
  const byDomain = new Map<string, string[]>();
  for (const c of contacts) {
    const at = c.handle.lastIndexOf('@');
    const domain = c.handle.slice(at + 1);
    const list = byDomain.get(domain) ?? [];
    list.push(`<c n="${c.handle.slice(0, at)}" t="1" />`);
    byDomain.set(domain, list);
  }
  return `<ml>${[...byDomain].map(([d, cs]) => `<d n="${d}">${cs.join('')}</d>`).join('')}</ml>`;
}
