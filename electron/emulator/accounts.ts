// The emulator's accounts: credentials, profile fields and each account's contact lists and groups.
// Everything handed out is a copy, so callers cannot change the store behind its back; every change
// goes through a method, bumps the list version where MSNP expects it, is saved, then announced.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { md5Hex } from '../../shared/msnp/challenge.ts';
import { AccountError } from './account-types.ts';
import type { Account, AccountChange, AccountPatch, ContactEntry, Group, ListName, NewAccount } from './account-types.ts';
import { readAccountsFile, writeAccountsFile } from './account-file.ts';
import {
  checkFriendlyName, checkGroupName, checkGtc, checkList, checkPassword, checkPersonalMessage, checkPrivacy,
  normalizeHandle,
} from './account-validate.ts';

export * from './account-types.ts';
export { isValidHandle, normalizeHandle } from './account-validate.ts';

export interface AccountStoreOptions {
  /** Directory holding accounts.json; null keeps the store in memory only (tests). */
  dataDir: string | null;
  /** Open mode: any handle and password logs in; unknown accounts are created on first login. */
  open?: boolean;
  /** Create alice, bob and the echo bot when the store is new (default true). */
  seedDemo?: boolean;
  maxAccounts?: number;
  /** Entries per account across all lists (MSNP 210 when full). */
  maxContacts?: number;
  maxGroups?: number;
}

export type AccountListener = (change: AccountChange) => void;

export const DEMO_PASSWORDS: Readonly<Record<string, string>> = { 'alice@example.com': 'alice', 'bob@example.com': 'bob' };
export const ECHO_HANDLE = 'echo@example.com';
export const OTHER_CONTACTS_GROUP = 'Other Contacts';

export class AccountStore {
  open: boolean;
  readonly dataDir: string | null;
  readonly #accounts = new Map<string, Account>();
  readonly #listeners = new Set<AccountListener>();
  readonly #maxAccounts: number;
  readonly #maxContacts: number;
  readonly #maxGroups: number;

  /** Loads the store; throws AccountError CORRUPT_FILE (with the path) for a damaged file, IO for unreadable ones. */
  constructor(options: AccountStoreOptions) {
    this.dataDir = options.dataDir;
    this.open = options.open ?? false;
    this.#maxAccounts = options.maxAccounts ?? 10_000;
    this.#maxContacts = options.maxContacts ?? 1000;
    this.#maxGroups = options.maxGroups ?? 30;
    const loaded = this.dataDir === null ? null : readAccountsFile(this.dataDir);
    if (loaded !== null) {
      for (const account of loaded) this.#accounts.set(account.handle, account);
    } else {
      if (options.seedDemo ?? true) this.#seed();
      this.#save();
    }
  }

  get size(): number {
    return this.#accounts.size;
  }

  has(handle: string): boolean {
    return this.#find(handle) !== undefined;
  }

  get(handle: string): Account | null {
    const account = this.#find(handle);
    return account === undefined ? null : structuredClone(account);
  }

  /**
   * The stored account itself, not a copy, for hot read paths (presence fan-out, SYN): callers
   * must not change it. `get` returns a copy that is safe to keep.
   */
  peek(handle: string): Readonly<Account> | null {
    return this.#find(handle) ?? null;
  }

