// accounts.json on disk: atomic replace (temp file, fsync, rename) so a crash mid-write leaves
// either the old or the new file, and a strict shape check on load so a damaged file is reported
// with its path instead of surfacing later as a TypeError deep inside the notification server.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AccountError, LIST_NAMES } from './account-types.ts';
import type { Account } from './account-types.ts';

export const ACCOUNTS_FILE = 'accounts.json';
const FORMAT_VERSION = 1;
/** A hand-edited or hostile file must not make us parse gigabytes. */
export const MAX_ACCOUNTS_FILE_BYTES = 64 * 1024 * 1024;

interface FileShape {
  format: number;
  accounts: Account[];
}

/** Reads the store; null when the file does not exist yet. */
export function readAccountsFile(dataDir: string): Account[] | null {
  const path = join(dataDir, ACCOUNTS_FILE);
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_ACCOUNTS_FILE_BYTES) {
      throw new AccountError('CORRUPT_FILE', `${path} is larger than ${MAX_ACCOUNTS_FILE_BYTES} bytes`);
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof AccountError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AccountError('IO', `cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, `not JSON (${(error as Error).message})`);
  }
  const problem = shapeProblem(parsed);
  if (problem !== null) throw corrupt(path, problem);
  return (parsed as FileShape).accounts;
}

export function writeAccountsFile(dataDir: string, accounts: readonly Account[]): void {
  const path = join(dataDir, ACCOUNTS_FILE);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const body: FileShape = { format: FORMAT_VERSION, accounts: accounts as Account[] };
  try {
    mkdirSync(dataDir, { recursive: true });
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(body, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new AccountError('IO', `cannot write ${path}: ${(error as Error).message}`);
  }
}

function corrupt(path: string, why: string): AccountError {
  return new AccountError(
    'CORRUPT_FILE',
    `account store ${path} is damaged: ${why}. Fix or move the file away; a new store with the demo accounts is created when it is missing.`,
  );
}

const isString = (v: unknown): v is string => typeof v === 'string';

function shapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'top level is not an object';
  const file = value as Partial<FileShape>;
  if (file.format !== FORMAT_VERSION) return `unknown format ${JSON.stringify(file.format)} (expected ${FORMAT_VERSION})`;
  if (!Array.isArray(file.accounts)) return '"accounts" is not an array';
  const seen = new Set<string>();
  for (const [index, account] of file.accounts.entries()) {
    const problem = accountProblem(account);
    if (problem !== null) return `accounts[${index}]: ${problem}`;
    if (seen.has(account.handle)) return `accounts[${index}]: duplicate handle ${account.handle}`;
    seen.add(account.handle);
  }
  return null;
}

function accountProblem(a: unknown): string | null {
  if (typeof a !== 'object' || a === null) return 'not an object';
  const account = a as Record<string, unknown>;
  for (const key of ['handle', 'password', 'friendlyName', 'guid', 'memberId', 'personalMessage', 'createdAt']) {
    if (!isString(account[key])) return `"${key}" is not a string`;
  }
  if (account.handle !== (account.handle as string).toLowerCase()) return 'handle is not lower-case';
  if (account.privacy !== 'AL' && account.privacy !== 'BL') return 'privacy is not AL or BL';
  if (account.gtc !== 'A' && account.gtc !== 'N') return 'gtc is not A or N';
  if (!Number.isSafeInteger(account.listVersion) || (account.listVersion as number) < 0) return 'listVersion is not a count';
  if (typeof account.bot !== 'boolean') return 'bot is not a boolean';
  if (!Array.isArray(account.groups)) return 'groups is not an array';
  for (const g of account.groups as unknown[]) {
    const group = g as Record<string, unknown>;
    if (typeof g !== 'object' || g === null || !Number.isSafeInteger(group.id) || !isString(group.guid) || !isString(group.name)) {
      return 'a group is not {id, guid, name}';
    }
  }
  if (!Array.isArray(account.contacts)) return 'contacts is not an array';
  for (const c of account.contacts as unknown[]) {
    const contact = c as Record<string, unknown>;
    if (typeof c !== 'object' || c === null || !isString(contact.handle) || !isString(contact.friendlyName) || !isString(contact.contactId)) {
      return 'a contact is not {handle, friendlyName, contactId, lists, groups}';
    }
    if (!Array.isArray(contact.lists) || !contact.lists.every((l) => (LIST_NAMES as readonly unknown[]).includes(l))) {
      return `contact ${contact.handle}: lists must be among ${LIST_NAMES.join(', ')}`;
    }
    if (!Array.isArray(contact.groups) || !contact.groups.every((g) => Number.isSafeInteger(g))) {
      return `contact ${contact.handle}: groups must be numeric ids`;
    }
  }
  return null;
}
