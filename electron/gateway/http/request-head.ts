// One HTTP/1.x request head, parsed strictly (RFC 9112): what a legacy Messenger client or a
// proxy sends parses, and anything ambiguous is refused with the status that names the problem
// rather than guessed at. Ambiguous framing (two lengths, a length beside chunked, an unknown
// coding) is where request smuggling starts, so it is never accepted.

export interface RequestHead {
  method: string;
  target: string;
  version: '1.0' | '1.1';
  /** Names (as sent) and values (surrounding blanks trimmed), flat and in wire order. */
  rawHeaders: string[];
  /** Null when no Content-Length was sent. */
  contentLength: number | null;
  chunked: boolean;
  /** What the client asked for: HTTP/1.1 unless `Connection: close`, HTTP/1.0 only with keep-alive. */
  keepAlive: boolean;
  expectContinue: boolean;
}

export interface HeadRefusal {
  status: number;
  /** Why, for the notice and the reason shown with the refusal. */
  message: string;
}

export type HeadResult = { ok: true; head: RequestHead } | { ok: false; refusal: HeadRefusal };

/** A real client sends about ten; this many is a flood, not a request. */
export const MAX_HEADER_FIELDS = 200;
/** Longer than any byte count a body may have (and than Number keeps exactly). */
const MAX_LENGTH_DIGITS = 15;

// Every head of every request passes here, so the character classes are tables, not regexes.
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 48; c <= 57; c++) TCHAR[c] = 1;
for (let c = 65; c <= 90; c++) TCHAR[c] = TCHAR[c + 32] = 1;

function isToken(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** Visible ASCII, obs-text, SP and HTAB: no other control byte belongs in a field value. */
function isFieldValue(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9) || c === 0x7f) return false;
  }
  return true;
}

/** A request target: visible characters only (no blanks, no controls). */
function isTarget(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

const isBlank = (c: number): boolean => c === 32 || c === 9;

const refuse = (status: number, message: string): HeadResult => ({ ok: false, refusal: { status, message } });

/** Parses a head given as latin1 text, without its final blank line (CRLF CRLF). */
export function parseRequestHead(text: string): HeadResult {
  const lines = text.split('\r\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].indexOf('\r') >= 0 || lines[i].indexOf('\n') >= 0) return refuse(400, 'a bare CR or LF in the request head');
  }
  const requestLine = lines[0];
  const sp1 = requestLine.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) return refuse(400, `malformed request line: ${JSON.stringify(requestLine.slice(0, 80))}`);
  const method = requestLine.slice(0, sp1);
  const target = requestLine.slice(sp1 + 1, sp2);
  const versionText = requestLine.slice(sp2 + 1);
  if (!isToken(method, 0, method.length)) return refuse(400, `malformed method: ${JSON.stringify(method.slice(0, 40))}`);
  if (!isTarget(target)) return refuse(400, 'malformed request target');
  let version: '1.0' | '1.1';
  if (versionText === 'HTTP/1.1') version = '1.1';
  else if (versionText === 'HTTP/1.0') version = '1.0';
  else if (/^HTTP\/\d\.\d$/.test(versionText)) return refuse(505, `HTTP version ${versionText.slice(5)} not supported`);
  else return refuse(400, `malformed HTTP version: ${JSON.stringify(versionText.slice(0, 40))}`);

  if (lines.length - 1 > MAX_HEADER_FIELDS) return refuse(431, `more than ${MAX_HEADER_FIELDS} header fields`);
  const rawHeaders: string[] = new Array((lines.length - 1) * 2);
  let contentLength: number | null = null;
  let transferEncoding: string | null = null;
  let connection = '';
  let expect: string | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    // No blank may sit before the colon, and a line may not continue the one before (obs-fold).
    if (colon <= 0) return refuse(400, `malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
    if (!isToken(line, 0, colon)) return refuse(400, `malformed header name: ${JSON.stringify(line.slice(0, Math.min(colon, 80)))}`);
    const name = line.slice(0, colon);
    let from = colon + 1;
    let to = line.length;
    while (from < to && isBlank(line.charCodeAt(from))) from++;
    while (to > from && isBlank(line.charCodeAt(to - 1))) to--;
    if (!isFieldValue(line, from, to)) return refuse(400, `a control character in the value of ${name}`);
    const value = line.slice(from, to);
    rawHeaders[2 * i - 2] = name;
    rawHeaders[2 * i - 1] = value;
    switch (name.length) {
      case 6:
        if (name.toLowerCase() === 'expect') expect = expect === null ? value : `${expect}, ${value}`;
        break;
      case 10:
        if (name.toLowerCase() === 'connection') connection += `,${value.toLowerCase()}`;
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') {
          if (!/^\d+$/.test(value) || value.length > MAX_LENGTH_DIGITS) return refuse(400, `malformed Content-Length: ${JSON.stringify(value.slice(0, 40))}`);
          const n = Number(value);
          if (contentLength !== null && contentLength !== n) return refuse(400, 'two different Content-Length values');
          contentLength = n;
        }
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') transferEncoding = transferEncoding === null ? value : `${transferEncoding}, ${value}`;
        break;
    }
  }
  let chunked = false;
  if (transferEncoding !== null) {
    if (contentLength !== null) return refuse(400, 'both Content-Length and Transfer-Encoding');
    if (version === '1.0') return refuse(400, 'Transfer-Encoding in an HTTP/1.0 request');
    const codings = transferEncoding.toLowerCase().split(',').map((c) => c.trim());
    if (codings.length !== 1 || codings[0] !== 'chunked') return refuse(501, `Transfer-Encoding ${JSON.stringify(transferEncoding.slice(0, 60))} not supported (only chunked)`);
    chunked = true;
  }
  const tokens = connection.split(',').map((t) => t.trim());
  const keepAlive = version === '1.1' ? !tokens.includes('close') : tokens.includes('keep-alive') && !tokens.includes('close');
  let expectContinue = false;
  if (expect !== null) {
    if (expect.toLowerCase() !== '100-continue') return refuse(417, `Expect ${JSON.stringify(expect.slice(0, 60))} not supported`);
    expectContinue = version === '1.1';
  }
  return { ok: true, head: { method, target, version, rawHeaders, contentLength, chunked, keepAlive, expectContinue } };
}
