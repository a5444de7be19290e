// SYN: the contact lists and groups in each dialect's format.
//   MSNP2-5   SYN t ver; LST t LIST ver count idx handle friendly; GTC t ver; BLP t ver (Escargot order)
//   MSNP6-7   SYN t ver; GTC; BLP; [LSG t ver idx count id name 0 (MSNP7)]; LST t LIST ver idx count handle friendly [groups]
//   MSNP8-9   SYN t ver ncontacts ngroups; GTC A; BLP AL; LSG id name 0; LST handle friendly lists [groups] (no TrIDs)
//   MSNP10-12 SYN t ts ts ncontacts ngroups; GTC; BLP; PRP MFN; LSG name guid; LST N= F= C= lists [1 (12)] [groups]
import type { CommandItem } from '../../../shared/msnp/types.ts';
import type { Account, ContactEntry, ListName } from '../account-types.ts';
import { encodeField } from '../text.ts';
import type { NsSession } from './session.ts';
import { params } from './args.ts';

const LIST_BITS: Record<ListName, number> = { FL: 1, AL: 2, BL: 4, RL: 8, PL: 16 };
const CLASSIC_LISTS: ListName[] = ['FL', 'AL', 'BL', 'RL'];

export function listBits(entry: ContactEntry): number {
  return entry.lists.reduce((bits, l) => bits | LIST_BITS[l], 0);
}

/** Timestamp used by MSNP10-12 SYN, derived from the list version so it changes with the lists. */
export function syncStamp(account: Account): string {
  const ms = Date.UTC(2005, 0, 1) + account.listVersion * 1000;
  return new Date(ms).toISOString().replace('Z', '-00:00');
}

export function handleSyn(s: NsSession, cmd: CommandItem): void {
  const account = s.hub.account(s.handle);
  if (account === null) {
    s.error(500, cmd.trid);
    return;
  }
  const t = cmd.trid;
  const v = s.version;
  const p = params(cmd);
  // Contacts that are accounts show their current name, as the real lists did.
  const name = (c: ContactEntry): string => encodeField(s.hub.account(c.handle)?.friendlyName ?? c.friendlyName);
  const ver = account.listVersion;
  if (v < 10) {
    const clientVer = Number(p[0]);
    if (p[0] === undefined || !/^\d{1,10}$/.test(p[0])) {
      s.error(201, t);
      return;
    }
    // An up-to-date client gets the version alone.
    if (clientVer === ver && ver > 0) {
      s.send('SYN', t, [ver]);
      return;
    }
  }
  if (v <= 5) {
    s.send('SYN', t, [ver]);
    for (const list of CLASSIC_LISTS) {
      const on = account.contacts.filter((c) => c.lists.includes(list));
      if (on.length === 0) s.send('LST', t, [list, ver, 0, 0]);
      on.forEach((c, i) => s.send('LST', t, [list, ver, on.length, i + 1, c.handle, name(c)]));
    }
    s.send('GTC', t, [ver, account.gtc]);
    s.send('BLP', t, [ver, account.privacy]);
    return;
  }
  if (v <= 7) {
    s.send('SYN', t, [ver]);
    s.send('GTC', t, [ver, account.gtc]);
    s.send('BLP', t, [ver, account.privacy]);
    if (v === 7) {
      account.groups.forEach((g, i) => s.send('LSG', t, [ver, i + 1, account.groups.length, g.id, encodeField(g.name), 0]));
    }
    for (const list of CLASSIC_LISTS) {
      const on = account.contacts.filter((c) => c.lists.includes(list));
      if (on.length === 0) s.send('LST', t, [list, ver, 0, 0]);
      on.forEach((c, i) => {
        const args: Array<string | number> = [list, ver, i + 1, on.length, c.handle, name(c)];
        if (v === 7 && list === 'FL') args.push(groupIds(c));
        s.send('LST', t, args);
      });
    }
    return;
  }
  if (v <= 9) {
    s.send('SYN', t, [ver, account.contacts.length, account.groups.length]);
    s.send('GTC', null, [account.gtc]);
    s.send('BLP', null, [account.privacy]);
    for (const g of account.groups) s.send('LSG', null, [g.id, encodeField(g.name), 0]);
    for (const c of account.contacts) {
      const args: Array<string | number> = [c.handle, name(c), listBits(c)];
      if (c.lists.includes('FL')) args.push(groupIds(c));
      s.send('LST', null, args);
    }
    return;
  }
  // MSNP10-12: group 0 ("Other Contacts") does not exist as a group; ungrouped contacts have none.
  const groups = account.groups.filter((g) => g.id !== 0);
  const stamp = syncStamp(account);
  s.send('SYN', t, [stamp, stamp, account.contacts.length, groups.length]);
  s.send('GTC', null, [account.gtc]);
  s.send('BLP', null, [account.privacy]);
  s.send('PRP', null, ['MFN', encodeField(account.friendlyName)]);
  for (const g of groups) s.send('LSG', null, [encodeField(g.name), g.guid]);
  for (const c of account.contacts) {
    const args: Array<string | number> = [`N=${c.handle}`, `F=${name(c)}`, `C=${c.contactId}`, listBits(c)];
    if (v >= 12) args.push(1);
    const guids = c.lists.includes('FL')
      ? c.groups.map((id) => groups.find((g) => g.id === id)?.guid).filter((x): x is string => x !== undefined)
      : [];
    if (guids.length > 0) args.push(guids.join(','));
    s.send('LST', null, args);
  }
}

function groupIds(c: ContactEntry): string {
  return c.groups.length > 0 ? c.groups.join(',') : '0';
}
