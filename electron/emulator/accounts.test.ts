import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { md5Hex } from '../../shared/msnp/challenge.ts';
import { AccountError, AccountStore, ECHO_HANDLE } from './accounts.ts';
import type { AccountChange } from './accounts.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'h6-accounts-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AccountError) return error.code;
    throw error;
  }
  throw new Error('expected an AccountError');
}

describe('AccountStore defaults and persistence', () => {
  it('seeds alice, bob and the echo bot, each on the others\' FL/AL/RL', () => {
    const store = new AccountStore({ dataDir: dir });
    expect(store.list().map((a) => a.handle).sort()).toEqual(['alice@example.com', 'bob@example.com', ECHO_HANDLE]);
    const alice = store.get('alice@example.com')!;
    expect(alice.friendlyName).toBe('Alice');
    expect(alice.contacts.map((c) => [c.handle, c.lists.join(',')])).toEqual([
      ['bob@example.com', 'FL,AL,RL'],
      [ECHO_HANDLE, 'FL,AL,RL'],
    ]);
    expect(store.get(ECHO_HANDLE)!.bot).toBe(true);
    expect(store.verifyPassword('alice@example.com', 'alice')).toBe(true);
    expect(store.verifyPassword('bob@example.com', 'bob')).toBe(true);
  });

  it('reloads the same accounts, GUIDs and changes from disk', () => {
    const first = new AccountStore({ dataDir: dir });
    const guid = first.get('alice@example.com')!.guid;
    first.create({ handle: 'Carol@Example.com', password: 'pw', friendlyName: 'Carol' });
    first.addContact('alice@example.com', 'FL', 'carol@example.com');
    const group = first.addGroup('alice@example.com', 'Friends');
    first.update('alice@example.com', { personalMessage: 'hi', privacy: 'BL' });

    const second = new AccountStore({ dataDir: dir });
    const alice = second.get('ALICE@example.com')!;
    expect(alice.guid).toBe(guid);
    expect(alice.personalMessage).toBe('hi');
    expect(alice.privacy).toBe('BL');
    expect(alice.groups.map((g) => [g.id, g.name, g.guid])).toContainEqual([group.id, 'Friends', group.guid]);
    expect(second.get('carol@example.com')!.contacts.find((c) => c.handle === 'alice@example.com')!.lists).toEqual(['RL']);
    // Atomic writes leave no temp files behind.
    expect(readdirSync(dir)).toEqual(['accounts.json']);
  });

  it('reports a corrupt or wrongly shaped file with its path instead of crashing', () => {
    const file = join(dir, 'accounts.json');
    writeFileSync(file, '{ "format": 1, "accounts": [ ');
    expect(() => new AccountStore({ dataDir: dir })).toThrowError(/accounts\.json is damaged: not JSON/);
    expect(codeOf(() => new AccountStore({ dataDir: dir }))).toBe('CORRUPT_FILE');
    writeFileSync(file, JSON.stringify({ format: 1, accounts: [{ handle: 'x@y.z' }] }));
    expect(() => new AccountStore({ dataDir: dir })).toThrowError(/accounts\[0\]: "password" is not a string/);
    writeFileSync(file, JSON.stringify({ format: 99, accounts: [] }));
    expect(() => new AccountStore({ dataDir: dir })).toThrowError(/unknown format 99/);
    // The damaged file is left alone for the user to inspect.
    expect(readFileSync(file, 'utf8')).toContain('"format":99');
  });

  it('keeps everything in memory with dataDir null', () => {
    const store = new AccountStore({ dataDir: null, seedDemo: false });
    expect(store.size).toBe(0);
    store.create({ handle: 'a@b.c', password: 'p' });
    expect(store.has('A@B.C')).toBe(true);
  });

  it('hands out copies, so callers cannot change the store', () => {
    const store = new AccountStore({ dataDir: null });
    const alice = store.get('alice@example.com')!;
    alice.friendlyName = 'Mallory';
    alice.contacts.length = 0;
    expect(store.get('alice@example.com')!.friendlyName).toBe('Alice');
    expect(store.get('alice@example.com')!.contacts).toHaveLength(2);
  });
});

