// Seed material for the fuzzers, all of it real: the MSNP transcripts already in the repository
// (shared/msnp/__fixtures__/transcripts, copies of the team's reference recordings; see the README
// there) and the gateway requests real clients send (Vectors A, C, D of the protocol notes and the
// six client templates in tests/harness/client-profiles.ts). No vitest import: the long runner
// (scripts/fuzz.mjs) loads this too.
import { readFileSync } from 'node:fs';
import { parseTranscript } from '../../shared/msnp/__fixtures__/transcript-streams.ts';
import type { Direction, ServerKind } from '../../shared/msnp/types.ts';
import { CLIENT_PROFILES, profileRequest, type RequestKind } from '../harness/client-profiles.ts';
import { concatBytes } from '../../shared/msnp/bytes.ts';

export interface StreamSeed {
  name: string;
  server: ServerKind;
  direction: Direction;
  /** The version the recording negotiated (SBs inherit it from their NS). */
  version: number;
  bytes: Uint8Array;
}

export interface ConnectionSeed {
  name: string;
  server: ServerKind;
  version: number;
  /** Each command's bytes in recorded order, with its direction. */
  steps: Array<{ direction: Direction; bytes: Uint8Array }>;
}

const TRANSCRIPTS: Array<[file: string, version: number]> = [
  ['msnp7-tcp.txt', 7],
  ['msnp8-tcp.txt', 8],
  ['msnp8-http-via-relay.txt', 8],
  ['msnp15-sso-tcp.txt', 15],
];

let connectionsCache: ConnectionSeed[] | null = null;

export function transcriptConnections(): ConnectionSeed[] {
  if (connectionsCache) return connectionsCache;
  const out: ConnectionSeed[] = [];
  for (const [file, version] of TRANSCRIPTS) {
    const text = readFileSync(new URL(`../../shared/msnp/__fixtures__/transcripts/${file}`, import.meta.url), 'utf8');
    for (const conn of parseTranscript(text)) {
      out.push({
        name: `${file}#${conn.name}`,
        server: conn.server,
        version,
        steps: conn.commands.map((c) => ({ direction: c.direction, bytes: c.bytes })),
      });
    }
  }
  connectionsCache = out;
  return out;
}

export function transcriptStreams(): StreamSeed[] {
  const out: StreamSeed[] = [];
  for (const conn of transcriptConnections()) {
    for (const direction of ['client', 'server'] as const) {
      const bytes = concatBytes(conn.steps.filter((s) => s.direction === direction).map((s) => s.bytes));
      if (bytes.length > 0) out.push({ name: `${conn.name}:${direction}`, server: conn.server, direction, version: conn.version, bytes });
    }
  }
  return out;
}

const enc = new TextEncoder();

/** Vector A and C verbatim (section 3.1 of the protocol notes), and Vector D with a placeholder SessionID. */
export const VECTOR_A =
  'POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com HTTP/1.1\r\n' +
  'Accept: */*\r\nAccept-Language: en-us\r\nAccept-Encoding: gzip, deflate\r\nUser-Agent: MSMSGS\r\n' +
  'Host: gateway.messenger.hotmail.com\r\nProxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\nPragma: no-cache\r\n' +
  'Content-Type: application/x-msn-messenger\r\nContent-Length: 18\r\n\r\nVER 5 MSNP8 CVR0\r\n';

export const VECTOR_C =
  'POST http://gateway.messenger.hotmail.com/gateway/gateway.dll?Action=open&Server=SB&IP=207.46.108.13 HTTP/1.1\r\n' +
  'Accept: */*\r\nAccept-Language: en-us\r\nAccept-Encoding: gzip, deflate\r\nUser-Agent: MSMSGS\r\n' +
  'Host: gateway.messenger.hotmail.com\r\nProxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\nPragma: no-cache\r\n' +
  'Content-Type: application/x-msn-messenger\r\nContent-Length: 55\r\n\r\nUSR 3 phil_sayers@hotmail.com 214963.1047973248.28908\r\n';

/** `{SID}` is replaced with a live SessionID (or left for an unknown one) when the request is sent. */
export const VECTOR_D =
  'POST http://127.0.0.1/gateway/gateway.dll?Action=poll&SessionID={SID} HTTP/1.1\r\n' +
  'Accept: */*\r\nAccept-Language: en-us\r\nAccept-Encoding: gzip, deflate\r\nUser-Agent: MSMSGS\r\n' +
  'Host: 127.0.0.1\r\nProxy-Connection: Keep-Alive\r\nConnection: Keep-Alive\r\nPragma: no-cache\r\n' +
  'Content-Type: application/x-msn-messenger\r\nContent-Length: 0\r\n\r\n';

export const SID_PLACEHOLDER = '{SID}';

/** Every client's open, data and poll requests (data bodies from the MSNP8 transcript), plus the vectors. */
export function requestTemplates(): Uint8Array[] {
  const out: Uint8Array[] = [enc.encode(VECTOR_A), enc.encode(VECTOR_C), enc.encode(VECTOR_D)];
  const bodies = [enc.encode('VER 1 MSNP8 CVR0\r\n'), enc.encode('CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS a@b.c\r\n'), enc.encode('MSG 5 N 17\r\nMIME-Version: 1.0')];
  for (const profile of CLIENT_PROFILES) {
    for (const kind of ['open', 'data', 'poll'] as RequestKind[]) {
      for (const server of ['NS', 'SB'] as const) {
        if (kind !== 'open' && server === 'SB') continue;
        const body = kind === 'poll' ? new Uint8Array(0) : bodies[(out.length + (server === 'SB' ? 1 : 0)) % bodies.length];
        out.push(
          profileRequest(profile, {
            kind,
            server,
            ip: server === 'NS' ? 'messenger.hotmail.com' : '207.46.108.13:1863',
            sessionId: kind === 'open' ? null : SID_PLACEHOLDER,
            host: kind === 'open' ? 'gateway.messenger.hotmail.com' : '127.0.0.1',
            body,
          }),
        );
      }
    }
  }
  return out;
}
