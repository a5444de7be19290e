// Argument access for client commands: `args` from the framer holds every token after the verb,
// the TrID first for commands that carry one.
import type { CommandItem } from '../../../shared/msnp/types.ts';

/** Parameters after the TrID (PNG and OUT have no TrID, so all of their tokens). */
export function params(cmd: CommandItem): string[] {
  return cmd.trid === null ? cmd.args : cmd.args.slice(1);
}

/** Parameters without a trailing payload length (for payload commands). */
export function paramsBeforeLength(cmd: CommandItem): string[] {
  const p = params(cmd);
  return cmd.payloadLength === null ? p : p.slice(0, -1);
}
