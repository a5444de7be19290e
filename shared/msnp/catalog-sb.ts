// Catalog data: messages, notifications, switchboard and MSNP21 commands (reference 4.2, 6.6, 6.8).
import type { CommandSpec } from './catalog-types.ts';

const isDigits = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);

export const MESSAGE_COMMANDS: readonly CommandSpec[] = [
  {
    verb: 'MSG', category: 'switchboard', since: 2, until: null, versionsFrom: 'reference',
    description: 'A MIME message',
    variants: [
      { server: 'NS', direction: 'server', category: 'notification', description: 'Server notification message (profile, initial mail data, new mail) from Hotmail', fields: ['handle', 'friendlyName', 'length'] },
      { server: 'NS', direction: 'client', description: 'Client message to the notification server (the server closes the connection)', fields: ['trid', 'ackType', 'length'] },
      { direction: 'client', description: 'Client sends a message (ack type U = none, N = NAK on failure, A/D = ACK)', fields: ['trid', 'ackType', 'length'] },
      { direction: 'server', description: 'Message from a participant', fields: ['handle', 'friendlyName', 'length'] },
    ],
  },
  {
    verb: 'NOT', category: 'notification', since: 5, until: null, versionsFrom: 'reference',
    description: 'MSN Alerts / notification (XML payload)',
    variants: [{ fields: ['length'] }],
  },
  {
    verb: 'IPG', category: 'notification', since: 6, until: null, versionsFrom: 'reference',
    description: 'Incoming page (mobile message, payload)',
    variants: [{ fields: ['length'] }],
  },
  {
    verb: 'GCF', category: 'notification', since: 11, until: null, versionsFrom: 'reference',
    description: 'Client configuration file (Shields policies)',
    variants: [
      { direction: 'client', description: 'Client asks for a configuration file', fields: ['trid', 'filename'] },
      { direction: 'server', when: (a) => a.length === 2 && isDigits(a[1]), description: 'Configuration file (XML payload; asynchronous with trid 0 in MSNP13+)', fields: ['trid', 'length'] },
      { direction: 'server', description: 'Configuration file (XML payload)', fields: ['trid', 'filename', 'length'] },
    ],
  },
  {
    verb: 'UUN', category: 'notification', since: 13, until: null, versionsFrom: 'reference',
    description: 'Send a user notification to a contact or endpoint',
    variants: [
      { direction: 'client', description: 'Client sends a user notification (payload)', fields: ['trid', 'handle', 'type', 'length'] },
      { direction: 'server', description: 'Server accepted the user notification', fields: ['trid', 'status'] },
    ],
  },
  {
    verb: 'UBN', category: 'notification', since: 13, until: null, versionsFrom: 'reference',
    description: 'User notification from a contact (payload)',
    variants: [{ fields: ['handle', 'type', 'length'] }],
  },
  {
    verb: 'UUM', category: 'notification', since: 14, until: null, versionsFrom: 'reference',
    description: 'Send a message to a federated (Yahoo) contact',
    variants: [{ fields: ['trid', 'handle', 'networkId', 'type', 'length'] }],
  },
  {
    verb: 'UBM', category: 'notification', since: 14, until: null, versionsFrom: 'reference',
    description: 'Message from a federated (Yahoo) contact',
    variants: [{ fields: ['handle', 'networkId'], tail: ['length'] }],
  },
  {
    verb: 'SDC', category: 'other', since: 5, until: null, versionsFrom: 'reference',
    description: 'Send an invitation e-mail (payload)',
    variants: [{ fields: ['trid', 'recipient'], tail: ['length'] }],
  },
  {
    verb: 'PAG', category: 'other', since: 5, until: 8, versionsFrom: 'reference',
    description: 'Page a contact on a mobile device (payload; 715 from MSNP9)',
    variants: [{ fields: ['trid', 'handle'], tail: ['length'] }],
  },
  {
    verb: 'PGD', category: 'other', since: 9, until: null, versionsFrom: 'reference',
    description: 'Page a contact on a mobile device (payload)',
    variants: [{ fields: ['trid', 'handle'], tail: ['length'] }],
  },
  {
    verb: 'URL', category: 'notification', since: 5, until: null, versionsFrom: 'inferred',
    description: 'Web service URL (Hotmail inbox, profile, ...)',
    variants: [
      { direction: 'client', description: 'Client asks for a service URL', fields: ['trid', 'service', 'parameter'] },
      { direction: 'server', description: 'Server sends the service URL', fields: ['trid', 'redirectUrl', 'postUrl', 'passportId'] },
    ],
  },
  {
    verb: 'FND', category: 'other', since: 2, until: 7, versionsFrom: 'inferred',
    description: 'Member directory search',
    variants: [
      { direction: 'client', fields: ['trid', '...criteria'] },
      { direction: 'server', fields: ['trid', 'index', 'total', '...result'] },
    ],
  },
  {
    verb: 'SND', category: 'other', since: 2, until: 7, versionsFrom: 'inferred',
    description: 'Send an invitation e-mail to a non-member',
    variants: [{ fields: ['trid', 'email', '...params'] }],
  },
];

