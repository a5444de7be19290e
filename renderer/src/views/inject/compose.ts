// Turns the composer's fields into an inject.send request and checks it with the codec first, so
// the user sees exactly what would go on the wire (and why not) before sending.
import type { OperationRequest } from '../../../../shared/api/contract.ts';
import { encodeCommand } from '../../../../shared/msnp/serialize.ts';
import type { FramingContext, ServerKind } from '../../../../shared/msnp/types.ts';
import { DEFAULT_VERSION } from '../../../../shared/msnp/types.ts';
import { bytesToBase64, utf8Lossy } from '../../lib/base64.ts';

export interface ComposeInput {
  sessionId: string;
  server: ServerKind;
  version: number | null;
  to: 'server' | 'client';
  line: string;
  /** '' = no TrID, 'auto' = the core fills it in, or a number. */
  trid: string;
  /** null = no payload; text is sent as UTF-8. */
  payload: string | null;
}

export type Composed =
  | { ok: true; request: OperationRequest<'inject.send'>; preview: string; bytes: number; payloadBytes: number | null }
  | { ok: false; error: string };

export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export function compose(input: ComposeInput): Composed {
  const tokens = input.line.trim().split(/ +/).filter(Boolean);
  if (tokens.length === 0) return { ok: false, error: 'Type a command, e.g. CHG NLN 0' };
  const [verb, ...args] = tokens;
  const tridText = input.trid.trim();
  let trid: number | 'auto' | undefined;
  if (tridText === '') trid = undefined;
  else if (tridText.toLowerCase() === 'auto') trid = 'auto';
  else if (/^\d+$/.test(tridText)) trid = Number(tridText);
  else return { ok: false, error: `TrID must be a number, "auto" or empty, not "${tridText}"` };
  const payloadBytes = input.payload === null ? null : new TextEncoder().encode(input.payload);
  if (payloadBytes && payloadBytes.length > MAX_PAYLOAD_BYTES) return { ok: false, error: `payload is ${payloadBytes.length} bytes; the composer sends at most ${MAX_PAYLOAD_BYTES}` };
  // Bytes to the server are the client's direction of the stream, and the other way round.
  const ctx: FramingContext = { direction: input.to === 'server' ? 'client' : 'server', server: input.server, version: input.version ?? DEFAULT_VERSION };
  let wire: Uint8Array;
  try {
    // The core picks the TrID for 'auto'; any number frames the same way, so validate with 1.
    wire = encodeCommand({ verb, args, trid: trid === 'auto' ? 1 : trid, payload: payloadBytes }, ctx);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const preview = utf8Lossy(wire).replace(/^(\S+) 1(?= |\r\n)/, trid === 'auto' ? '$1 <TrID>' : '$1 1');
  return {
    ok: true,
    request: { sessionId: input.sessionId, to: input.to, verb, args, trid, ...(payloadBytes ? { payload: bytesToBase64(payloadBytes) } : {}) },
    preview,
    bytes: wire.length,
    payloadBytes: payloadBytes?.length ?? null,
  };
}
