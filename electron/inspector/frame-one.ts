// Injected, resent and edited bytes must be exactly one well-formed command in the connection's
// framing context, or they would desynchronize the stream they are written into.
import { Framer } from '../../shared/msnp/index.ts';
import type { CommandItem, FramingContext } from '../../shared/msnp/index.ts';

export function frameOne(raw: Uint8Array, ctx: FramingContext): { ok: true; item: CommandItem } | { ok: false; error: string } {
  if (raw.length === 0) return { ok: false, error: 'no bytes: a command is needed' };
  const framer = new Framer(ctx);
  const items = [...framer.push(raw), ...framer.end()];
  const bad = items.find((i) => i.kind === 'malformed');
  if (bad && bad.kind === 'malformed') return { ok: false, error: `not a well-formed command for MSNP${ctx.version} ${ctx.server} (${ctx.direction} side): ${bad.reason}` };
  if (items.length !== 1) return { ok: false, error: `exactly one command expected, got ${items.length}` };
  return { ok: true, item: items[0] as CommandItem };
}
