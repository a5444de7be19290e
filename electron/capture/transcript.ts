// A text transcript in the compact style of libpurple's MSN debug log: one line per command,
// `C:` (client to server) or `S:`, the session kind and a per-kind session number, then the
// command line as it crossed the wire (`C: NS 000: VER 1 MSNP8 CVR0`). Payloads follow their
// command indented by four spaces (a hex dump when they are not readable text). Lines starting
// with `#` say what happened to the session. Built from the relayed bytes, redacted by default.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import { hexDump } from '../../shared/msnp/hex.ts';
import { isReadableText, utf8Text } from '../../shared/msnp/text.ts';
import type { Direction, Item } from '../../shared/msnp/types.ts';
import { redactEvents, type RedactOptions } from './redact.ts';
import { SessionTable, sessionLabel } from './sessions.ts';

export type TranscriptOptions = RedactOptions;

const INDENT = '    ';
const PREFIX: Record<Direction, string> = { client: 'C', server: 'S' };

function payloadLines(payload: Uint8Array): string[] {
  if (payload.length === 0) return [];
  if (!isReadableText(payload)) return [`${INDENT}[binary payload, ${payload.length} bytes]`, ...hexDump(payload).lines.map((l) => INDENT + l)];
  const lines = utf8Text(payload).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => INDENT + l);
}

function itemLines(label: string, direction: Direction, item: Item): string[] {
  const head = `${PREFIX[direction]}: ${label}: `;
  if (item.kind === 'malformed') {
    const text = utf8Text(item.raw.subarray(0, 200)).replace(/\r?\n[\s\S]*$/, '');
    return [`${head}[malformed: ${item.reason}] ${text}${item.raw.length > 200 ? '...' : ''}`];
  }
  return [head + item.line, ...(item.payload ? payloadLines(item.payload) : [])];
}

export function toTranscript(events: readonly GatewayEvent[], options: TranscriptOptions = {}): string {
  const clean = redactEvents(events, options);
  const sessions = SessionTable.of(clean);
  const decoders = new Map<string, ConnectionDecoder>();
  const out: string[] = [`# MSN Gateway Inspector transcript (${options.unredacted ? 'unredacted: contains secrets' : 'redacted'})`];
  const labelOf = (sessionId: string) => sessionLabel(sessions.get(sessionId)!);
  const decoderOf = (sessionId: string) => {
    let d = decoders.get(sessionId);
    if (!d) {
      d = new ConnectionDecoder(sessions.get(sessionId)!.server);
      decoders.set(sessionId, d);
    }
    return d;
  };
  const flush = (sessionId: string) => {
    const d = decoders.get(sessionId);
    if (!d) return;
    for (const dir of ['client', 'server'] as const) for (const item of d.end(dir)) out.push(...itemLines(labelOf(sessionId), dir, item));
    decoders.delete(sessionId);
  };

  for (const e of clean) {
    switch (e.type) {
      case 'session-opened':
        out.push(`# ${labelOf(e.sessionId)} opened: gateway session ${e.sessionId}, client ${e.clientAddress}:${e.clientPort}, upstream ${e.upstream.host}:${e.upstream.port}${e.requestedIp ? `, IP=${e.requestedIp}` : ''}`);
        break;
      case 'bytes': {
        const label = labelOf(e.sessionId);
        if (e.origin) out.push(`# ${label}: the following ${e.direction === 'client' ? 'client-to-server' : 'server-to-client'} bytes were ${e.origin === 'injected' ? 'injected by the user' : 'edited at a breakpoint'}`);
        for (const item of decoderOf(e.sessionId).push(e.direction, e.bytes)) out.push(...itemLines(label, e.direction, item));
        break;
      }
      case 'upstream-error':
        out.push(`# ${labelOf(e.sessionId)}: upstream error ${e.code}: ${e.message}`);
        break;
      case 'session-closed':
        flush(e.sessionId);
        out.push(`# ${labelOf(e.sessionId)} closed: ${e.reason}${e.detail ? ` (${e.detail})` : ''}`);
        break;
      case 'notice':
        if (e.severity !== 'info') out.push(`# ${e.sessionId && sessions.get(e.sessionId) ? labelOf(e.sessionId) + ': ' : ''}${e.severity}: ${e.code}: ${e.message}`);
        break;
      default:
        break;
    }
  }
  for (const id of [...decoders.keys()]) flush(id);
  return out.join('\n') + '\n';
}
