// Turns a recorded MSNP transcript (tests/fixtures/transcripts/*.txt) into bytes per connection,
// so a scripted upstream can answer exactly as the recorded server (Escargot) did.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScriptStep } from './upstream-conn.ts';

export interface TranscriptEntry {
  conn: string; // e.g. 'A-NS'
  dir: 'C' | 'S';
  /** The command line without CRLF. */
  line: string;
  /** The full wire bytes: line + CRLF + payload. */
  bytes: Uint8Array;
}

const encoder = new TextEncoder();
const COMMAND = /^\s*[\d.]+\s+\[([A-Z]-[A-Z]{2})\] ([CS])> (.*)$/;
const PAYLOAD = /^\s*\[([A-Z]-[A-Z]{2})\]\s+\| ?(.*)$/;

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

export function parseTranscript(text: string): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  let current: { conn: string; dir: 'C' | 'S'; line: string; payload: string[] | null } | null = null;
  const flush = () => {
    if (!current) return;
    let bytes = encoder.encode(current.line + '\r\n');
    if (current.payload) {
      const declared = Number(current.line.split(' ').at(-1));
      const payload = encoder.encode(current.payload.join('\r\n'));
      if (payload.length !== declared) {
        throw new Error(`transcript payload of "${current.line}" is ${payload.length} bytes, declared ${declared}`);
      }
      const joined = new Uint8Array(bytes.length + payload.length);
      joined.set(bytes);
      joined.set(payload, bytes.length);
      bytes = joined;
    }
    out.push({ conn: current.conn, dir: current.dir, line: current.line, bytes });
    current = null;
  };
  for (const raw of text.split('\n')) {
    const p = PAYLOAD.exec(raw);
    if (p && current) {
      (current.payload ??= []).push(p[2]);
      continue;
    }
    flush();
    const m = COMMAND.exec(raw);
    if (m) current = { conn: m[1], dir: m[2] as 'C' | 'S', line: m[3], payload: null };
  }
  flush();
  return out;
}

export function loadTranscript(name: string): TranscriptEntry[] {
  return parseTranscript(readFileSync(fixturePath(`transcripts/${name}`), 'utf8'));
}

/**
 * The upstream's side of one connection as a script: each client command becomes an `expect`,
 * and the server lines recorded after it (on that connection) its reply. `until` stops before
 * the client command whose line starts with it (e.g. 'OUT').
 */
export function serverScript(entries: TranscriptEntry[], conn: string, until?: string): ScriptStep[] {
  const steps: ScriptStep[] = [];
  let last: { expect: Uint8Array; reply: Uint8Array[] } | null = null;
  for (const e of entries) {
    if (e.conn !== conn) continue;
    if (e.dir === 'C') {
      if (until && e.line.startsWith(until)) break;
      last = { expect: e.bytes, reply: [] };
      steps.push(last);
    } else if (last) {
      last.reply.push(e.bytes);
    } else {
      steps.push({ send: e.bytes });
    }
  }
  return steps;
}

/** The client commands of one connection, in order. */
export function clientCommands(entries: TranscriptEntry[], conn: string, until?: string): TranscriptEntry[] {
  const cmds: TranscriptEntry[] = [];
  for (const e of entries) {
    if (e.conn !== conn || e.dir !== 'C') continue;
    if (until && e.line.startsWith(until)) break;
    cmds.push(e);
  }
  return cmds;
}

/** The server bytes a client expects on one connection (up to `until`), concatenated in order. */
export function serverBytes(entries: TranscriptEntry[], conn: string, until?: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const e of entries) {
    if (e.conn !== conn) continue;
    if (e.dir === 'C' && until && e.line.startsWith(until)) break;
    if (e.dir === 'S') out.push(e.bytes);
  }
  return out;
}
