// Numeric MSNP errors (`NNN TrID`, or `NNN TrID len` with a payload in MSNP13+).
import { ERROR_ROWS } from './error-table.ts';
import type { ServerKind } from './types.ts';

export type ErrorFatality = 'session' | 'switchboard' | null;

export interface ErrorInfo {
  code: number;
  /** The primary name, or `error N` when no source names the code. */
  name: string;
  /** Every name the sources use, protocol names first. */
  names: string[];
  meaning: string;
  /** What a client is expected to drop on this error (BitlBee's judgement). */
  fatal: ErrorFatality;
  /** May carry a payload (`NNN TrID len`) in MSNP13+. */
  payloadCapable: boolean;
  /** False for codes the table does not list. */
  known: boolean;
}

interface Entry extends ErrorInfo {
  switchboardFatal: boolean;
}

function toEntry([code, nameList, meaning, flags = '']: readonly [number, string, string, string?]): Entry {
  const names = nameList.split(';').map((n) => n.trim()).filter((n) => n.length > 0);
  const parts = flags.split('+');
  const sessionFatal = parts.includes('F');
  const switchboardFatal = parts.includes('SBF');
  return {
    code,
    name: names[0] ?? `error ${code}`,
    names,
    meaning,
    fatal: sessionFatal ? 'session' : switchboardFatal ? 'switchboard' : null,
    payloadCapable: parts.includes('P'),
    known: true,
    switchboardFatal,
  };
}

const TABLE: ReadonlyMap<number, Entry> = new Map(ERROR_ROWS.map((row) => [row[0], toEntry(row)]));

/** Every documented code, ascending. */
export const ERROR_CODES: readonly number[] = [...TABLE.keys()].sort((a, b) => a - b);

/** Codes MSNPSharp and papyon read a payload for (MSNP13+). */
export const PAYLOAD_ERROR_CODES: readonly number[] = ERROR_CODES.filter((c) => TABLE.get(c)!.payloadCapable);

/**
 * Looks up an error code. `server` refines fatality: a code fatal to a switchboard (911, 280) is
 * reported as `switchboard` when it arrives on an SB connection.
 */
export function describeError(code: number, server?: ServerKind): ErrorInfo {
  const entry = Number.isInteger(code) ? TABLE.get(code) : undefined;
  if (!entry) {
    return {
      code,
      name: `error ${code}`,
      names: [],
      meaning: `unknown error code ${code}`,
      fatal: null,
      payloadCapable: false,
      known: false,
    };
  }
  const { switchboardFatal, ...info } = entry;
  const fatal: ErrorFatality = server === 'SB' && switchboardFatal ? 'switchboard' : info.fatal;
  return { ...info, names: [...info.names], fatal };
}
