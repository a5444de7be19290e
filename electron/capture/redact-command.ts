// Which tokens of which MSNP commands are secrets, and how one command is rewritten without them.
// A secret token becomes the placeholder; a payload that changes gets its length token recomputed
// in bytes, so the redacted stream still frames as the same commands.
import type { CommandItem, Direction, Item, ServerKind } from '../../shared/msnp/types.ts';

export const PLACEHOLDER = '[redacted]';

/** Profile MSG headers that identify or authenticate the account (reference 7.1 item 4). */
const PROFILE_SECRETS = new Set(['mspauth', 'mspprof', 'sid', 'kv', 'clientip', 'clientport', 'memberidhigh', 'memberidlow']);

export interface CommandContext {
  direction: Direction;
  server: ServerKind;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

/** Indexes into `args` (tokens after the verb, TrID included) that hold a secret. */
export function secretArgs(verb: string, args: readonly string[], ctx: CommandContext): number[] {
  if (ctx.direction === 'client') {
    if (verb === 'USR' && args[2] === 'S') {
      if (args[1] === 'MD5' || args[1] === 'TWN') return args.length > 3 ? [3] : [];
      if (args[1] === 'SSO') return [3, 4].filter((i) => i < args.length);
    }
    if (ctx.server === 'SB') {
      // USR trid handle cookie / ANS trid handle cookie sessid
      if ((verb === 'USR' || verb === 'ANS') && args.length >= 3 && args[1] !== 'OK') return [2];
    }
    return [];
  }
  if ((verb === 'XFR' || verb === 'RNG') && ctx.server === 'NS') {
    const cki = args.indexOf('CKI');
    return cki !== -1 && cki + 1 < args.length ? [cki + 1] : [];
  }
  return [];
}

function isProfile(item: CommandItem, ctx: CommandContext): boolean {
  if (ctx.direction !== 'server' || item.verb !== 'MSG' || item.payload === null) return false;
  const head = dec.decode(item.payload.subarray(0, 512));
  return /^content-type:\s*text\/x-msmsgsprofile/im.test(head);
}

/** The profile payload with its secret header values replaced (body after the blank line kept). */
function redactProfile(payload: Uint8Array): Uint8Array {
  const text = dec.decode(payload);
  const end = text.indexOf('\r\n\r\n');
  const headerPart = end === -1 ? text : text.slice(0, end);
  const rest = end === -1 ? '' : text.slice(end);
  const lines = headerPart.split('\r\n').map((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0 || !PROFILE_SECRETS.has(line.slice(0, colon).trim().toLowerCase())) return line;
    return line.slice(colon + 1).trim() === '' ? line : `${line.slice(0, colon)}: ${PLACEHOLDER}`;
  });
  return enc.encode(lines.join('\r\n') + rest);
}

/** The item's bytes with secrets replaced, or the original bytes when it holds none. */
export function redactItem(item: Item, ctx: CommandContext): Uint8Array {
  if (item.kind === 'malformed') return redactMalformed(item.raw, ctx);
  const secrets = secretArgs(item.verb, item.args, ctx);
  const profile = isProfile(item, ctx);
  if (secrets.length === 0 && !profile) return item.raw;
  const args = item.args.slice();
  for (const i of secrets) args[i] = PLACEHOLDER;
  let payload = item.payload;
  if (profile && payload) {
    payload = redactProfile(payload);
    args[args.length - 1] = String(payload.length);
  }
  const line = enc.encode([item.verb, ...args].join(' ') + '\r\n');
  if (!payload) return line;
  const out = new Uint8Array(line.length + payload.length);
  out.set(line);
  out.set(payload, line.length);
  return out;
}

/**
 * Bytes the framer could not frame (a stream cut mid-command, a bad length) may still start with
 * a secret-bearing line: its tokens get the same rules, the rest is kept.
 */
function redactMalformed(raw: Uint8Array, ctx: CommandContext): Uint8Array {
  const nl = raw.indexOf(0x0a);
  const lineEnd = nl === -1 ? raw.length : nl + 1;
  const line = dec.decode(raw.subarray(0, lineEnd));
  const ending = /\r?\n$/.exec(line)?.[0] ?? '';
  const tokens = line.slice(0, line.length - ending.length).split(' ');
  const secrets = secretArgs(tokens[0] ?? '', tokens.slice(1), ctx);
  // A profile cut short still carries its MSPAuth; its length token is wrong already.
  const profile = tokens[0] === 'MSG' && ctx.direction === 'server' && /^content-type:\s*text\/x-msmsgsprofile/im.test(dec.decode(raw.subarray(lineEnd, lineEnd + 512)));
  if (secrets.length === 0 && !profile) return raw;
  for (const i of secrets) tokens[i + 1] = PLACEHOLDER;
  const head = enc.encode(tokens.join(' ') + ending);
  const rest = profile ? redactProfile(raw.subarray(lineEnd)) : raw.subarray(lineEnd);
  const out = new Uint8Array(head.length + rest.length);
  out.set(head);
  out.set(rest, head.length);
  return out;
}
