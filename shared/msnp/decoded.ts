// The decoded view of one command: what the inspector shows for it. Never throws.
import { describeCommand, fieldNamesFor } from './catalog.ts';
import type { CommandCategory } from './catalog.ts';
import { describeError } from './errors.ts';
import type { ErrorFatality } from './errors.ts';
import { hexDump } from './hex.ts';
import type { HexDump } from './hex.ts';
import { mimeHeader, parseMime } from './mime.ts';
import type { MimeView } from './mime.ts';
import { P2P_HEADER_BYTES, isP2PContentType, parseP2PFrame } from './p2p.ts';
import type { P2PFrame } from './p2p.ts';
import { isReadableText, urlDecode, utf8Text } from './text.ts';
import type { CommandItem, FramingContext } from './types.ts';
import { looksLikeXml, viewXml } from './xml.ts';
import type { XmlView } from './xml.ts';

export interface DecodedArg {
  index: number;
  /** The token as on the wire. */
  raw: string;
  /** URL-decoded; bad escapes are kept as they were. */
  value: string;
  /** The field name from the catalog, or null. */
  name: string | null;
}

export interface DecodedError {
  code: number;
  name: string;
  meaning: string;
  fatal: ErrorFatality;
  payloadCapable: boolean;
  known: boolean;
}

export type PayloadView =
  | { kind: 'none' }
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'xml'; xml: XmlView }
  /** `xml` holds the body pretty-printed when the body is XML (MSNP21 documents, NOT). */
  | { kind: 'mime'; mime: MimeView; xml: XmlView | null }
  | { kind: 'p2p'; mime: MimeView; frame: P2PFrame; dataDump: HexDump }
  | { kind: 'binary'; dump: HexDump };

export interface DecodedView {
  verb: string;
  trid: number | null;
  category: CommandCategory;
  description: string;
  /** False for verbs the catalog does not know. */
  known: boolean;
  /** False when the negotiated version is outside the command's range. */
  inVersion: boolean;
  args: DecodedArg[];
  /** Catalog field name → decoded value (repeated `...rest` fields are joined with spaces). */
  fields: Record<string, string>;
  payloadLength: number | null;
  payload: PayloadView;
  error: DecodedError | null;
  /** Things worth flagging, e.g. a P2P size mismatch or malformed XML. */
  problems: string[];
}

/** MSNP21 payloads stack routing, reliability and messaging/notification header blocks. */
const MSNP21_BLOCK_VERBS = new Set(['NFY', 'SDG', 'PUT', 'DEL']);
const MIME_VERBS = new Set(['MSG', 'IPG', 'UUM', 'UBM']);

function generic(bytes: Uint8Array): PayloadView {
  if (bytes.length === 0) return { kind: 'empty' };
  if (!isReadableText(bytes)) return { kind: 'binary', dump: hexDump(bytes) };
  const text = utf8Text(bytes);
  return looksLikeXml(text) ? { kind: 'xml', xml: viewXml(text) } : { kind: 'text', text };
}

function mimeView(bytes: Uint8Array, maxBlocks: number): PayloadView {
  const mime = parseMime(bytes, maxBlocks);
  const contentType = mimeHeader(mime, 'Content-Type');
  if (isP2PContentType(contentType)) {
    const frame = parseP2PFrame(mime.body);
    const dataOffset = mime.bodyOffset + Math.min(P2P_HEADER_BYTES, mime.body.length);
    return { kind: 'p2p', mime, frame, dataDump: hexDump(frame.data, { baseOffset: dataOffset }) };
  }
  const xmlBody = looksLikeXml(mime.bodyText) && (contentType === undefined || /xml/i.test(contentType) || maxBlocks > 1);
  return { kind: 'mime', mime, xml: xmlBody ? viewXml(mime.bodyText) : null };
}

function looksLikeHeaders(bytes: Uint8Array): boolean {
  return /^[!-9;-~]+:/.test(utf8Text(bytes.subarray(0, 128)));
}

export function payloadView(verb: string, payload: Uint8Array | null): PayloadView {
  if (payload === null) return { kind: 'none' };
  if (payload.length === 0) return { kind: 'empty' };
  if (verb === 'MSG' || (MIME_VERBS.has(verb) && looksLikeHeaders(payload))) return mimeView(payload, 1);
  if (MSNP21_BLOCK_VERBS.has(verb) && looksLikeHeaders(payload)) return mimeView(payload, 3);
  if (verb === 'NOT' || verb === 'IPG') {
    const view = generic(payload);
    return view.kind === 'text' && looksLikeHeaders(payload) ? mimeView(payload, 1) : view;
  }
  // UUX, ADL, RML, FQY, UBX, GCF, UUN, UBN and error payloads: XML when they look like it.
  return generic(payload);
}

function payloadProblems(view: PayloadView): string[] {
  switch (view.kind) {
    case 'xml': return view.xml.problems.map((p) => `XML: ${p}`);
    case 'mime': return view.xml ? view.xml.problems.map((p) => `XML body: ${p}`) : [];
    case 'p2p': return view.frame.problems;
    default: return [];
  }
}

function decode(item: CommandItem, ctx: FramingContext): DecodedView {
  const args = Array.isArray(item.args) ? item.args : [];
  const desc = describeCommand(item.verb, ctx.direction, ctx.server, ctx.version, args);
  const names = fieldNamesFor(desc, args.length);
  const decodedArgs = args.map((raw, index): DecodedArg => ({
    index, raw, value: urlDecode(raw), name: names[index] ?? null,
  }));
  const fields: Record<string, string> = {};
  for (const a of decodedArgs) {
    if (a.name === null) continue;
    fields[a.name] = a.name in fields ? `${fields[a.name]} ${a.value}` : a.value;
  }
  const code = item.errorCode ?? (/^\d{3}$/.test(item.verb) ? Number(item.verb) : null);
  let error: DecodedError | null = null;
  if (code !== null) {
    const { names: _names, ...info } = describeError(code, ctx.server);
    error = info;
  }
  const payload = payloadView(item.verb, item.payload ?? null);
  const problems = payloadProblems(payload);
  if (item.payload && item.payloadLength !== null && item.payloadLength !== item.payload.length) {
    problems.unshift(`declared payload length ${item.payloadLength} but ${item.payload.length} bytes present`);
  }
  if (!desc.inVersion && desc.versionsFrom === 'reference') problems.push(`${item.verb} is not part of MSNP${ctx.version}`);
  return {
    verb: item.verb,
    trid: item.trid,
    category: desc.category,
    description: desc.description,
    known: desc.known,
    inVersion: desc.inVersion,
    args: decodedArgs,
    fields,
    payloadLength: item.payloadLength,
    payload,
    error,
    problems,
  };
}

/** Decodes a framed command for display. Any failure becomes a problem in the view, not a throw. */
export function decodeView(item: CommandItem, ctx: FramingContext): DecodedView {
  try {
    return decode(item, ctx);
  } catch (err) {
    return {
      verb: String(item?.verb ?? ''),
      trid: typeof item?.trid === 'number' ? item.trid : null,
      category: 'other',
      description: 'could not be decoded',
      known: false,
      inVersion: true,
      args: [],
      fields: {},
      payloadLength: typeof item?.payloadLength === 'number' ? item.payloadLength : null,
      payload: { kind: 'none' },
      error: null,
      problems: [`decoder error: ${String(err)}`],
    };
  }
}
