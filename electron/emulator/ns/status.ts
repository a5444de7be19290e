// Presence and profile commands: CHG (+ the initial ILN burst), REA (MSNP2-9), PRP/SBP (MSNP10+),
// UUX (MSNP11+).
import type { CommandItem } from '../../../shared/msnp/types.ts';
import { AccountError } from '../account-types.ts';
import { isStatus } from '../presence.ts';
import type { PresenceState } from '../presence.ts';
import { decodeField } from '../text.ts';
import type { NsSession } from './session.ts';
import { params } from './args.ts';
import { presenceLine } from './format.ts';
import { initialMailPayload } from './profile.ts';

const CAPS = /^\d{1,10}(:\d{1,10})?$/;
const MAX_MSNOBJ = 2048;
const MAX_PERSONAL_PAYLOAD = 4096;

export function handleChg(s: NsSession, cmd: CommandItem): void {
  const [status, caps, msnobj] = params(cmd);
  if (status === undefined || !isStatus(status) || (caps !== undefined && !CAPS.test(caps))
    || (msnobj !== undefined && msnobj.length > MAX_MSNOBJ)) {
    // FLN is not a status a client may set (`CHG 19 FLN 0` -> `201 19`).
    s.error(201, cmd.trid);
    return;
  }
  const before = s.presence;
  const next: PresenceState = { status, caps: caps ?? '0', msnobj: msnobj ?? null };
  s.presence = next;
  s.send('CHG', cmd.trid, params(cmd));
  const wasVisible = before !== null && before.status !== 'HDN';
  if (next.status !== 'HDN' || wasVisible) s.hub.broadcastPresence(s.handle);
  if (before === null) initialPresence(s, cmd.trid);
}

/** First CHG: ILN for every visible contact (with the CHG's TrID), then the first challenge. */
function initialPresence(s: NsSession, trid: number | null): void {
  const account = s.hub.account(s.handle);
  for (const c of account?.contacts ?? []) {
    if (!c.lists.includes('FL')) continue;
    const seen = s.hub.visiblePresence(c.handle, s.handle);
    if (seen === null) continue;
    s.sendLine(presenceLine(s.version, seen, trid));
    s.sendPersonal(c.handle);
  }
  if (s.version >= 13) s.send('MSG', null, ['Hotmail', 'Hotmail'], initialMailPayload());
  s.challenge.start();
}

/** A change others should see: watchers get a fresh NLN (nothing while hidden or before CHG). */
function announce(s: NsSession): void {
  if (s.presence !== null && s.presence.status !== 'HDN') s.hub.broadcastPresence(s.handle);
}

function rename(s: NsSession, cmd: CommandItem, name: string, contact?: string): boolean {
  try {
    if (contact === undefined || contact === s.handle) s.hub.accounts.update(s.handle, { friendlyName: name });
    else s.hub.accounts.renameContact(s.handle, contact, name);
    return true;
  } catch (err) {
    s.error(err instanceof AccountError && err.msnpError !== 0 ? err.msnpError : 209, cmd.trid);
    return false;
  }
}

/** MSNP2-9 `REA t handle name`: our own friendly name, or a contact's display name. */
export function handleRea(s: NsSession, cmd: CommandItem): void {
  const [handle, rawName] = params(cmd);
  if (handle === undefined || rawName === undefined) {
    s.error(201, cmd.trid);
    return;
  }
  const target = handle.toLowerCase();
  if (!rename(s, cmd, decodeField(rawName), target)) return;
  const ver = s.hub.account(s.handle)?.listVersion ?? 0;
  s.send('REA', cmd.trid, [ver, target, rawName]);
  if (target === s.handle) announce(s);
}

/** MSNP8+ `PRP t key value`: MFN is the friendly name; phone numbers etc. are echoed. */
export function handlePrp(s: NsSession, cmd: CommandItem): void {
  const [key, value] = params(cmd);
  if (key === undefined || !/^[A-Z]{3}$/.test(key)) {
    s.error(201, cmd.trid);
    return;
  }
  if (key === 'MFN') {
    if (value === undefined || !rename(s, cmd, decodeField(value))) {
      if (value === undefined) s.error(201, cmd.trid);
      return;
    }
    s.send('PRP', cmd.trid, ['MFN', value]);
    announce(s);
    return;
  }
  s.send('PRP', cmd.trid, value === undefined ? [key] : [key, value]);
}

/** MSNP10+ `SBP t contactid MFN name`: the name we store for a contact. */
export function handleSbp(s: NsSession, cmd: CommandItem): void {
  const [contactId, key, value] = params(cmd);
  const entry = s.hub.account(s.handle)?.contacts.find((c) => c.contactId === contactId || c.handle === contactId?.toLowerCase());
  if (entry === undefined || key === undefined || value === undefined) {
    s.error(entry === undefined ? 216 : 201, cmd.trid);
    return;
  }
  if (key === 'MFN' && !rename(s, cmd, decodeField(value), entry.handle)) return;
  s.send('SBP', cmd.trid, [contactId, key, value]);
}

/** MSNP11+ `UUX t len` + `<Data><PSM>..</PSM>..</Data>`: reply `UUX t 0`, watchers get UBX. */
export function handleUux(s: NsSession, cmd: CommandItem): void {
  const payload = cmd.payload ?? new Uint8Array(0);
  if (payload.length > MAX_PERSONAL_PAYLOAD) {
    s.error(201, cmd.trid);
    return;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(payload);
  if (payload.length > 0 && !/^\s*<Data[\s>]/.test(text)) {
    s.error(241, cmd.trid);
    return;
  }
  s.personalPayload = payload.length > 0 ? payload.slice() : null;
  const psm = /<PSM>([\s\S]*?)<\/PSM>/.exec(text)?.[1];
  if (psm !== undefined) {
    try {
      s.hub.accounts.update(s.handle, { personalMessage: unescapeXml(psm) });
    } catch {
      // Too long or odd for the store: the live UBX still carries it.
    }
  }
  s.send('UUX', cmd.trid, [], new Uint8Array(0));
  if (s.presence === null || s.presence.status === 'HDN') return;
  for (const watcher of s.hub.watchersOf(s.handle)) {
    if (s.hub.allows(s.handle, watcher.handle)) watcher.notifyPersonal(s.handle);
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
}