  list(): Account[] {
    return [...this.#accounts.values()].map((a) => structuredClone(a));
  }

  create(input: NewAccount): Account {
    const account = this.#createUnsaved(input.handle, checkPassword(input.password), input.friendlyName, input.bot ?? false);
    this.#save();
    this.#emit({ kind: 'created', handle: account.handle, account: structuredClone(account) });
    return structuredClone(account);
  }

  update(handle: string, patch: AccountPatch): Account {
    const account = this.#require(handle);
    const next = { ...account };
    if (patch.password !== undefined) next.password = checkPassword(patch.password);
    if (patch.friendlyName !== undefined) next.friendlyName = checkFriendlyName(patch.friendlyName);
    if (patch.privacy !== undefined) next.privacy = checkPrivacy(patch.privacy);
    if (patch.gtc !== undefined) next.gtc = checkGtc(patch.gtc);
    if (patch.personalMessage !== undefined) next.personalMessage = checkPersonalMessage(patch.personalMessage);
    const listVisible = next.friendlyName !== account.friendlyName || next.privacy !== account.privacy || next.gtc !== account.gtc;
    Object.assign(account, next);
    if (listVisible) account.listVersion += 1;
    return this.#commit([account]);
  }

  remove(handle: string): void {
    const key = normalizeHandle(handle);
    if (!this.#accounts.delete(key)) throw new AccountError('NO_SUCH_ACCOUNT', `no account ${key}`);
    const touched: Account[] = [];
    for (const other of this.#accounts.values()) {
      const before = other.contacts.length;
      other.contacts = other.contacts.filter((c) => c.handle !== key);
      if (other.contacts.length !== before) {
        other.listVersion += 1;
        touched.push(other);
      }
    }
    this.#save();
    this.#emit({ kind: 'removed', handle: key });
    for (const other of touched) this.#emit({ kind: 'updated', handle: other.handle, account: structuredClone(other) });
  }

  /** Plain-password check (Passport login2.srf / RST.srf). In open mode, creates unknown accounts. */
  verifyPassword(handle: string, password: string): boolean {
    return this.authenticate(handle, password) !== null;
  }

  /** Like verifyPassword, returning the account on success. Never throws for bad input. */
  authenticate(handle: string, password: string): Account | null {
    const account = this.#loginTarget(handle, typeof password === 'string' && password.length > 0 ? password : '');
    if (account === null || account.bot) return null;
    return this.open || safeEqual(account.password, password) ? structuredClone(account) : null;
  }

  /** MSNP2-7 `USR MD5 S`: hash = md5hex(salt + password), compared case-insensitively. */
  md5Login(handle: string, salt: string, hash: string): Account | null {
    const account = this.#loginTarget(handle, '');
    if (account === null || account.bot || typeof salt !== 'string' || typeof hash !== 'string') return null;
    if (this.open) return structuredClone(account);
    if (account.password === '') return null;
    return safeEqual(md5Hex(salt + account.password), hash.toLowerCase()) ? structuredClone(account) : null;
  }

  /** Subscribes to changes; returns the unsubscribe function. Listener errors are swallowed. */
  onChange(listener: AccountListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- lists -------------------------------------------------------------------------------

  contacts(owner: string, list?: ListName): ContactEntry[] {
    const account = this.#require(owner);
    return structuredClone(list === undefined ? account.contacts : account.contacts.filter((c) => c.lists.includes(list)));
  }

  /**
   * Puts `contact` on `owner`'s list. FL with a group that the contact is not in yet adds the group
   * (MSNP7-9 `ADD FL handle name group` to a second group). Adding to FL puts the owner on the
   * contact's RL when the contact is a local account; PL is left to the server.
   */
  addContact(owner: string, list: ListName, contact: string, options: { friendlyName?: string; group?: number | string } = {}): ContactEntry {
    const account = this.#require(owner);
    checkList(list);
    const handle = normalizeHandle(contact);
    const friendly = options.friendlyName === undefined ? undefined : checkFriendlyName(options.friendlyName);
    const group = options.group === undefined ? undefined : this.#group(account, options.group);
    let entry = account.contacts.find((c) => c.handle === handle);
    const opposite = list === 'AL' ? 'BL' : list === 'BL' ? 'AL' : null;
    if (entry !== undefined && opposite !== null && entry.lists.includes(opposite)) {
      throw new AccountError('IN_OPPOSITE_LIST', `${handle} is on ${opposite}; remove it there first`);
    }
    if (entry?.lists.includes(list) && (group === undefined || list !== 'FL' || entry.groups.includes(group.id))) {
      throw new AccountError('ALREADY_IN_LIST', `${handle} is already on ${list}${group ? ` in group ${group.id}` : ''}`);
    }
    if (entry === undefined) {
      if (account.contacts.length >= this.#maxContacts) throw new AccountError('LIST_FULL', `${account.handle} has ${this.#maxContacts} contacts`);
      const known = this.#accounts.get(handle);
      entry = { handle, friendlyName: friendly ?? known?.friendlyName ?? handle, contactId: randomUUID(), lists: [], groups: [] };
      account.contacts.push(entry);
    } else if (friendly !== undefined) {
      entry.friendlyName = friendly;
    }
    if (!entry.lists.includes(list)) entry.lists.push(list);
    if (list === 'FL' && group !== undefined && !entry.groups.includes(group.id)) entry.groups.push(group.id);
    account.listVersion += 1;
    const touched = [account];
    const peer = this.#accounts.get(handle);
    if (list === 'FL' && peer !== undefined && peer !== account) touched.push(...this.#addReverse(peer, account));
    this.#commit(touched);
    return structuredClone(entry);
  }

  /** Takes `contact` off `owner`'s list; with a group on FL, only out of that group. */
  removeContact(owner: string, list: ListName, contact: string, group?: number | string): void {
    const account = this.#require(owner);
    checkList(list);
    const handle = normalizeHandle(contact);
    const entry = account.contacts.find((c) => c.handle === handle);
    if (entry === undefined || !entry.lists.includes(list)) throw new AccountError('NOT_IN_LIST', `${handle} is not on ${list}`);
    const touched = [account];
    if (list === 'FL' && group !== undefined) {
      const g = this.#group(account, group);
      if (!entry.groups.includes(g.id)) throw new AccountError('NOT_IN_GROUP', `${handle} is not in group ${g.id}`);
      entry.groups = entry.groups.filter((id) => id !== g.id);
    } else {
      entry.lists = entry.lists.filter((l) => l !== list);
      if (list === 'FL') {
        entry.groups = [];
        const peer = this.#accounts.get(handle);
        if (peer !== undefined && peer !== account) touched.push(...this.#removeReverse(peer, account.handle));
      }
      if (entry.lists.length === 0) account.contacts = account.contacts.filter((c) => c !== entry);
    }
    account.listVersion += 1;
    this.#commit(touched);
  }

  renameContact(owner: string, contact: string, friendlyName: string): ContactEntry {
    const account = this.#require(owner);
    const handle = normalizeHandle(contact);
    const entry = account.contacts.find((c) => c.handle === handle);
    if (entry === undefined) throw new AccountError('NOT_IN_LIST', `${handle} is on none of ${account.handle}'s lists`);
    entry.friendlyName = checkFriendlyName(friendlyName);
    account.listVersion += 1;
    this.#commit([account]);
    return structuredClone(entry);
  }

  // ---- groups ------------------------------------------------------------------------------

  addGroup(owner: string, name: string): Group {
    const account = this.#require(owner);
    checkGroupName(name);
    if (account.groups.length >= this.#maxGroups) throw new AccountError('TOO_MANY_GROUPS', `${account.handle} has ${this.#maxGroups} groups`);
    if (account.groups.some((g) => g.name === name)) throw new AccountError('GROUP_EXISTS', `group ${JSON.stringify(name)} exists`);
    const id = account.groups.reduce((max, g) => Math.max(max, g.id), -1) + 1;
    const group: Group = { id, guid: randomUUID(), name };
    account.groups.push(group);
    account.listVersion += 1;
    this.#commit([account]);
    return { ...group };
  }

  renameGroup(owner: string, group: number | string, name: string): Group {
    const account = this.#require(owner);
    const target = this.#group(account, group);
    checkGroupName(name);
    if (account.groups.some((g) => g.name === name && g !== target)) throw new AccountError('GROUP_EXISTS', `group ${JSON.stringify(name)} exists`);
    target.name = name;
    account.listVersion += 1;
    this.#commit([account]);
    return { ...target };
  }

  /** Removes a group; its contacts stay on FL (moved to group 0 when it exists). Group 0 stays. */
  removeGroup(owner: string, group: number | string): void {
    const account = this.#require(owner);
    const target = this.#group(account, group);
    if (target.id === 0) throw new AccountError('GROUP_ZERO', 'group 0 cannot be removed');
    account.groups = account.groups.filter((g) => g !== target);
    const hasZero = account.groups.some((g) => g.id === 0);
    for (const entry of account.contacts) {
      if (!entry.groups.includes(target.id)) continue;
      entry.groups = entry.groups.filter((id) => id !== target.id);
      if (entry.groups.length === 0 && hasZero && entry.lists.includes('FL')) entry.groups.push(0);
    }
    account.listVersion += 1;
    this.#commit([account]);
  }

  // ---- internals ---------------------------------------------------------------------------

  #find(handle: string): Account | undefined {
    return typeof handle === 'string' ? this.#accounts.get(handle.toLowerCase()) : undefined;
  }

  #require(handle: string): Account {
    const account = this.#find(handle);
    if (account === undefined) throw new AccountError('NO_SUCH_ACCOUNT', `no account ${String(handle)}`);
    return account;
  }

  #group(account: Account, ref: number | string): Group {
    const group = account.groups.find((g) => g.id === ref || g.guid === ref || (typeof ref === 'string' && /^\d+$/.test(ref) && g.id === Number(ref)));
    if (group === undefined) throw new AccountError('GROUP_NOT_FOUND', `${account.handle} has no group ${String(ref)}`);
    return group;
  }

  /** The account a login attempt refers to; in open mode an unknown valid handle is created. */
  #loginTarget(handle: string, password: string): Account | null {
    const existing = this.#find(handle);
    if (existing !== undefined || !this.open) return existing ?? null;
    try {
      const account = this.#createUnsaved(handle, password, undefined, false);
      this.#save();
      this.#emit({ kind: 'created', handle: account.handle, account: structuredClone(account) });
      return account;
    } catch {
      return null;
    }
  }

  #createUnsaved(handle: string, password: string, friendlyName: string | undefined, bot: boolean): Account {
    const key = normalizeHandle(handle);
    if (this.#accounts.has(key)) throw new AccountError('ACCOUNT_EXISTS', `account ${key} exists`);
    if (this.#accounts.size >= this.#maxAccounts) throw new AccountError('STORE_FULL', `the store holds ${this.#maxAccounts} accounts`);
    const account: Account = {
      handle: key,
      password,
      friendlyName: friendlyName === undefined ? key : checkFriendlyName(friendlyName),
      guid: randomUUID(),
      memberId: BigInt('0x' + randomBytes(6).toString('hex')).toString(10),
      privacy: 'AL',
      gtc: 'A',
      personalMessage: '',
      listVersion: 0,
      groups: [{ id: 0, guid: randomUUID(), name: OTHER_CONTACTS_GROUP }],
      contacts: [],
      bot,
      createdAt: new Date().toISOString(),
    };
    this.#accounts.set(key, account);
    return account;
  }

  #addReverse(peer: Account, owner: Account): Account[] {
    let entry = peer.contacts.find((c) => c.handle === owner.handle);
    if (entry?.lists.includes('RL')) return [];
    if (entry === undefined) {
      if (peer.contacts.length >= this.#maxContacts) return [];
      entry = { handle: owner.handle, friendlyName: owner.friendlyName, contactId: randomUUID(), lists: [], groups: [] };
      peer.contacts.push(entry);
    }
    entry.lists.push('RL');
    peer.listVersion += 1;
    return [peer];
  }

  #removeReverse(peer: Account, ownerHandle: string): Account[] {
    const entry = peer.contacts.find((c) => c.handle === ownerHandle);
    if (entry === undefined || !entry.lists.includes('RL')) return [];
    entry.lists = entry.lists.filter((l) => l !== 'RL');
    if (entry.lists.length === 0) peer.contacts = peer.contacts.filter((c) => c !== entry);
    peer.listVersion += 1;
    return [peer];
  }

  #seed(): void {
    const alice = this.#createUnsaved('alice@example.com', 'alice', 'Alice', false);
    const bob = this.#createUnsaved('bob@example.com', 'bob', 'Bob', false);
    const echo = this.#createUnsaved(ECHO_HANDLE, randomBytes(18).toString('base64url'), 'Echo Bot', true);
    const link = (owner: Account, other: Account) => {
      owner.contacts.push({ handle: other.handle, friendlyName: other.friendlyName, contactId: randomUUID(), lists: ['FL', 'AL', 'RL'], groups: [0] });
    };
    link(alice, bob);
    link(alice, echo);
    link(bob, alice);
    link(bob, echo);
    link(echo, alice);
    link(echo, bob);
    for (const account of [alice, bob, echo]) account.listVersion = account.contacts.length * 3;
  }

  #commit(touched: Account[]): Account {
    this.#save();
    for (const account of touched) this.#emit({ kind: 'updated', handle: account.handle, account: structuredClone(account) });
    return structuredClone(touched[0]);
  }

  #save(): void {
    if (this.dataDir !== null) writeAccountsFile(this.dataDir, [...this.#accounts.values()]);
  }

  #emit(change: AccountChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A faulty listener must not undo or block a change that is already saved.
      }
    }
  }
}

function safeEqual(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
