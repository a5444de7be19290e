// List and group edits: ADD/REM (MSNP2-9), ADC/REM (MSNP10+), ADG/RMG/REG (MSNP7+), BLP, GTC.
// The store does the bookkeeping (and puts us on the contact's RL); here we word the replies and
// tell the other party: RL notifications, and presence when AL/BL changes what they may see.
import type { CommandItem } from '../../../shared/msnp/types.ts';
import { AccountError, isValidHandle } from '../accounts.ts';
import type { ListName } from '../account-types.ts';
import { decodeField, encodeField } from '../text.ts';
import type { NsSession } from './session.ts';
import { params } from './args.ts';

const EDITABLE: readonly string[] = ['FL', 'AL', 'BL'];

/** Runs a store call; an AccountError becomes its MSNP error reply. */
function attempt<T>(s: NsSession, trid: number | null, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AccountError) {
      s.error(err.msnpError !== 0 ? err.msnpError : 500, trid);
      return undefined;
    }
    throw err;
  }
}

function listVersion(s: NsSession): number {
  return s.hub.account(s.handle)?.listVersion ?? 0;
}

/** Tells `peer` what changed for them after our list edit. */
export function afterListChange(s: NsSession, list: ListName, peer: string, added: boolean, wholeList: boolean): void {
  const other = s.hub.session(peer);
  if (list === 'FL') {
    if (!wholeList) return;
    other?.notifyReverseList(s.handle, added);
    // A new FL entry that is online shows up at once.
    if (added && s.presence !== null) {
      const seen = s.hub.visiblePresence(peer, s.handle);
      if (seen !== null) s.notifyPresence(peer);
    }
    return;
  }
  // AL/BL decide whether `peer` may see us: resend our presence to them if they watch us.
  if (other !== null && other.presence !== null && s.presence !== null && s.presence.status !== 'HDN') {
    const watches = s.hub.watchersOf(s.handle).includes(other);
    if (watches) other.notifyPresence(s.handle);
  }
}

function checkTarget(s: NsSession, trid: number | null, handle: string | undefined, missingCode: number): string | null {
  if (handle === undefined || !isValidHandle(handle)) {
    s.error(201, trid);
    return null;
  }
  if (!s.hub.exists(handle)) {
    s.error(missingCode, trid);
    return null;
  }
  return handle.toLowerCase();
}

/** MSNP2-9 `ADD t LIST handle friendly [group]` -> `ADD t LIST ver handle friendly [group]`. */
export function handleAdd(s: NsSession, cmd: CommandItem): void {
  const [list, handle, rawName, group] = params(cmd);
  if (list === undefined || !EDITABLE.includes(list) || (group !== undefined && (list !== 'FL' || s.version < 7 || !/^\d{1,4}$/.test(group)))) {
    s.error(201, cmd.trid);
    return;
  }
  const target = checkTarget(s, cmd.trid, handle, 205);
  if (target === null) return;
  const friendlyName = list === 'FL' && rawName !== undefined ? decodeField(rawName) : undefined;
  const wasOnList = s.hub.account(s.handle)?.contacts.some((c) => c.handle === target && c.lists.includes('FL')) ?? false;
  const ok = attempt(s, cmd.trid, () => s.hub.accounts.addContact(s.handle, list as ListName, target, {
    friendlyName,
    group: group === undefined ? undefined : Number(group),
  }));
  if (ok === undefined) return;
  const args: Array<string | number> = [list, listVersion(s), target, rawName ?? encodeField(target)];
  if (group !== undefined) args.push(group);
  s.send('ADD', cmd.trid, args);
  afterListChange(s, list as ListName, target, true, !wasOnList);
}

/** MSNP10+ `ADC t FL N=handle F=name`, `ADC t FL C=id group`, `ADC t AL|BL N=handle`. */
export function handleAdc(s: NsSession, cmd: CommandItem): void {
  const [list, first, second] = params(cmd);
  if (list === undefined || !EDITABLE.includes(list) || first === undefined) {
    s.error(201, cmd.trid);
    return;
  }
  const account = s.hub.account(s.handle);
  if (first.startsWith('C=')) {
    // Put an existing FL contact into a group.
    const entry = account?.contacts.find((c) => c.contactId === first.slice(2));
    if (list !== 'FL' || second === undefined) {
      s.error(201, cmd.trid);
      return;
    }
    if (entry === undefined) {
      s.error(216, cmd.trid);
      return;
    }
    if (attempt(s, cmd.trid, () => s.hub.accounts.addContact(s.handle, 'FL', entry.handle, { group: second })) === undefined) return;
    s.send('ADC', cmd.trid, ['FL', first, second]);
    return;
  }
  if (!first.startsWith('N=')) {
    s.error(201, cmd.trid);
    return;
  }
  const target = checkTarget(s, cmd.trid, first.slice(2), 208);
  if (target === null) return;
  const rawName = second?.startsWith('F=') ? second.slice(2) : undefined;
  const wasOnList = account?.contacts.some((c) => c.handle === target && c.lists.includes('FL')) ?? false;
  const entry = attempt(s, cmd.trid, () => s.hub.accounts.addContact(s.handle, list as ListName, target, {
    friendlyName: list === 'FL' && rawName !== undefined ? decodeField(rawName) : undefined,
  }));
  if (entry === undefined) return;
  if (list === 'FL') {
    const args = [`N=${target}`];
    if (rawName !== undefined) args.push(`F=${rawName}`);
    args.push(`C=${entry.contactId}`);
    s.send('ADC', cmd.trid, ['FL', ...args]);
  } else {
    s.send('ADC', cmd.trid, [list, `N=${target}`]);
  }
  afterListChange(s, list as ListName, target, true, !wasOnList);
}

