// Reads the recorded Escargot transcripts (see __fixtures__/README.md) into commands per
// connection, and normalizes lines so our output can be compared with the real server's shapes.

export interface Entry {
  conn: string;
  dir: 'C' | 'S';
  line: string;
  /** Payload text rebuilt from the `| ` lines (CRLF-joined, fitted to the declared length). */
  payload: string | null;
}

const COMMAND = /^\s+[\d.]+ \[([A-Z]-(?:NS|SB))\] ([CS])> (.*)$/;
const PAYLOAD = /^\s+\[([A-Z]-(?:NS|SB))\]\s{4}\| ?(.*)$/;

export function parseTranscript(text: string): Entry[] {
  const out: Entry[] = [];
  let parts: string[] | null = null;
  const flush = (): void => {
    const last = out.at(-1);
    if (last && parts !== null) {
      const declared = Number(last.line.split(' ').at(-1));
      let body = parts.join('\r\n');
      while (body.length < declared) body += '\r\n';
      last.payload = body.slice(0, declared);
    }
    parts = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const p = PAYLOAD.exec(line);
    if (p) {
      (parts ??= []).push(p[2]);
      continue;
    }
    if (parts !== null && line.startsWith('\t')) {
      // Payload lines of the policy document are printed with tab indentation.
      parts.push(line);
      continue;
    }
    const m = COMMAND.exec(line);
    if (m) {
      flush();
      out.push({ conn: m[1], dir: m[2] as 'C' | 'S', line: m[3], payload: null });
    }
  }
  flush();
  return out;
}

/** Variable tokens become placeholders: numbers, cookies/tickets/nonces, URLs, TWN parameters. */
export function shape(line: string): string {
  return line
    .split(' ')
    .map((t, i) => {
      if (i === 0) return t;
      // Long identifiers (cookies, session ids, salts, tickets) are random on both sides.
      if (t.length >= 8 && /^[A-Za-z0-9+/=_.-]+$/.test(t) && !t.includes('@') && /\d/.test(t)) return '*';
      if (/^\d+$/.test(t)) return '#';
      if (/^https?:/.test(t)) return '<url>';
      if (t.includes('lc=') || t.includes('ct=')) return '<twn>';
      if (/^\d+(\.\d+)+$/.test(t) || (t.length >= 16 && /^[A-Za-z0-9+/=_-]+$/.test(t) && !t.includes('@'))) return '*';
      return t;
    })
    .join(' ');
}
