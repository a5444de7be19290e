// The codec's vocabulary. Pure TypeScript: no Node, no DOM.

/** Who sent the bytes: `client` = client to server (C→S), `server` = server to client (S→C). */
export type Direction = 'client' | 'server';

/** Notification server (NS, also the dispatch server) or switchboard (SB). */
export type ServerKind = 'NS' | 'SB';

/** What the framer needs to know to decide whether a line carries a payload. */
export interface FramingContext {
  direction: Direction;
  server: ServerKind;
  /** Negotiated MSNP version number (2..21); see `DEFAULT_VERSION`. */
  version: number;
}

/** MSNP8 is assumed until a VER exchange says otherwise. */
export const DEFAULT_VERSION = 8;
export const MIN_VERSION = 2;
export const MAX_VERSION = 21;

/** One well-formed command, as it crossed the wire. */
export interface CommandItem {
  kind: 'command';
  /** Every byte of the item: the line, its CRLF and the payload. Serializing is `raw`. */
  raw: Uint8Array;
  /** Byte offset of `raw` in the direction's stream. */
  offset: number;
  /** The command line without its CRLF, decoded as UTF-8 for display (bytes stay in `raw`). */
  line: string;
  /** Three upper-case letters or three digits. */
  verb: string;
  /** Every token after the verb, exactly as on the wire (not URL-decoded). */
  args: string[];
  /** Transaction ID: null for asynchronous commands, 0 where the server sends 0. */
  trid: number | null;
  /** Declared payload length in bytes, or null when the command carries no payload. */
  payloadLength: number | null;
  /** The payload bytes (a view into `raw`), or null. */
  payload: Uint8Array | null;
  /** The numeric code when the verb is three digits, else null. */
  errorCode: number | null;
}

/** Bytes that could not be framed as a command. Framing resumes at the next CRLF. */
export interface MalformedItem {
  kind: 'malformed';
  raw: Uint8Array;
  offset: number;
  /** Names the problem, e.g. `invalid verb "vEr"`, `payload length "abc" is not a number`. */
  reason: string;
}

export type Item = CommandItem | MalformedItem;

/** Limits that keep a hostile stream from growing buffers without bound. */
export interface FramerLimits {
  /** Longest command line, in bytes, before it is cut off as malformed. */
  maxLineBytes: number;
  /** Largest payload a command may declare. */
  maxPayloadBytes: number;
}

export const DEFAULT_LIMITS: FramerLimits = {
  maxLineBytes: 16 * 1024,
  maxPayloadBytes: 4 * 1024 * 1024,
};
