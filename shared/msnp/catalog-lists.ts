// Catalog data: contact lists and groups (reference sections 4.2, 6.2, 6.3).
// List lines inside an MSNP8+ SYN reply have no TrID; MSNP2-7 repeat the TrID and list version.
import type { CommandSpec } from './catalog-types.ts';

const isDigits = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);

export const LIST_COMMANDS: readonly CommandSpec[] = [
  {
    verb: 'SYN', category: 'lists', since: 2, until: 12, versionsFrom: 'reference',
    description: 'Contact list synchronisation',
    variants: [
      { direction: 'client', maxVersion: 9, description: 'Client asks for the lists, giving its cached list version', fields: ['trid', 'listVersion'] },
      { direction: 'client', description: 'Client asks for the lists, giving its cached timestamps', fields: ['trid', 'contactsTimestamp', 'groupsTimestamp'] },
      { direction: 'server', maxVersion: 7, description: 'Server list version; list lines follow', fields: ['trid', 'listVersion'] },
      { direction: 'server', maxVersion: 9, description: 'Server list version and counts; list lines follow', fields: ['trid', 'listVersion', 'contactCount', 'groupCount'] },
      { direction: 'server', description: 'Server timestamps and counts; list lines follow', fields: ['trid', 'contactsTimestamp', 'groupsTimestamp', 'contactCount', 'groupCount'] },
    ],
  },
  {
    verb: 'LST', category: 'lists', since: 2, until: 12, versionsFrom: 'reference',
    description: 'A contact-list entry',
    variants: [
      { direction: 'client', description: 'Client asks for one list (MSNP2-7)', fields: ['trid', 'list'] },
      { maxVersion: 7, description: 'List entry (list version, index and count; their order varies by server)', fields: ['trid', 'list', 'listVersion', 'index', 'count', 'handle', 'friendlyName', 'groups'] },
      { maxVersion: 9, description: 'List entry in the SYN reply (lists as a bit mask)', fields: ['handle', 'friendlyName', 'lists', 'groups'] },
      { description: 'List entry in the SYN reply (N=handle F=friendly C=contact id)', fields: ['handle', 'friendlyName', 'contactId', 'lists', 'groups'] },
    ],
  },
  {
    verb: 'LSG', category: 'lists', since: 7, until: 12, versionsFrom: 'inferred',
    description: 'A contact group',
    variants: [
      { direction: 'client', fields: ['trid'] },
      { maxVersion: 7, fields: ['trid', 'listVersion', 'index', 'count', 'groupId', 'groupName', 'unused'] },
      { maxVersion: 9, description: 'Group in the SYN reply', fields: ['groupId', 'groupName', 'unused'] },
      { description: 'Group in the SYN reply', fields: ['groupName', 'groupGuid'] },
    ],
  },
  {
    verb: 'GTC', category: 'lists', since: 2, until: 12, versionsFrom: 'inferred',
    description: 'Reverse-list prompt setting (A = ask, N = do not ask when someone adds you)',
    variants: [
      { direction: 'client', fields: ['trid', 'setting'] },
      { when: (a) => a.length === 1, description: 'Setting in the SYN reply', fields: ['setting'] },
      { when: (a) => a.length >= 3, fields: ['trid', 'listVersion', 'setting'] },
      { fields: ['trid', 'setting'] },
    ],
  },
  {
    verb: 'BLP', category: 'lists', since: 2, until: null, versionsFrom: 'inferred',
    description: 'Privacy mode for people on no list (AL = allow, BL = block)',
    variants: [
      { direction: 'client', fields: ['trid', 'privacyMode'] },
      { when: (a) => a.length === 1, description: 'Privacy mode in the SYN reply', fields: ['privacyMode'] },
      { when: (a) => a.length >= 3, fields: ['trid', 'listVersion', 'privacyMode'] },
      { fields: ['trid', 'privacyMode'] },
    ],
  },
  {
    verb: 'ADD', category: 'lists', since: 2, until: 9, versionsFrom: 'inferred',
    description: 'Add a contact to a list (FL, AL, BL; RL pushes from the server)',
    variants: [
      { direction: 'client', fields: ['trid', 'list', 'handle', 'friendlyName', 'groupId'] },
      { direction: 'server', fields: ['trid', 'list', 'listVersion', 'handle', 'friendlyName', 'groupId'] },
    ],
  },
  {
    verb: 'REM', category: 'lists', since: 2, until: 12, versionsFrom: 'inferred',
    description: 'Remove a contact from a list',
    variants: [
      { direction: 'client', fields: ['trid', 'list', 'principal', 'groupId'] },
      { direction: 'server', maxVersion: 9, fields: ['trid', 'list', 'listVersion', 'handle', 'groupId'] },
      { direction: 'server', fields: ['trid', 'list', 'principal', 'groupId'] },
    ],
  },
  {
    verb: 'ADC', category: 'lists', since: 10, until: 12, versionsFrom: 'inferred',
    description: 'Add a contact (N=handle or C=contact id) to a list or group',
    variants: [
      { direction: 'client', fields: ['trid', 'list', 'principal', 'friendlyName', 'groupId'] },
      { direction: 'server', fields: ['trid', 'list', 'principal', 'friendlyName', 'contactId', 'groupId'] },
    ],
  },
  {
    verb: 'ADG', category: 'lists', since: 7, until: 12, versionsFrom: 'inferred',
    description: 'Add a group',
    variants: [
      { direction: 'client', fields: ['trid', 'groupName', 'unused'] },
      { direction: 'server', maxVersion: 9, fields: ['trid', 'listVersion', 'groupName', 'groupId', 'unused'] },
      { direction: 'server', fields: ['trid', 'groupName', 'groupGuid'] },
    ],
  },
  {
    verb: 'RMG', category: 'lists', since: 7, until: 12, versionsFrom: 'inferred',
    description: 'Remove a group',
    variants: [
      { direction: 'client', fields: ['trid', 'groupId'] },
      { direction: 'server', maxVersion: 9, fields: ['trid', 'listVersion', 'groupId'] },
      { direction: 'server', fields: ['trid', 'groupId'] },
    ],
  },
  {
    verb: 'REG', category: 'lists', since: 7, until: 12, versionsFrom: 'inferred',
    description: 'Rename a group',
    variants: [
      { direction: 'client', fields: ['trid', 'groupId', 'groupName', 'unused'] },
      { direction: 'server', maxVersion: 9, fields: ['trid', 'listVersion', 'groupId', 'groupName', 'unused'] },
      { direction: 'server', fields: ['trid', 'groupId', 'groupName'] },
    ],
  },
  {
    verb: 'SBP', category: 'lists', since: 10, until: 12, versionsFrom: 'inferred',
    description: "Set a contact's property (e.g. MFN friendly name) by contact id",
    variants: [{ fields: ['trid', 'contactId', 'property', 'value'] }],
  },
  {
    verb: 'ADL', category: 'lists', since: 13, until: null, versionsFrom: 'reference',
    description: 'Add contacts to lists (XML <ml> payload)',
    variants: [
      { direction: 'client', fields: ['trid', 'length'] },
      { direction: 'server', when: (a) => a[1] === 'OK', description: 'Server accepted the ADL', fields: ['trid', 'status'] },
      { direction: 'server', when: (a) => isDigits(a[1]), description: 'Server push (trid 0), e.g. someone added you (XML payload)', fields: ['trid', 'length'] },
      { fields: ['trid', 'status'] },
    ],
  },
  {
    verb: 'RML', category: 'lists', since: 13, until: null, versionsFrom: 'reference',
    description: 'Remove contacts from lists (XML <ml> payload)',
    variants: [
      { direction: 'client', fields: ['trid', 'length'] },
      { direction: 'server', when: (a) => a[1] === 'OK', description: 'Server accepted the RML', fields: ['trid', 'status'] },
      { direction: 'server', when: (a) => isDigits(a[1]), description: 'Server push (trid 0): someone removed you (XML payload)', fields: ['trid', 'length'] },
      { fields: ['trid', 'status'] },
    ],
  },
  {
    verb: 'FQY', category: 'lists', since: 14, until: null, versionsFrom: 'reference',
    description: 'Federated (e.g. Yahoo) contact query (XML payload)',
    variants: [{ fields: ['trid', 'length'] }],
  },
];
