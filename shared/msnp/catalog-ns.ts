// Catalog data: login, presence and keepalive commands (reference sections 4.2, 6.1-6.5, 6.7).
import type { CommandSpec, CommandVariant } from './catalog-types.ts';

const isDigits = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);
const arg = (i: number, value: string) => (args: readonly string[]) => args[i] === value;

const usrVariants: CommandVariant[] = [
  { direction: 'client', when: arg(1, 'MD5'), description: 'MD5 login (MSNP2-7): I sends the handle, S the md5(salt + password) answer', fields: ['trid', 'authType', 'stage', 'value'] },
  { direction: 'server', when: arg(1, 'MD5'), description: 'MD5 login: the server sends the salt to hash with the password', fields: ['trid', 'authType', 'stage', 'salt'] },
  { direction: 'client', when: (a) => a[1] === 'TWN' && a[2] === 'I', description: 'Tweener (Passport 1.4) login, initial leg: the handle', fields: ['trid', 'authType', 'stage', 'handle'] },
  { direction: 'client', when: arg(1, 'TWN'), description: 'Tweener login, subsequent leg: the Passport ticket', fields: ['trid', 'authType', 'stage', 'ticket'] },
  { direction: 'server', when: arg(1, 'TWN'), description: 'Tweener login: the Passport parameters to present to the login server', fields: ['trid', 'authType', 'stage', 'passportParams'] },
  { direction: 'client', when: (a) => a[1] === 'SSO' && a[2] === 'I', description: 'SSO login (MSNP15+), initial leg: the handle', fields: ['trid', 'authType', 'stage', 'handle'] },
  { direction: 'client', when: arg(1, 'SSO'), description: 'SSO login, subsequent leg: ticket and challenge response (machine GUID from MSNP16)', fields: ['trid', 'authType', 'stage', 'ticket', 'challengeResponse', 'machineGuid'] },
  { direction: 'server', when: arg(1, 'SSO'), description: 'SSO login: the policy and base64 nonce for the challenge response', fields: ['trid', 'authType', 'stage', 'policy', 'nonce'] },
  { direction: 'client', when: arg(1, 'SHA'), description: 'Circle ticket login (MSNP18+)', fields: ['trid', 'authType', 'stage', 'ticket'] },
  { direction: 'client', when: arg(1, 'CTP'), description: 'Clear-text password login (MSNP2 only)', fields: ['trid', 'authType', 'stage', 'value'] },
  { direction: 'server', when: arg(1, 'OK'), maxVersion: 5, description: 'Login succeeded', fields: ['trid', 'status', 'handle', 'friendlyName'] },
  { direction: 'server', when: arg(1, 'OK'), maxVersion: 7, description: 'Login succeeded', fields: ['trid', 'status', 'handle', 'friendlyName', 'verified'] },
  { direction: 'server', when: arg(1, 'OK'), maxVersion: 9, description: 'Login succeeded', fields: ['trid', 'status', 'handle', 'friendlyName', 'verified', 'restricted'] },
  { direction: 'server', when: arg(1, 'OK'), description: 'Login succeeded (friendly name moved to PRP MFN)', fields: ['trid', 'status', 'handle', 'verified', 'restricted'] },
  { fields: ['trid', 'authType', 'stage', '...params'] },
];

