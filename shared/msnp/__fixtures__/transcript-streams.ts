// Test helper: turns a transcript (format in ./README.md) into per-connection, per-direction byte
// streams. Pure TypeScript so it type-checks with the rest of shared/; tests read the files.

import type { Direction, ServerKind } from '../types.ts';
import { concatBytes } from '../bytes.ts';

export interface TranscriptCommand {
  direction: Direction;
  /** The command line without CRLF. */
  line: string;
  /** The payload rebuilt from the printed lines, or null when none was printed. */
  payload: Uint8Array | null;
  /** Line + CRLF + payload: the bytes on the wire. */
  bytes: Uint8Array;
}

export interface TranscriptConnection {
  /** `A-NS`, `B-SB`… */
  name: string;
  server: ServerKind;
  /** Both directions, in transcript order. */
  commands: TranscriptCommand[];
  /** Body sizes of the gateway's HTTP requests (client bytes) and responses (server bytes), if logged. */
  http: Record<Direction, number[]>;
}

const enc = new TextEncoder();
const COMMAND = /^\s*[\d.]+ \[([A-Z]-(?:NS|SB))\] ([CS])> (.*)$/;
const PAYLOAD = /^\s+\[([A-Z]-(?:NS|SB))\] {4}\|(?: (.*))?$/;
const HTTP = /^\s+\[([A-Z]-(?:NS|SB))\] HTTP \S+ \S+ \((\d+) bytes\) -> .*; (\d+) bytes$/;
const HTTP_OTHER = /^\s+\[[A-Z]-(?:NS|SB)\] HTTP /;

export function parseTranscript(text: string): TranscriptConnection[] {
  const connections = new Map<string, TranscriptConnection>();
  const connection = (name: string) => {
    let c = connections.get(name);
    if (!c) {
      c = { name, server: name.endsWith('SB') ? 'SB' : 'NS', commands: [], http: { client: [], server: [] } };
      connections.set(name, c);
    }
    return c;
  };
  let current: { conn: TranscriptConnection; direction: Direction; line: string; segments: string[] | null } | null = null;

  const flush = () => {
    if (!current) return;
    const { conn, direction, line, segments } = current;
    let payload: Uint8Array | null = null;
    if (segments !== null) {
      payload = enc.encode(segments.join('\r\n'));
      const declared = Number(line.split(' ').at(-1));
      if (payload.length !== declared) {
        throw new Error(`${conn.name} "${line}": rebuilt payload has ${payload.length} bytes, the line declares ${declared}`);
      }
    }
    const head = enc.encode(line + '\r\n');
    conn.commands.push({ direction, line, payload, bytes: payload ? concatBytes([head, payload]) : head });
    current = null;
  };

  for (const raw of text.split('\n')) {
    const cmd = COMMAND.exec(raw);
    if (cmd) {
      flush();
      current = { conn: connection(cmd[1]), direction: cmd[2] === 'C' ? 'client' : 'server', line: cmd[3], segments: null };
      continue;
    }
    const pay = PAYLOAD.exec(raw);
    if (pay) {
      if (!current || current.conn.name !== pay[1]) throw new Error(`payload line without a command: ${raw}`);
      (current.segments ??= []).push(pay[2] ?? '');
      continue;
    }
    const http = HTTP.exec(raw);
    if (http) {
      const c = connection(http[1]);
      c.http.client.push(Number(http[2]));
      c.http.server.push(Number(http[3]));
      continue;
    }
    if (raw.startsWith('#') || raw.trim() === '' || HTTP_OTHER.test(raw)) continue;
    // An unindented line continues the previous payload line across a bare LF inside the payload.
    if (!current || current.segments === null) throw new Error(`unexpected transcript line: ${raw}`);
    current.segments[current.segments.length - 1] += '\n' + raw;
  }
  flush();
  return [...connections.values()];
}

/** The bytes one direction of a connection sent, in order. */
export function streamOf(conn: TranscriptConnection, direction: Direction): Uint8Array {
  return concatBytes(conn.commands.filter((c) => c.direction === direction).map((c) => c.bytes));
}

/** Splits `bytes` into pieces of the given sizes (zero sizes skipped); the sizes must add up. */
export function chunkBySizes(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const n of sizes) {
    if (n === 0) continue;
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  if (at !== bytes.length) throw new Error(`chunk sizes add up to ${at}, the stream has ${bytes.length} bytes`);
  return out;
}
