// Data shapes of the emulator's account store. Kept apart from the store so the notification
// server and switchboard can import the types without the persistence code.

export type ListName = 'FL' | 'AL' | 'BL' | 'RL' | 'PL';
export const LIST_NAMES: readonly ListName[] = ['FL', 'AL', 'BL', 'RL', 'PL'];

/** BLP: who may see us / message us when on neither AL nor BL. */
export type PrivacyMode = 'AL' | 'BL';
/** GTC: A = ask before someone adds us to their RL, N = don't ask. */
export type GtcMode = 'A' | 'N';

export interface Group {
  /** Numeric id used by MSNP7-9 (`LSG`, `LST ... groups`). Group 0 is "Other Contacts". */
  id: number;
  /** GUID used by MSNP10+ (`LSG name guid`, `ADG`, `ADC ... groupguid`). */
  guid: string;
  name: string;
}

export interface ContactEntry {
  /** Lower-case handle of the contact. */
  handle: string;
  /** The name the owner stores for the contact (LST F= / friendly field). */
  friendlyName: string;
  /** MSNP10+ contact id (`C=`), stable for this entry. */
  contactId: string;
  lists: ListName[];
  /** Numeric group ids; only meaningful while the contact is on FL. */
  groups: number[];
}

export interface Account {
  /** Lower-case e-mail handle; the key. */
  handle: string;
  password: string;
  friendlyName: string;
  /** Stable GUID (member id / CID for MSNP10+ and the address book). */
  guid: string;
  /** Stable numeric member id (PUID-like), decimal string. */
  memberId: string;
  privacy: PrivacyMode;
  gtc: GtcMode;
  personalMessage: string;
  /** Bumped on every list, group, privacy, GTC or friendly-name change (MSNP2-9 SYN). */
  listVersion: number;
  groups: Group[];
  contacts: ContactEntry[];
  /** True for accounts driven by the emulator itself (the echo bot); nobody logs in as them. */
  bot: boolean;
  createdAt: string;
}

export interface NewAccount {
  handle: string;
  password: string;
  friendlyName?: string;
  bot?: boolean;
}

/** Fields `update()` may change directly; lists and groups have their own methods. */
export interface AccountPatch {
  password?: string;
  friendlyName?: string;
  privacy?: PrivacyMode;
  gtc?: GtcMode;
  personalMessage?: string;
}

export type AccountChange =
  | { kind: 'created'; handle: string; account: Account }
  | { kind: 'updated'; handle: string; account: Account }
  | { kind: 'removed'; handle: string };

/** Error codes, each with the MSNP error number a server answers with (0 = not a protocol error). */
export const ACCOUNT_ERROR_MSNP = {
  INVALID_HANDLE: 201,
  INVALID_FRIENDLY_NAME: 209,
  INVALID_PASSWORD: 0,
  INVALID_VALUE: 201,
  INVALID_LIST: 201,
  LIST_FULL: 210,
  ALREADY_IN_LIST: 215,
  NOT_IN_LIST: 216,
  IN_OPPOSITE_LIST: 219,
  TOO_MANY_GROUPS: 223,
  GROUP_NOT_FOUND: 224,
  NOT_IN_GROUP: 225,
  GROUP_NOT_EMPTY: 227,
  GROUP_EXISTS: 228,
  GROUP_NAME_INVALID: 229,
  GROUP_ZERO: 230,
  NO_SUCH_ACCOUNT: 205,
  ACCOUNT_EXISTS: 0,
  STORE_FULL: 0,
  CORRUPT_FILE: 0,
  IO: 0,
} as const;

export type AccountErrorCode = keyof typeof ACCOUNT_ERROR_MSNP;

export class AccountError extends Error {
  readonly code: AccountErrorCode;
  /** The MSNP error number for this failure, 0 when it is not a protocol error. */
  readonly msnpError: number;
  constructor(code: AccountErrorCode, message: string) {
    super(message);
    this.name = 'AccountError';
    this.code = code;
    this.msnpError = ACCOUNT_ERROR_MSNP[code];
  }
}
