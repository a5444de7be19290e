// The command catalog: what each verb means, per direction, server kind and version.
import { LIST_COMMANDS } from './catalog-lists.ts';
import { NS_COMMANDS } from './catalog-ns.ts';
import { LATE_COMMANDS, MESSAGE_COMMANDS, SWITCHBOARD_COMMANDS } from './catalog-sb.ts';
import type { CommandCategory, CommandSpec, CommandVariant } from './catalog-types.ts';
import { describeError } from './errors.ts';
import type { Direction, ServerKind } from './types.ts';

export type { CommandCategory, CommandSpec, CommandVariant } from './catalog-types.ts';

export const COMMAND_CATEGORIES: readonly CommandCategory[] = [
  'auth', 'presence', 'lists', 'notification', 'switchboard', 'keepalive', 'session', 'error', 'msnp21', 'other',
];

const SPECS: ReadonlyMap<string, CommandSpec> = new Map(
  [...NS_COMMANDS, ...LIST_COMMANDS, ...MESSAGE_COMMANDS, ...SWITCHBOARD_COMMANDS, ...LATE_COMMANDS]
    .map((spec) => [spec.verb, spec]),
);

/** Every verb the catalog knows, alphabetically. */
export const COMMAND_VERBS: readonly string[] = [...SPECS.keys()].sort();

export function commandSpec(verb: string): CommandSpec | undefined {
  return SPECS.get(verb);
}

export interface CommandDescription {
  verb: string;
  /** False for verbs the catalog does not know (and for undocumented error codes). */
  known: boolean;
  category: CommandCategory;
  description: string;
  /** Names for the leading tokens after the verb (TrID included where the command has one). */
  fields: string[];
  /** Names for the trailing tokens, e.g. `length` where the middle varies. */
  tail: string[];
  since: number | null;
  until: number | null;
  versionsFrom: 'reference' | 'inferred' | null;
  /** False when `version` is outside since..until; the description still applies. */
  inVersion: boolean;
}

function matches(v: CommandVariant, direction: Direction, server: ServerKind, version: number, args: readonly string[]): boolean {
  if (v.direction !== undefined && v.direction !== direction) return false;
  if (v.server !== undefined && v.server !== server) return false;
  if (v.minVersion !== undefined && version < v.minVersion) return false;
  if (v.maxVersion !== undefined && version > v.maxVersion) return false;
  if (v.when !== undefined) {
    try {
      return v.when(args);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Describes a command. `args` (the wire tokens after the verb) refines the choice where the shape
 * depends on them (USR legs, XFR NS vs SB, ADL OK vs push); without it the first shape that fits
 * direction, server and version is used.
 */
export function describeCommand(
  verb: string,
  direction: Direction,
  server: ServerKind,
  version: number,
  args: readonly string[] = [],
): CommandDescription {
  if (/^\d{3}$/.test(verb)) {
    const error = describeError(Number(verb), server);
    return {
      verb, known: error.known, category: 'error',
      description: error.known ? `Error ${verb} ${error.name}: ${error.meaning}` : `Error ${verb}: ${error.meaning}`,
      fields: ['trid', 'length'], tail: [],
      since: 2, until: null, versionsFrom: error.known ? 'reference' : null, inVersion: true,
    };
  }
  const spec = SPECS.get(verb);
  if (!spec) {
    return {
      verb, known: false, category: 'other', description: `unknown command ${verb}`,
      fields: [], tail: [], since: null, until: null, versionsFrom: null, inVersion: true,
    };
  }
  const variant = spec.variants.find((v) => matches(v, direction, server, version, args))
    ?? spec.variants[spec.variants.length - 1];
  return {
    verb,
    known: true,
    category: variant.category ?? spec.category,
    description: variant.description ?? spec.description,
    fields: [...variant.fields],
    tail: [...(variant.tail ?? [])],
    since: spec.since,
    until: spec.until,
    versionsFrom: spec.versionsFrom,
    inVersion: version >= spec.since && (spec.until === null || version <= spec.until),
  };
}

/**
 * Names each of `argCount` tokens from a description: leading fields first, `...rest` fields take
 * the remainder, tail fields name the last tokens. Tokens with no name get null.
 */
export function fieldNamesFor(desc: Pick<CommandDescription, 'fields' | 'tail'>, argCount: number): (string | null)[] {
  const names: (string | null)[] = new Array(Math.max(0, argCount)).fill(null);
  const tailStart = Math.max(0, argCount - desc.tail.length);
  desc.tail.forEach((name, i) => {
    const at = argCount - desc.tail.length + i;
    if (at >= 0) names[at] = name;
  });
  for (let i = 0; i < desc.fields.length && i < argCount; i++) {
    const field = desc.fields[i];
    if (field.startsWith('...')) {
      for (let j = i; j < (desc.tail.length > 0 ? tailStart : argCount); j++) names[j] = field.slice(3);
      break;
    }
    if (desc.tail.length > 0 && i >= tailStart) break;
    names[i] = field;
  }
  return names;
}