export const SWITCHBOARD_COMMANDS: readonly CommandSpec[] = [
  {
    verb: 'RNG', category: 'switchboard', since: 2, until: 20, versionsFrom: 'reference',
    description: 'Invitation to a switchboard chat (U host from MSNP13, direct-connect flag from MSNP14)',
    variants: [{ fields: ['sessionId', 'address', 'authType', 'cookie', 'handle', 'friendlyName', 'u', 'authHost', 'directConnect'] }],
  },
  {
    verb: 'ANS', category: 'switchboard', since: 2, until: 20, versionsFrom: 'reference',
    description: 'Answer a switchboard invitation',
    variants: [
      { direction: 'client', description: 'Client joins the invited chat with the cookie and session id from RNG', fields: ['trid', 'handle', 'cookie', 'sessionId'] },
      { direction: 'server', description: 'Joined the chat (after the IRO roster)', fields: ['trid', 'status'] },
    ],
  },
  {
    verb: 'CAL', category: 'switchboard', since: 2, until: 20, versionsFrom: 'reference',
    description: 'Invite a contact into the switchboard',
    variants: [
      { direction: 'client', description: 'Client invites a contact', fields: ['trid', 'handle'] },
      { direction: 'server', description: 'The contact is being rung', fields: ['trid', 'status', 'sessionId'] },
    ],
  },
  {
    verb: 'JOI', category: 'switchboard', since: 2, until: 20, versionsFrom: 'reference',
    description: 'A participant joined the chat (capabilities from MSNP12)',
    variants: [{ fields: ['handle', 'friendlyName', 'capabilities'] }],
  },
  {
    verb: 'IRO', category: 'switchboard', since: 2, until: 20, versionsFrom: 'reference',
    description: 'Roster of participants already in the chat (capabilities from MSNP12)',
    variants: [{ fields: ['trid', 'index', 'total', 'handle', 'friendlyName', 'capabilities'] }],
  },
  {
    verb: 'ACK', category: 'switchboard', since: 2, until: 20, versionsFrom: 'reference',
    description: 'Message delivered (for ack type A or D)',
    variants: [{ fields: ['trid'] }],
  },
  {
    verb: 'NAK', category: 'switchboard', since: 2, until: 20, versionsFrom: 'reference',
    description: 'Message not delivered (for ack type N, A or D)',
    variants: [{ fields: ['trid'] }],
  },
  {
    verb: 'BYE', category: 'switchboard', since: 2, until: 20, versionsFrom: 'reference',
    description: 'A participant left the chat (a trailing 1 reads as an idle-timeout close)',
    variants: [{ fields: ['handle', 'idleFlag'] }],
  },
  {
    verb: 'SDG', category: 'msnp21', since: 21, until: null, versionsFrom: 'reference',
    description: 'Send data / message routed over the NS (MSNP21 header blocks + body)',
    variants: [{ fields: ['trid', 'length'] }],
  },
  {
    verb: 'NFY', category: 'msnp21', since: 21, until: null, versionsFrom: 'reference',
    description: 'Server notification (PUT or DEL of presence/documents; MSNP21 header blocks + body)',
    variants: [{ fields: ['action', 'length'] }],
  },
  {
    verb: 'PUT', category: 'msnp21', since: 21, until: null, versionsFrom: 'reference',
    description: 'Publish presence or a document (MSNP21 header blocks + body)',
    variants: [
      { direction: 'client', fields: ['trid', 'length'] },
      { direction: 'server', fields: ['trid', 'status', 'length'] },
    ],
  },
  {
    verb: 'DEL', category: 'msnp21', since: 21, until: null, versionsFrom: 'reference',
    description: 'Delete a published document or endpoint (MSNP21 header blocks + body)',
    variants: [{ fields: ['trid', 'length'] }],
  },
];

/** Late commands the reference names without details. */
export const LATE_COMMANDS: readonly CommandSpec[] = ['GET', 'FSL', 'VAS', 'CNT'].map((verb) => ({
  verb,
  category: 'other' as const,
  description: `${verb}: late command with a payload; the reference has no details`,
  since: verb === 'CNT' ? 24 : 18,
  until: null,
  versionsFrom: 'inferred' as const,
  variants: [{ fields: ['trid'], tail: ['length'] }],
}));
