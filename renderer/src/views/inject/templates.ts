// Starting points for the inject composer, per connection kind and direction. `trid: 'auto'` means
// the core picks the next TrID; payload text is encoded as UTF-8 and its byte length appended.
import type { ServerKind } from '../../../../shared/msnp/types.ts';

export interface InjectTemplate {
  label: string;
  line: string;
  trid: 'auto' | 'none';
  payload: string | null;
}

const TEXT_MESSAGE = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Segoe%20UI; EF=; CO=0; CS=0; PF=0\r\n\r\nHello from the inspector';
const TYPING = 'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: inspector@example.com\r\n\r\n\r\n';

export const TEMPLATES: Record<ServerKind, Record<'server' | 'client', InjectTemplate[]>> = {
  NS: {
    server: [
      { label: 'CHG: change status', line: 'CHG NLN 0', trid: 'auto', payload: null },
      { label: 'PNG: keepalive', line: 'PNG', trid: 'none', payload: null },
      { label: 'XFR: ask for a switchboard', line: 'XFR SB', trid: 'auto', payload: null },
      { label: 'ADD: add to forward list (MSNP8-9)', line: 'ADD FL bob@example.com bob@example.com', trid: 'auto', payload: null },
      { label: 'PRP: set friendly name', line: 'PRP MFN Inspector', trid: 'auto', payload: null },
      { label: 'UUX: personal message (MSNP11+)', line: 'UUX', trid: 'auto', payload: '<Data><PSM>from the inspector</PSM><CurrentMedia></CurrentMedia></Data>' },
      { label: 'OUT: sign out', line: 'OUT', trid: 'none', payload: null },
    ],
    client: [
      { label: 'NLN: contact comes online', line: 'NLN NLN bob@example.com Bob 0', trid: 'none', payload: null },
      { label: 'FLN: contact goes offline', line: 'FLN bob@example.com', trid: 'none', payload: null },
      { label: 'MSG: server message', line: 'MSG Hotmail Hotmail', trid: 'none', payload: 'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8\r\n\r\nInbox-Unread: 1\r\n\r\n' },
      { label: 'RNG: invite to a switchboard', line: 'RNG 11752013 127.0.0.1:1864 CKI 849102291.520491113 bob@example.com Bob', trid: 'none', payload: null },
      { label: 'QNG: ping answer', line: 'QNG 50', trid: 'none', payload: null },
      { label: 'OUT OTH: signed in elsewhere', line: 'OUT OTH', trid: 'none', payload: null },
      { label: '911: authentication failed', line: '911', trid: 'auto', payload: null },
    ],
  },
  SB: {
    server: [
      { label: 'MSG: text message', line: 'MSG N', trid: 'auto', payload: TEXT_MESSAGE },
      { label: 'MSG: typing notification', line: 'MSG U', trid: 'auto', payload: TYPING },
      { label: 'CAL: invite a contact', line: 'CAL bob@example.com', trid: 'auto', payload: null },
      { label: 'OUT: leave', line: 'OUT', trid: 'none', payload: null },
    ],
    client: [
      { label: 'MSG: text message', line: 'MSG bob@example.com Bob', trid: 'none', payload: TEXT_MESSAGE },
      { label: 'JOI: contact joins', line: 'JOI bob@example.com Bob', trid: 'none', payload: null },
      { label: 'BYE: contact leaves', line: 'BYE bob@example.com', trid: 'none', payload: null },
    ],
  },
};
