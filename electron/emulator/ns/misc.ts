// The rest of the NS: PNG, XFR, OUT, GCF, URL, MSG (refused), ADL/RML/FQY and UUN (MSNP13+).
import type { CommandItem } from '../../../shared/msnp/types.ts';
import { AccountError, isValidHandle } from '../accounts.ts';
import type { ListName } from '../account-types.ts';
import { splitEndpoint } from '../text.ts';
import type { NsSession } from './session.ts';
import { params, paramsBeforeLength } from './args.ts';
import { afterListChange } from './lists.ts';
import { mlAnswer, parseMl } from './ml.ts';
import { shieldsPayload } from './profile.ts';

export function handlePng(s: NsSession): void {
  // MSNP9+ says when the next ping is due.
  if (s.version >= 9) s.send('QNG', null, [s.hub.options.pingIntervalS]);
  else s.send('QNG', null);
}

export function handleOut(s: NsSession): void {
  s.close();
}

/** A client MSG to the NS: the real server hung up. */
export function handleNsMsg(s: NsSession): void {
  s.close();
}

/** `XFR t SB` -> `XFR t SB host:port CKI cookie` (+ `U messenger.msn.com` from 13, + `1` from 14). */
export function handleXfr(s: NsSession, cmd: CommandItem): void {
  const [target] = params(cmd);
  if (target !== 'SB') {
    s.error(201, cmd.trid);
    return;
  }
  // Escargot refuses before the first CHG and while hidden (below MSNP13).
  if (s.presence === null || (s.presence.status === 'HDN' && s.version < 13)) {
    s.error(913, cmd.trid);
    return;
  }
  const cookie = s.hub.issueCookie({ handle: s.handle, kind: 'xfr', roomId: null, version: s.version, caps: s.presence.caps });
  const args: Array<string | number> = ['SB', s.hub.sbAddress(), 'CKI', cookie.cookie];
  if (s.version >= 13) args.push('U', 'messenger.msn.com');
  if (s.version >= 14) args.push(1);
  s.send('XFR', cmd.trid, args);
}

export function handleGcf(s: NsSession, cmd: CommandItem): void {
  const [file] = params(cmd);
  if (file === undefined || !/^[A-Za-z0-9_.-]{1,64}$/.test(file)) {
    s.error(201, cmd.trid);
    return;
  }
  s.send('GCF', cmd.trid, [file], shieldsPayload());
}

export function handleUrl(s: NsSession, cmd: CommandItem): void {
  s.send('URL', cmd.trid, ['/cgi-bin/HoTMaiL', 'http://www.hotmail.com', 2]);
}

function mlPayload(s: NsSession, cmd: CommandItem) {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(cmd.payload ?? new Uint8Array(0));
  const contacts = parseMl(text);
  if (contacts === null || contacts.some((c) => c.network === 1 && !isValidHandle(c.handle))) {
    s.error(241, cmd.trid);
    return null;
  }
  return contacts.filter((c) => c.network === 1);
}

const BITS: Array<[ListName, number]> = [['FL', 1], ['AL', 2], ['BL', 4]];

/** `ADL t len <ml>`: put contacts on lists (the client's address book is the source), `ADL t OK`. */
export function handleAdl(s: NsSession, cmd: CommandItem): void {
  const contacts = mlPayload(s, cmd);
  if (contacts === null) return;
  const changes: Array<[ListName, string]> = [];
  for (const c of contacts) {
    if (!s.hub.exists(c.handle)) continue;
    for (const [list, bit] of BITS) {
      if ((c.lists & bit) === 0) continue;
      try {
        s.hub.accounts.addContact(s.handle, list, c.handle);
        changes.push([list, c.handle]);
      } catch (err) {
        // Already there (215) is the normal case for the login ADL; anything else is skipped too.
        if (!(err instanceof AccountError)) throw err;
      }
    }
  }
  s.send('ADL', cmd.trid, ['OK']);
  for (const [list, handle] of changes) afterListChange(s, list, handle, true, true);
  // Contacts listed for presence get it now when we are already online.
  if (s.presence !== null) {
    for (const c of contacts) {
      if ((c.lists & 1) !== 0 && !changes.some(([l, h]) => l === 'FL' && h === c.handle)
        && s.hub.visiblePresence(c.handle, s.handle) !== null) s.notifyPresence(c.handle);
    }
  }
}

export function handleRml(s: NsSession, cmd: CommandItem): void {
  const contacts = mlPayload(s, cmd);
  if (contacts === null) return;
  const changes: Array<[ListName, string]> = [];
  for (const c of contacts) {
    for (const [list, bit] of BITS) {
      if ((c.lists & bit) === 0) continue;
      try {
        s.hub.accounts.removeContact(s.handle, list, c.handle);
        changes.push([list, c.handle]);
      } catch (err) {
        if (!(err instanceof AccountError)) throw err;
      }
    }
  }
  s.send('RML', cmd.trid, ['OK']);
  for (const [list, handle] of changes) afterListChange(s, list, handle, false, true);
}

/** `FQY t len <ml>` (network query): every MSN contact answers with network id 1. */
export function handleFqy(s: NsSession, cmd: CommandItem): void {
  const contacts = mlPayload(s, cmd);
  if (contacts === null) return;
  s.send('FQY', cmd.trid, [], mlAnswer(contacts));
}

/** `UUN t handle[;guid] type len` -> `UUN t OK`; the target gets `UBN handle type len`. */
export function handleUun(s: NsSession, cmd: CommandItem): void {
  const [to, type] = paramsBeforeLength(cmd);
  if (to === undefined || type === undefined || !/^\d{1,4}$/.test(type)) {
    s.error(201, cmd.trid);
    return;
  }
  const { handle } = splitEndpoint(to);
  if (!isValidHandle(handle)) {
    s.error(201, cmd.trid);
    return;
  }
  s.send('UUN', cmd.trid, ['OK']);
  s.hub.session(handle)?.notifyUbn(s.handle, type, cmd.payload ?? new Uint8Array(0));
}
