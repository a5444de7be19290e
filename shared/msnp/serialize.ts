// Bytes back out: framed items re-serialize to exactly what was received, and new commands (for
// injection) are built with the payload length counted in bytes and checked against the framer,
// so an injected command can never desynchronize the stream it is written into.

import type { FramerLimits, FramingContext, Item } from './types.ts';
import { DEFAULT_LIMITS } from './types.ts';
import { Framer } from './framer.ts';
import { payloadRule } from './payload-table.ts';

/** Concatenates the raw bytes of `items`: the exact bytes they were framed from. */
export function serializeItems(items: readonly Item[]): Uint8Array {
  let total = 0;
  for (const item of items) total += item.raw.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const item of items) {
    out.set(item.raw, at);
    at += item.raw.length;
  }
  return out;
}

export interface EncodeCommandInput {
  /** Three upper-case letters or three digits. */
  verb: string;
  /** Written right after the verb; omit or null for commands without a TrID (PNG, OUT, NLN…). */
  trid?: number | null;
  /** Tokens after the TrID, without the payload length (it is appended). Already URL-encoded. */
  args?: readonly string[];
  /** The payload; a string is encoded as UTF-8. Its length in bytes becomes the last token. */
  payload?: Uint8Array | string | null;
}

/** A command that cannot be encoded as asked; `message` says why. */
export class EncodeError extends Error {
  override name = 'EncodeError';
}

const VERB = /^(?:[A-Z]{3}|[0-9]{3})$/;
// Tokens are separated by single spaces and may not contain spaces or control bytes.
const BAD_TOKEN_CHAR = /[\x00-\x20\x7f]/;
const encoder = new TextEncoder();

/**
 * Builds one wire command: `VERB[ TrID][ args…][ len]\r\n[payload]`.
 * Throws `EncodeError` when the result would not frame back as exactly this one command in `ctx`
 * (bad verb or token, a payload this command does not carry here, a missing payload, limits).
 */
export function encodeCommand(spec: EncodeCommandInput, ctx: FramingContext, limits?: Partial<FramerLimits>): Uint8Array {
  const { verb } = spec;
  if (!VERB.test(verb)) throw new EncodeError(`invalid verb ${JSON.stringify(verb)}: three upper-case letters or three digits`);
  const tokens: string[] = [verb];
  if (spec.trid !== undefined && spec.trid !== null) {
    if (!Number.isInteger(spec.trid) || spec.trid < 0 || spec.trid > 0xffffffff) {
      throw new EncodeError(`invalid TrID ${spec.trid}: an integer from 0 to 4294967295`);
    }
    tokens.push(String(spec.trid));
  }
  for (const arg of spec.args ?? []) {
    if (arg.length === 0) throw new EncodeError(`empty token in ${verb} arguments`);
    if (BAD_TOKEN_CHAR.test(arg)) throw new EncodeError(`token ${JSON.stringify(arg)} contains a space or control character (URL-encode it)`);
    tokens.push(arg);
  }
  const afterVerb = tokens.slice(1);
  let payload: Uint8Array | null = null;
  if (spec.payload !== undefined && spec.payload !== null) {
    payload = typeof spec.payload === 'string' ? encoder.encode(spec.payload) : spec.payload;
    tokens.push(String(payload.length));
    if (!payloadRule(verb, tokens.slice(1), ctx)) {
      throw new EncodeError(`${verb} carries no payload from the ${ctx.direction} on ${ctx.server} in MSNP${ctx.version}`);
    }
  } else if (payloadRule(verb, afterVerb, ctx)) {
    throw new EncodeError(`${verb} carries a payload from the ${ctx.direction} on ${ctx.server} in MSNP${ctx.version}: pass one (it may be empty)`);
  }
  const line = encoder.encode(tokens.join(' ') + '\r\n');
  const bytes = new Uint8Array(line.length + (payload?.length ?? 0));
  bytes.set(line, 0);
  if (payload !== null) bytes.set(payload, line.length);

  const framer = new Framer(ctx, { ...DEFAULT_LIMITS, ...limits });
  const items = [...framer.push(bytes), ...framer.end()];
  const first = items[0];
  if (items.length !== 1 || first.kind !== 'command') {
    const reason = items.find((i) => i.kind === 'malformed');
    throw new EncodeError(`${verb} would not frame as one command: ${reason && reason.kind === 'malformed' ? reason.reason : 'it splits into several'}`);
  }
  return bytes;
}