export const NS_COMMANDS: readonly CommandSpec[] = [
  {
    verb: 'VER', category: 'auth', since: 2, until: null, versionsFrom: 'reference',
    description: 'Protocol version negotiation',
    variants: [
      { direction: 'client', description: 'Client lists the protocol versions it supports, highest first', fields: ['trid', '...versions'] },
      { direction: 'server', description: 'Server picks the protocol version ("0" = none acceptable)', fields: ['trid', '...versions'] },
    ],
  },
  {
    verb: 'CVR', category: 'auth', since: 2, until: null, versionsFrom: 'reference',
    description: 'Client version information',
    variants: [
      { direction: 'client', description: 'Client reports locale, OS and client version (handle from MSNP8)', fields: ['trid', 'localeId', 'osType', 'osVersion', 'architecture', 'clientName', 'clientVersion', 'clientId', 'handle'] },
      { direction: 'server', description: 'Server recommends client versions and download/info URLs', fields: ['trid', 'recommendedVersion', 'recommendedVersion2', 'minimumVersion', 'downloadUrl', 'infoUrl'] },
    ],
  },
  {
    verb: 'INF', category: 'auth', since: 2, until: 7, versionsFrom: 'reference',
    description: 'Security package query (MSNP2-7)',
    variants: [
      { direction: 'client', description: 'Client asks which security packages the server supports', fields: ['trid'] },
      { direction: 'server', description: 'Server lists its security packages (MD5)', fields: ['trid', '...securityPackages'] },
    ],
  },
  {
    verb: 'USR', category: 'auth', since: 2, until: null, versionsFrom: 'reference',
    description: 'Authentication',
    variants: [
      { server: 'SB', direction: 'client', category: 'switchboard', description: 'Switchboard login with the cookie from XFR (MSNP16+: handle;{machine guid})', fields: ['trid', 'handle', 'cookie'] },
      { server: 'SB', direction: 'server', category: 'switchboard', description: 'Switchboard login accepted', fields: ['trid', 'status', 'handle', 'friendlyName'] },
      ...usrVariants,
    ],
  },
  {
    verb: 'XFR', category: 'auth', since: 2, until: null, versionsFrom: 'reference',
    description: 'Transfer to another server',
    variants: [
      { direction: 'client', when: arg(1, 'SB'), category: 'switchboard', description: 'Client asks for a switchboard to start a chat', fields: ['trid', 'targetKind'] },
      { direction: 'server', when: arg(1, 'SB'), category: 'switchboard', description: 'Switchboard address and cookie for a new chat (MSNP13+: U host; MSNP14+: direct-connect flag)', fields: ['trid', 'targetKind', 'address', 'authType', 'cookie', 'u', 'authHost', 'directConnect'] },
      { direction: 'server', when: arg(1, 'NS'), maxVersion: 2, description: 'Referral to another notification server: reconnect and start again from VER', fields: ['trid', 'targetKind', 'address'] },
      { direction: 'server', when: arg(1, 'NS'), maxVersion: 6, description: 'Referral to another notification server: reconnect and start again from VER', fields: ['trid', 'targetKind', 'address', 'zero'] },
      { direction: 'server', when: arg(1, 'NS'), maxVersion: 12, description: 'Referral to another notification server: reconnect and start again from VER', fields: ['trid', 'targetKind', 'address', 'zero', 'currentServer'] },
      { direction: 'server', when: arg(1, 'NS'), description: 'Referral to another notification server: reconnect and start again from VER', fields: ['trid', 'targetKind', 'address', 'u', 'd'] },
      { fields: ['trid', 'targetKind', 'address'] },
    ],
  },
  {
    verb: 'CHL', category: 'auth', since: 6, until: null, versionsFrom: 'reference',
    description: 'Challenge',
    variants: [
      { direction: 'server', description: 'Server challenge the client must answer with QRY within about 50 s', fields: ['trid', 'challenge'] },
      { direction: 'client', description: 'Client asks the server for a challenge (CHL 1)', fields: ['trid'] },
    ],
  },
  {
    verb: 'QRY', category: 'auth', since: 6, until: null, versionsFrom: 'reference',
    description: 'Challenge response',
    variants: [
      { direction: 'client', description: 'Answer to CHL: product ID and a 32-byte hex payload', fields: ['trid', 'productId', 'length'] },
      { direction: 'server', description: 'Server accepted the challenge answer (a wrong one gets 540)', fields: ['trid'] },
    ],
  },
  {
    verb: 'CHG', category: 'presence', since: 2, until: null, versionsFrom: 'reference',
    description: 'Change own presence status',
    variants: [
      { direction: 'client', description: 'Client sets its status (capabilities and MSN object in later versions)', fields: ['trid', 'status', 'capabilities', 'msnObject'] },
      { direction: 'server', description: 'Server confirms the status change', fields: ['trid', 'status', 'capabilities', 'msnObject'] },
    ],
  },
  {
    verb: 'ILN', category: 'presence', since: 2, until: null, versionsFrom: 'reference',
    description: 'Initial presence of a contact (echoes the TrID of the CHG that caused it)',
    variants: [
      { maxVersion: 13, fields: ['trid', 'status', 'handle', 'friendlyName', 'capabilities', 'msnObject'] },
      { maxVersion: 17, fields: ['trid', 'status', 'handle', 'networkId', 'friendlyName', 'capabilities', 'msnObject'] },
      { fields: ['trid', 'status', 'handle', 'friendlyName', 'capabilities', 'msnObject'] },
    ],
  },
  {
    verb: 'NLN', category: 'presence', since: 2, until: null, versionsFrom: 'reference',
    description: 'A contact changed status or came online',
    variants: [
      { maxVersion: 13, fields: ['status', 'handle', 'friendlyName', 'capabilities', 'msnObject'] },
      { maxVersion: 17, fields: ['status', 'handle', 'networkId', 'friendlyName', 'capabilities', 'msnObject'] },
      { fields: ['status', 'handle', 'friendlyName', 'capabilities', 'msnObject'] },
    ],
  },
  {
    verb: 'FLN', category: 'presence', since: 2, until: null, versionsFrom: 'reference',
    description: 'A contact went offline',
    variants: [
      { minVersion: 14, maxVersion: 17, fields: ['handle', 'networkId', 'capabilities'] },
      { fields: ['handle', 'capabilities'] },
    ],
  },
  {
    verb: 'UBX', category: 'presence', since: 11, until: null, versionsFrom: 'reference',
    description: "A contact's personal message / current media (XML payload; network id from MSNP14, networkId:handle from MSNP18)",
    variants: [
      // The length is always last; the token before it is the network id only in MSNP14-17.
      { minVersion: 14, maxVersion: 17, fields: ['handle', 'networkId'], tail: ['length'] },
      { fields: ['handle'], tail: ['length'] },
    ],
  },
  {
    verb: 'UUX', category: 'presence', since: 11, until: null, versionsFrom: 'reference',
    description: 'Set own personal message / current media',
    variants: [
      { direction: 'client', description: 'Client sets its personal message (XML payload)', fields: ['trid', 'length'] },
      { direction: 'server', description: 'Server confirms the personal message (zero-length payload)', fields: ['trid', 'length'] },
    ],
  },
  {
    verb: 'PRP', category: 'presence', since: 8, until: null, versionsFrom: 'inferred',
    description: 'Personal property (MFN friendly name from MSNP10; phone numbers PHH/PHW/PHM, MOB, MBE)',
    variants: [
      { when: (a) => isDigits(a[0]) && a.length >= 4, fields: ['trid', 'listVersion', 'property', 'value'] },
      { when: (a) => isDigits(a[0]), fields: ['trid', 'property', 'value'] },
      { description: 'Personal property sent in the SYN reply', fields: ['property', 'value'] },
    ],
  },
  {
    verb: 'REA', category: 'presence', since: 2, until: 9, versionsFrom: 'inferred',
    description: 'Rename: change a friendly name (replaced by PRP MFN in MSNP10)',
    variants: [
      { direction: 'client', fields: ['trid', 'handle', 'friendlyName'] },
      { direction: 'server', fields: ['trid', 'listVersion', 'handle', 'friendlyName'] },
    ],
  },
  {
    verb: 'BPR', category: 'presence', since: 8, until: 12, versionsFrom: 'inferred',
    description: "A contact's property (phone numbers, mobile settings)",
    variants: [
      { when: (a) => a.length === 2, description: "Contact property in the SYN reply, for the preceding LST's contact", fields: ['property', 'value'] },
      { when: (a) => a.length >= 4, fields: ['listVersion', 'handle', 'property', 'value'] },
      { fields: ['handle', 'property', 'value'] },
    ],
  },
  {
    verb: 'SBS', category: 'notification', since: 11, until: 20, versionsFrom: 'reference',
    description: 'Server status notice sent after login (SBS 0 null); purpose undocumented',
    variants: [{ fields: ['trid', 'value'] }],
  },
  {
    verb: 'PNG', category: 'keepalive', since: 2, until: null, versionsFrom: 'reference',
    description: 'Client ping (no TrID)',
    variants: [{ fields: [] }],
  },
  {
    verb: 'QNG', category: 'keepalive', since: 2, until: null, versionsFrom: 'reference',
    description: 'Ping reply (MSNP9+: seconds until the next ping is due)',
    variants: [{ fields: ['nextPingSeconds'] }],
  },
  {
    verb: 'OUT', category: 'session', since: 2, until: null, versionsFrom: 'reference',
    description: 'Sign out / close the connection',
    variants: [
      { direction: 'client', description: 'Client ends the session', fields: [] },
      { direction: 'server', description: 'Server closes the session (OTH elsewhere, SSD shutdown, MIG, TOU, RCT minutes)', fields: ['reason', 'minutes'] },
    ],
  },
];
