// How the NS words presence and list notifications in each dialect (pure; no state).
// Shapes follow the real-server transcripts and Escargot's rules: capabilities from MSNP8
// (the MSNP8 transcript shows `ILN 6 NLN a b 0`), MSN object from MSNP9 when one is set,
// network id 1 from MSNP14, `1:handle` from MSNP18.
import type { Arg } from '../channel.ts';
import type { VisiblePresence } from '../presence.ts';
import { encodeField } from '../text.ts';

export interface Line {
  verb: string;
  trid: number | null;
  args: Arg[];
  payload?: Uint8Array | string;
}

const NETWORK_MSN = 1;

/** `handle` as a notification names it: plain, `handle 1` (14-17, id after), or `1:handle` (18+). */
function subjectArgs(version: number, handle: string): { lead: string; networkId: Arg[] } {
  if (version >= 18) return { lead: `${NETWORK_MSN}:${handle}`, networkId: [] };
  if (version >= 14) return { lead: handle, networkId: [NETWORK_MSN] };
  return { lead: handle, networkId: [] };
}

/** `ILN trid status ...` (initial presence, with the CHG's TrID) or asynchronous `NLN status ...`. */
export function presenceLine(version: number, who: VisiblePresence, iln: number | null): Line {
  const { lead, networkId } = subjectArgs(version, who.handle);
  const args: Arg[] = [who.status, lead, ...networkId, encodeField(who.friendlyName)];
  if (version >= 8) args.push(who.caps || '0');
  if (version >= 9 && who.msnobj) args.push(who.msnobj);
  return iln === null ? { verb: 'NLN', trid: null, args } : { verb: 'ILN', trid: iln, args };
}

export function offlineLine(version: number, handle: string): Line {
  const { lead, networkId } = subjectArgs(version, handle);
  return { verb: 'FLN', trid: null, args: [lead, ...networkId] };
}

/** `UBX handle [networkid] len` (MSNP11+) with the personal message payload. */
export function personalLine(version: number, handle: string, payload: Uint8Array): Line {
  const { lead, networkId } = subjectArgs(version, handle);
  return { verb: 'UBX', trid: null, args: [lead, ...networkId], payload };
}

const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => xmlEscapes[c]);
}

/** The UBX payload for a personal message stored as text (when the client has not sent UUX). */
export function personalPayload(message: string): string {
  return `<Data><PSM>${xmlEscape(message)}</PSM><CurrentMedia></CurrentMedia></Data>`;
}

/** An `<ml>` document naming one contact, as pushed in `ADL 0` / `RML 0` (MSNP13+). */
export function mlDocument(handle: string, lists: number, friendlyName?: string): string {
  const at = handle.lastIndexOf('@');
  const user = handle.slice(0, at);
  const domain = handle.slice(at + 1);
  const f = friendlyName === undefined ? '' : ` f="${xmlEscape(encodeField(friendlyName))}"`;
  return `<ml><d n="${xmlEscape(domain)}"><c n="${xmlEscape(user)}" t="1" l="${lists}"${f} /></d></ml>`;
}

/** Someone put us on their FL (our RL grew) or took us off, in this dialect. */
export function reverseListLine(version: number, handle: string, friendlyName: string, added: boolean, listVersion: number): Line {
  if (version >= 13) {
    return { verb: added ? 'ADL' : 'RML', trid: 0, args: [], payload: mlDocument(handle, 8, added ? friendlyName : undefined) };
  }
  if (version >= 10) {
    return added
      ? { verb: 'ADC', trid: 0, args: ['RL', `N=${handle}`, `F=${encodeField(friendlyName)}`] }
      : { verb: 'REM', trid: 0, args: ['RL', handle] };
  }
  return added
    ? { verb: 'ADD', trid: 0, args: ['RL', listVersion, handle, encodeField(friendlyName)] }
    : { verb: 'REM', trid: 0, args: ['RL', listVersion, handle] };
}

/** `RNG` as each dialect words it (13: + `U messenger.msn.com`; 14+: + direct-connect flag 1). */
export function ringLine(version: number, ring: { sessionId: string; address: string; cookie: string; inviter: string; inviterFriendly: string }): Line {
  const args: Arg[] = [ring.sessionId, ring.address, 'CKI', ring.cookie, ring.inviter, encodeField(ring.inviterFriendly)];
  if (version >= 13) args.push('U', 'messenger.msn.com');
  if (version >= 14) args.push(1);
  return { verb: 'RNG', trid: null, args };
}
