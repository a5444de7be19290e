// Shapes of the command catalog, kept apart so the data files and the lookup share them.
import type { Direction, ServerKind } from './types.ts';

export type CommandCategory =
  | 'auth'
  | 'presence'
  | 'lists'
  | 'notification'
  | 'switchboard'
  | 'keepalive'
  | 'session'
  | 'error'
  | 'msnp21'
  | 'other';

/** One shape of a command: the first variant whose conditions all hold is used. */
export interface CommandVariant {
  direction?: Direction;
  server?: ServerKind;
  minVersion?: number;
  maxVersion?: number;
  /** Extra condition on the wire tokens (e.g. `USR` auth leg, `XFR` target kind). */
  when?: (args: readonly string[]) => boolean;
  description?: string;
  category?: CommandCategory;
  /** Names for args[0], args[1], ... ; a name starting with `...` takes every remaining token. */
  fields: readonly string[];
  /** Names for the last tokens (e.g. `length`), used where the middle varies. */
  tail?: readonly string[];
}

export interface CommandSpec {
  verb: string;
  category: CommandCategory;
  description: string;
  /** First and last MSNP version with the command (null = still present in MSNP21). */
  since: number;
  until: number | null;
  /** `reference` when section 4.2/6 states the range; `inferred` when it is our reading. */
  versionsFrom: 'reference' | 'inferred';
  variants: readonly CommandVariant[];
}
