// Raw HTTP heads as the gateway events carry them (request or status line, headers, blank line).
// Read and rewritten as latin1 so every byte survives, whatever a client put in a header.

export type HeaderList = Array<[name: string, value: string]>;

export interface ParsedHead {
  startLine: string;
  headers: HeaderList;
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function fromLatin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

function headLines(head: Uint8Array): string[] {
  const lines = latin1(head).split('\r\n');
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

export function parseHead(head: Uint8Array): ParsedHead {
  const [startLine = '', ...rest] = headLines(head);
  const headers: HeaderList = [];
  for (const line of rest) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { startLine, headers };
}

export function headerOf(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function buildHead(startLine: string, headers: HeaderList): Uint8Array {
  return fromLatin1([startLine, ...headers.map(([n, v]) => `${n}: ${v}`), '', ''].join('\r\n'));
}

/**
 * Rewrites header values line by line; `change` returns the new value or undefined to keep the
 * line untouched (byte for byte). The start line and the header order never change.
 */
export function rewriteHeaders(head: Uint8Array, change: (name: string, value: string) => string | undefined): Uint8Array {
  const [startLine = '', ...rest] = headLines(head);
  let changed = false;
  const out = rest.map((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) return line;
    const name = line.slice(0, colon);
    const value = change(name, line.slice(colon + 1).trim());
    if (value === undefined) return line;
    changed = true;
    return `${name}: ${value}`;
  });
  return changed ? fromLatin1([startLine, ...out, '', ''].join('\r\n')) : head;
}