describe('validation', () => {
  const store = () => new AccountStore({ dataDir: null, seedDemo: false });

  it('accepts e-mail-like handles up to 129 characters and refuses others clearly', () => {
    const s = store();
    const longest = `${'a'.repeat(129 - '@example.com'.length)}@example.com`;
    expect(s.create({ handle: longest, password: 'p' }).handle).toBe(longest);
    expect(codeOf(() => s.create({ handle: `a${longest}`, password: 'p' }))).toBe('INVALID_HANDLE');
    for (const bad of ['', 'no-at-sign', 'a b@example.com', 'a@', '@example.com', 'a@b@c', 'a@exa mple.com', 'a\r\n@x.com', 'a..b@x.com']) {
      expect(codeOf(() => s.create({ handle: bad, password: 'p' })), bad).toBe('INVALID_HANDLE');
    }
    expect(codeOf(() => s.create({ handle: 'ok@example.com', password: '' }))).toBe('INVALID_PASSWORD');
    s.create({ handle: 'ok@example.com', password: 'p' });
    expect(codeOf(() => s.create({ handle: 'OK@example.com', password: 'p' }))).toBe('ACCOUNT_EXISTS');
  });

  it('limits friendly names to 387 URL-encoded bytes, counting multi-byte characters as bytes', () => {
    const s = store();
    s.create({ handle: 'n@example.com', password: 'p' });
    // '€' is 3 UTF-8 bytes, 9 characters URL-encoded: 43 of them are 387.
    expect(s.update('n@example.com', { friendlyName: '€'.repeat(43) }).friendlyName).toBe('€'.repeat(43));
    const error = (() => {
      try {
        s.update('n@example.com', { friendlyName: '€'.repeat(43) + 'x' });
      } catch (e) {
        return e as AccountError;
      }
      return null;
    })();
    expect(error?.code).toBe('INVALID_FRIENDLY_NAME');
    expect(error?.msnpError).toBe(209);
    expect(error?.message).toMatch(/388 bytes URL-encoded, the limit is 387/);
    expect(codeOf(() => s.update('n@example.com', { friendlyName: 'a\nb' }))).toBe('INVALID_FRIENDLY_NAME');
    expect(codeOf(() => s.update('n@example.com', { friendlyName: '\ud800' }))).toBe('INVALID_FRIENDLY_NAME');
    expect(codeOf(() => s.update('n@example.com', { privacy: 'XX' as never }))).toBe('INVALID_VALUE');
    expect(codeOf(() => s.update('nobody@example.com', {}))).toBe('NO_SUCH_ACCOUNT');
  });
});

describe('logins', () => {
  it('md5Login checks md5hex(salt + password), case-insensitively for the hash', () => {
    const store = new AccountStore({ dataDir: null });
    const salt = '1013928519.693957190';
    expect(store.md5Login('alice@example.com', salt, md5Hex(salt + 'alice'))?.handle).toBe('alice@example.com');
    expect(store.md5Login('Alice@Example.com', salt, md5Hex(salt + 'alice').toUpperCase())).not.toBeNull();
    expect(store.md5Login('alice@example.com', salt, md5Hex(salt + 'wrong'))).toBeNull();
    expect(store.md5Login('alice@example.com', 'other', md5Hex(salt + 'alice'))).toBeNull();
    expect(store.md5Login('nobody@example.com', salt, md5Hex(salt + 'x'))).toBeNull();
    expect(store.md5Login(ECHO_HANDLE, salt, 'x')).toBeNull();
  });

  it('refuses wrong passwords and the bot account', () => {
    const store = new AccountStore({ dataDir: null });
    expect(store.verifyPassword('alice@example.com', 'bob')).toBe(false);
    expect(store.verifyPassword('alice@example.com', '')).toBe(false);
    expect(store.verifyPassword('nobody@example.com', 'x')).toBe(false);
    expect(store.authenticate(ECHO_HANDLE, store.get(ECHO_HANDLE)!.password)).toBeNull();
    expect(store.authenticate(42 as never, null as never)).toBeNull();
  });

  it('open mode accepts any password and creates unknown accounts on first login', () => {
    const store = new AccountStore({ dataDir: dir, open: true });
    const changes: AccountChange[] = [];
    store.onChange((c) => changes.push(c));
    expect(store.verifyPassword('alice@example.com', 'anything')).toBe(true);
    expect(store.authenticate('New@Example.com', 'pw')?.handle).toBe('new@example.com');
    expect(changes.map((c) => c.kind)).toEqual(['created']);
    expect(store.md5Login('md5user@example.com', 'salt', 'whatever')?.handle).toBe('md5user@example.com');
    expect(store.authenticate('not a handle', 'pw')).toBeNull();
    expect(new AccountStore({ dataDir: dir }).has('new@example.com')).toBe(true);
  });
});