/** `REM t LIST handle [group]` (MSNP2-9, with list version) or `REM t FL contactid [groupguid]` (10+). */
export function handleRem(s: NsSession, cmd: CommandItem): void {
  const [list, who, group] = params(cmd);
  if (list === undefined || !EDITABLE.includes(list) || who === undefined || (group !== undefined && list !== 'FL')) {
    s.error(201, cmd.trid);
    return;
  }
  const account = s.hub.account(s.handle);
  const entry = account?.contacts.find((c) => c.handle === who.toLowerCase() || (s.version >= 10 && c.contactId === who));
  if (entry === undefined || !entry.lists.includes(list as ListName)) {
    s.error(216, cmd.trid);
    return;
  }
  const ok = attempt(s, cmd.trid, () => {
    s.hub.accounts.removeContact(s.handle, list as ListName, entry.handle, group);
    return true;
  });
  if (ok === undefined) return;
  const args: Array<string | number> = s.version >= 10 ? [list, who] : [list, listVersion(s), who];
  if (group !== undefined) args.push(group);
  s.send('REM', cmd.trid, args);
  afterListChange(s, list as ListName, entry.handle, false, group === undefined);
}

/** `ADG t name [0]` -> MSNP7-9 `ADG t ver name id 0`; MSNP10+ `ADG t name guid`. */
export function handleAdg(s: NsSession, cmd: CommandItem): void {
  const [rawName] = params(cmd);
  if (rawName === undefined) {
    s.error(201, cmd.trid);
    return;
  }
  const group = attempt(s, cmd.trid, () => s.hub.accounts.addGroup(s.handle, decodeField(rawName)));
  if (group === undefined) return;
  if (s.version >= 10) s.send('ADG', cmd.trid, [rawName, group.guid]);
  else s.send('ADG', cmd.trid, [listVersion(s), rawName, group.id, 0]);
}

/** `RMG t id` -> MSNP7-9 `RMG t ver id`; MSNP10+ `RMG t guid`. */
export function handleRmg(s: NsSession, cmd: CommandItem): void {
  const [ref] = params(cmd);
  if (ref === undefined) {
    s.error(201, cmd.trid);
    return;
  }
  if (attempt(s, cmd.trid, () => { s.hub.accounts.removeGroup(s.handle, ref); return true; }) === undefined) return;
  if (s.version >= 10) s.send('RMG', cmd.trid, [ref]);
  else s.send('RMG', cmd.trid, [listVersion(s), ref]);
}

/** `REG t id name [0]` -> MSNP7-9 `REG t ver id name 0`; MSNP10+ `REG t guid name`. */
export function handleReg(s: NsSession, cmd: CommandItem): void {
  const [ref, rawName] = params(cmd);
  if (ref === undefined || rawName === undefined) {
    s.error(201, cmd.trid);
    return;
  }
  if (attempt(s, cmd.trid, () => s.hub.accounts.renameGroup(s.handle, ref, decodeField(rawName))) === undefined) return;
  if (s.version >= 10) s.send('REG', cmd.trid, [ref, rawName]);
  else s.send('REG', cmd.trid, [listVersion(s), ref, rawName, 0]);
}

/** `BLP t AL|BL`: who may see us when on neither AL nor BL. Watchers are re-told. */
export function handleBlp(s: NsSession, cmd: CommandItem): void {
  const [mode] = params(cmd);
  if (mode !== 'AL' && mode !== 'BL') {
    s.error(201, cmd.trid);
    return;
  }
  if (attempt(s, cmd.trid, () => s.hub.accounts.update(s.handle, { privacy: mode })) === undefined) return;
  s.send('BLP', cmd.trid, s.version >= 10 ? [mode] : [listVersion(s), mode]);
  if (s.presence !== null && s.presence.status !== 'HDN') s.hub.broadcastPresence(s.handle);
}

/** `GTC t A|N` (MSNP2-12): whether to ask before someone adds us. */
export function handleGtc(s: NsSession, cmd: CommandItem): void {
  const [mode] = params(cmd);
  if (mode !== 'A' && mode !== 'N') {
    s.error(201, cmd.trid);
    return;
  }
  if (attempt(s, cmd.trid, () => s.hub.accounts.update(s.handle, { gtc: mode })) === undefined) return;
  s.send('GTC', cmd.trid, s.version >= 10 ? [mode] : [listVersion(s), mode]);
}
