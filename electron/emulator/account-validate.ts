// Input checks for the account store. Handles and names travel inside MSNP command lines, so
// anything that could break a line (spaces, control characters) or overflow a client field is refused.
import { AccountError } from './account-types.ts';
import type { GtcMode, ListName, PrivacyMode } from './account-types.ts';
import { LIST_NAMES } from './account-types.ts';

export const MAX_HANDLE_LENGTH = 129;
/** Friendly names travel URL-encoded; the protocol caps them at 387 encoded bytes. */
export const MAX_FRIENDLY_NAME_ENCODED = 387;
/** Group names: MSNP answers 229 above 61 encoded bytes. */
export const MAX_GROUP_NAME_ENCODED = 61;
export const MAX_PASSWORD_LENGTH = 256;
/** Personal messages are sent inside a UBX XML payload; keep them modest. */
export const MAX_PERSONAL_MESSAGE_LENGTH = 1024;

// Printable ASCII without the characters that separate fields in MSNP, Passport headers or XML.
const HANDLE_RE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

/** Returns the lower-case key for a handle, or throws INVALID_HANDLE with the reason. */
export function normalizeHandle(handle: unknown): string {
  if (typeof handle !== 'string' || handle.length === 0) {
    throw new AccountError('INVALID_HANDLE', 'handle must be a non-empty e-mail address');
  }
  if (handle.length > MAX_HANDLE_LENGTH) {
    throw new AccountError('INVALID_HANDLE', `handle is longer than ${MAX_HANDLE_LENGTH} characters`);
  }
  if (!HANDLE_RE.test(handle) || handle.includes('..')) {
    throw new AccountError('INVALID_HANDLE', `handle ${JSON.stringify(handle)} is not an e-mail address (name@domain, no spaces)`);
  }
  return handle.toLowerCase();
}

export function isValidHandle(handle: unknown): boolean {
  try {
    normalizeHandle(handle);
    return true;
  } catch {
    return false;
  }
}

function encodedBytes(text: string): number {
  // encodeURIComponent throws on lone surrogates; those are not valid names either.
  return encodeURIComponent(text).length;
}

export function checkFriendlyName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new AccountError('INVALID_FRIENDLY_NAME', 'friendly name must be a non-empty string');
  }
  if (CONTROL_RE.test(name)) {
    throw new AccountError('INVALID_FRIENDLY_NAME', 'friendly name contains control characters');
  }
  let size: number;
  try {
    size = encodedBytes(name);
  } catch {
    throw new AccountError('INVALID_FRIENDLY_NAME', 'friendly name is not valid Unicode');
  }
  if (size > MAX_FRIENDLY_NAME_ENCODED) {
    throw new AccountError('INVALID_FRIENDLY_NAME', `friendly name is ${size} bytes URL-encoded, the limit is ${MAX_FRIENDLY_NAME_ENCODED}`);
  }
  return name;
}

export function checkGroupName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || CONTROL_RE.test(name)) {
    throw new AccountError('GROUP_NAME_INVALID', 'group name must be a non-empty string without control characters');
  }
  let size: number;
  try {
    size = encodedBytes(name);
  } catch {
    throw new AccountError('GROUP_NAME_INVALID', 'group name is not valid Unicode');
  }
  if (size > MAX_GROUP_NAME_ENCODED) {
    throw new AccountError('GROUP_NAME_INVALID', `group name is ${size} bytes URL-encoded, the limit is ${MAX_GROUP_NAME_ENCODED}`);
  }
  return name;
}

export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length === 0) {
    throw new AccountError('INVALID_PASSWORD', 'password must be a non-empty string');
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AccountError('INVALID_PASSWORD', `password is longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  return password;
}

export function checkPersonalMessage(text: unknown): string {
  if (typeof text !== 'string' || text.length > MAX_PERSONAL_MESSAGE_LENGTH || CONTROL_RE.test(text)) {
    throw new AccountError('INVALID_VALUE', `personal message must be a string of at most ${MAX_PERSONAL_MESSAGE_LENGTH} characters without control characters`);
  }
  return text;
}

export function checkPrivacy(mode: unknown): PrivacyMode {
  if (mode !== 'AL' && mode !== 'BL') throw new AccountError('INVALID_VALUE', 'privacy mode must be AL or BL');
  return mode;
}

export function checkGtc(mode: unknown): GtcMode {
  if (mode !== 'A' && mode !== 'N') throw new AccountError('INVALID_VALUE', 'GTC mode must be A or N');
  return mode;
}

export function checkList(list: unknown): ListName {
  if (typeof list !== 'string' || !(LIST_NAMES as readonly string[]).includes(list)) {
    throw new AccountError('INVALID_LIST', `list must be one of ${LIST_NAMES.join(', ')}`);
  }
  return list as ListName;
}