describe('lists and groups', () => {
  it('adding to FL puts the owner on the contact\'s RL; removing takes it off', () => {
    const store = new AccountStore({ dataDir: null });
    store.create({ handle: 'carol@example.com', password: 'c' });
    const before = store.get('carol@example.com')!.listVersion;
    const changes: string[] = [];
    store.onChange((c) => changes.push(`${c.kind}:${c.handle}`));
    const entry = store.addContact('alice@example.com', 'FL', 'carol@example.com', { group: 0 });
    expect(entry).toMatchObject({ handle: 'carol@example.com', lists: ['FL'], groups: [0] });
    expect(store.contacts('carol@example.com', 'RL').map((c) => c.handle)).toEqual(['alice@example.com']);
    expect(store.get('carol@example.com')!.listVersion).toBe(before + 1);
    expect(changes).toEqual(['updated:alice@example.com', 'updated:carol@example.com']);
    store.removeContact('alice@example.com', 'FL', 'carol@example.com');
    expect(store.contacts('carol@example.com')).toEqual([]);
    expect(store.contacts('alice@example.com').some((c) => c.handle === 'carol@example.com')).toBe(false);
  });

  it('answers the list errors a server maps to MSNP codes', () => {
    const store = new AccountStore({ dataDir: null, maxContacts: 3, maxGroups: 2 });
    expect(codeOf(() => store.addContact('alice@example.com', 'FL', 'bob@example.com'))).toBe('ALREADY_IN_LIST');
    expect(codeOf(() => store.addContact('alice@example.com', 'BL', 'bob@example.com'))).toBe('IN_OPPOSITE_LIST');
    expect(codeOf(() => store.addContact('alice@example.com', 'XL' as never, 'bob@example.com'))).toBe('INVALID_LIST');
    expect(codeOf(() => store.removeContact('alice@example.com', 'BL', 'bob@example.com'))).toBe('NOT_IN_LIST');
    expect(codeOf(() => store.addContact('alice@example.com', 'FL', 'x y@example.com'))).toBe('INVALID_HANDLE');
    store.addContact('alice@example.com', 'AL', 'stranger@example.com');
    expect(codeOf(() => store.addContact('alice@example.com', 'AL', 'another@example.com'))).toBe('LIST_FULL');
    const g = store.addGroup('alice@example.com', 'Work');
    expect(codeOf(() => store.addGroup('alice@example.com', 'More'))).toBe('TOO_MANY_GROUPS');
    expect(codeOf(() => store.renameGroup('alice@example.com', 0, 'Work'))).toBe('GROUP_EXISTS');
    expect(codeOf(() => store.removeGroup('alice@example.com', 0))).toBe('GROUP_ZERO');
    expect(codeOf(() => store.removeContact('alice@example.com', 'FL', 'bob@example.com', 99))).toBe('GROUP_NOT_FOUND');
    expect(codeOf(() => store.removeContact('alice@example.com', 'FL', 'bob@example.com', g.guid))).toBe('NOT_IN_GROUP');
    expect(codeOf(() => store.addGroup('alice@example.com', 'x'.repeat(62)))).toBe('GROUP_NAME_INVALID');
  });

  it('keeps a contact in several groups and moves it to group 0 when its group goes', () => {
    const store = new AccountStore({ dataDir: null });
    const work = store.addGroup('alice@example.com', 'Work');
    expect(store.addContact('alice@example.com', 'FL', 'bob@example.com', { group: work.guid }).groups).toEqual([0, work.id]);
    store.removeContact('alice@example.com', 'FL', 'bob@example.com', 0);
    expect(store.contacts('alice@example.com', 'FL').find((c) => c.handle === 'bob@example.com')!.groups).toEqual([work.id]);
    expect(store.renameGroup('alice@example.com', String(work.id), 'Job').name).toBe('Job');
    store.removeGroup('alice@example.com', work.id);
    expect(store.contacts('alice@example.com', 'FL').find((c) => c.handle === 'bob@example.com')!.groups).toEqual([0]);
  });

  it('removing an account removes it from everyone\'s lists', () => {
    const store = new AccountStore({ dataDir: null });
    store.remove('bob@example.com');
    expect(store.has('bob@example.com')).toBe(false);
    expect(store.contacts('alice@example.com').map((c) => c.handle)).toEqual([ECHO_HANDLE]);
    expect(codeOf(() => store.remove('bob@example.com'))).toBe('NO_SUCH_ACCOUNT');
  });

  it('a throwing listener does not undo or block a change', () => {
    const store = new AccountStore({ dataDir: null });
    store.onChange(() => {
      throw new Error('listener bug');
    });
    const seen: string[] = [];
    const off = store.onChange((c) => seen.push(c.handle));
    store.update('alice@example.com', { gtc: 'N' });
    off();
    store.update('alice@example.com', { gtc: 'A' });
    expect(seen).toEqual(['alice@example.com']);
    expect(store.get('alice@example.com')!.gtc).toBe('A');
  });

  it('refuses to grow past maxAccounts', () => {
    const store = new AccountStore({ dataDir: null, open: true, seedDemo: false, maxAccounts: 2 });
    expect(store.verifyPassword('one@example.com', 'x')).toBe(true);
    expect(store.verifyPassword('two@example.com', 'x')).toBe(true);
    expect(store.verifyPassword('three@example.com', 'x')).toBe(false);
    expect(codeOf(() => store.create({ handle: 'four@example.com', password: 'x' }))).toBe('STORE_FULL');
  });
});
