// MIME-style payloads: MSG bodies, NOT/IPG, and the stacked header blocks of MSNP21
// (routing, reliability, messaging/notification) before a body.
import { utf8Text } from './text.ts';

export type MimeHeader = [name: string, value: string];

export interface MimeView {
  /** The first header block, in wire order. */
  headers: MimeHeader[];
  /** Every header block, in order (`blocks[0]` is `headers`). */
  blocks: MimeHeader[][];
  /** The header text as it was (all blocks with their separators). */
  headerText: string;
  /** Bytes after the last header block's blank line. */
  body: Uint8Array;
  bodyText: string;
  /** Byte offset of the body in the payload. */
  bodyOffset: number;
  /** False when no CRLFCRLF was found: everything was read as headers. */
  separatorFound: boolean;
}

/** Guards against a payload made of millions of tiny header lines. */
export const MAX_MIME_HEADERS = 512;

const CR = 0x0d;
const LF = 0x0a;

function findBlankLine(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 3 < bytes.length; i++) {
    if (bytes[i] === CR && bytes[i + 1] === LF && bytes[i + 2] === CR && bytes[i + 3] === LF) return i;
  }
  return -1;
}

/** Splits a header block into [name, value] pairs; folded lines continue the previous value. */
export function parseHeaderLines(text: string, limit = MAX_MIME_HEADERS): MimeHeader[] {
  const headers: MimeHeader[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.length === 0) continue;
    if ((line[0] === ' ' || line[0] === '\t') && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    if (headers.length >= limit) break;
    const colon = line.indexOf(':');
    headers.push(colon < 0 ? [line, ''] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

function looksLikeHeaderBlock(bytes: Uint8Array, from: number): boolean {
  // A header line starts with a token and has a colon before its end.
  const end = Math.min(bytes.length, from + 256);
  for (let i = from; i < end; i++) {
    const b = bytes[i];
    if (b === 0x3a) return i > from;
    if (b <= 0x20 || b >= 0x7f) return false;
  }
  return false;
}

/**
 * Parses up to `maxBlocks` header blocks, each ended by CRLFCRLF. Blocks after the first are only
 * taken when the bytes that follow look like headers, so a body is never read as headers.
 */
export function parseMime(bytes: Uint8Array, maxBlocks = 1): MimeView {
  const blocks: MimeHeader[][] = [];
  let at = 0;
  let separatorFound = false;
  let budget = MAX_MIME_HEADERS;
  while (blocks.length < Math.max(1, maxBlocks)) {
    if (blocks.length > 0 && !looksLikeHeaderBlock(bytes, at)) break;
    const blank = findBlankLine(bytes, at);
    if (blank < 0) {
      if (blocks.length === 0) {
        blocks.push(parseHeaderLines(utf8Text(bytes), budget));
        at = bytes.length;
      }
      break;
    }
    const block = parseHeaderLines(utf8Text(bytes.subarray(at, blank)), budget);
    budget = Math.max(0, budget - block.length);
    blocks.push(block);
    separatorFound = true;
    at = blank + 4;
  }
  const body = bytes.subarray(at);
  return {
    headers: blocks[0],
    blocks,
    headerText: utf8Text(bytes.subarray(0, at)),
    body,
    bodyText: utf8Text(body),
    bodyOffset: at,
    separatorFound,
  };
}

/** First value of a header, case-insensitively, across every block. */
export function mimeHeader(view: Pick<MimeView, 'blocks'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const block of view.blocks) {
    for (const [n, v] of block) if (n.toLowerCase() === wanted) return v;
  }
  return undefined;
}
