import { describe, expect, it } from 'vitest';
import { COMMAND_CATEGORIES, COMMAND_VERBS, commandSpec, describeCommand, fieldNamesFor } from './catalog.ts';

// Section 6.8 of the reference (decoder labelling cheatsheet), verb by verb with the expected class.
const CHEATSHEET: Array<[string, string]> = [
  ...['VER', 'CVR', 'INF', 'USR', 'XFR', 'CHL', 'QRY'].map((v): [string, string] => [v, 'auth']),
  ...['CHG', 'ILN', 'NLN', 'FLN', 'UBX', 'UUX', 'PRP', 'BPR'].map((v): [string, string] => [v, 'presence']),
  ...['SYN', 'LST', 'LSG', 'GTC', 'BLP', 'ADD', 'REM', 'ADC', 'ADG', 'RMG', 'REG', 'SBP', 'ADL', 'RML', 'FQY']
    .map((v): [string, string] => [v, 'lists']),
  ...['NOT', 'IPG', 'GCF', 'SBS'].map((v): [string, string] => [v, 'notification']),
  ...['RNG', 'CAL', 'JOI', 'IRO', 'ACK', 'NAK', 'BYE'].map((v): [string, string] => [v, 'switchboard']),
  ['PNG', 'keepalive'], ['QNG', 'keepalive'], ['OUT', 'session'],
  ...['SDG', 'NFY', 'PUT', 'DEL'].map((v): [string, string] => [v, 'msnp21']),
];

// The brief's list plus every other verb the reference names.
const ALL_VERBS = ('VER CVR INF USR XFR CHL QRY CHG ILN NLN FLN UBX UUX PRP REA BPR SYN LST LSG GTC BLP ADD REM ADC ' +
  'ADG RMG REG SBP ADL RML FQY MSG NOT IPG GCF SBS RNG ANS CAL JOI IRO ACK NAK BYE PNG QNG OUT UUN UBN UUM UBM ' +
  'SDC PAG PGD SDG NFY PUT DEL URL FND SND GET FSL VAS CNT').split(' ');

describe('catalog coverage', () => {
  it.each(CHEATSHEET)('%s is labelled %s with a description', (verb, category) => {
    const spec = commandSpec(verb)!;
    expect(spec).toBeDefined();
    expect(spec.category).toBe(category);
    for (const direction of ['client', 'server'] as const) {
      const d = describeCommand(verb, direction, 'NS', 12);
      expect(d.known).toBe(true);
      expect(d.description.length).toBeGreaterThan(5);
    }
  });

  it('knows every verb in the reference, with versions and a category from the list', () => {
    for (const verb of ALL_VERBS) {
      const spec = commandSpec(verb);
      expect(spec, verb).toBeDefined();
      expect(COMMAND_CATEGORIES).toContain(spec!.category);
      expect(spec!.since).toBeGreaterThanOrEqual(2);
      expect(spec!.variants.length).toBeGreaterThan(0);
    }
    expect([...COMMAND_VERBS].sort()).toEqual([...new Set(ALL_VERBS)].sort());
  });

  it('labels MSG by server and USR/XFR by leg', () => {
    expect(describeCommand('MSG', 'server', 'NS', 8).category).toBe('notification');
    expect(describeCommand('MSG', 'server', 'SB', 8).category).toBe('switchboard');
    expect(describeCommand('MSG', 'client', 'SB', 8).fields).toEqual(['trid', 'ackType', 'length']);
    expect(describeCommand('USR', 'client', 'SB', 8).category).toBe('switchboard');
    expect(describeCommand('USR', 'client', 'NS', 8, ['3', 'TWN', 'I', 'a@b.c']).category).toBe('auth');
    expect(describeCommand('XFR', 'client', 'NS', 8, ['10', 'SB']).category).toBe('switchboard');
    expect(describeCommand('XFR', 'server', 'NS', 8, ['3', 'NS', '10.0.0.5:1863', '0', '10.0.0.1:1863']).category).toBe('auth');
  });

  it('unknown verbs are "other" and say so', () => {
    expect(describeCommand('ZZZ', 'client', 'NS', 8)).toMatchObject({
      known: false, category: 'other', description: 'unknown command ZZZ', fields: [],
    });
  });

  it('numeric verbs are errors with the table meaning', () => {
    const d = describeCommand('911', 'server', 'SB', 8);
    expect(d).toMatchObject({ category: 'error', known: true, fields: ['trid', 'length'] });
    expect(d.description).toContain('Authentication failed');
    expect(describeCommand('999', 'server', 'NS', 8).description).toContain('unknown error code 999');
  });

  it('flags versions outside the command range', () => {
    expect(describeCommand('INF', 'client', 'NS', 8).inVersion).toBe(false);
    expect(describeCommand('INF', 'client', 'NS', 7).inVersion).toBe(true);
    expect(describeCommand('ADL', 'client', 'NS', 12).inVersion).toBe(false);
    expect(describeCommand('RNG', 'server', 'NS', 21).inVersion).toBe(false);
  });
});

describe('field names', () => {
  const named = (verb: string, direction: 'client' | 'server', server: 'NS' | 'SB', version: number, line: string) => {
    const args = line.split(' ');
    return fieldNamesFor(describeCommand(verb, direction, server, version, args), args.length);
  };

  it('names RNG (MSNP14 form from a real log)', () => {
    expect(named('RNG', 'server', 'NS', 14, '797997072 65.54.189.181:1863 CKI 5920759.122183168 a@live.com a@live.com U messenger.msn.com 1'))
      .toEqual(['sessionId', 'address', 'authType', 'cookie', 'handle', 'friendlyName', 'u', 'authHost', 'directConnect']);
  });
  it('names XFR SB and IRO', () => {
    expect(named('XFR', 'server', 'NS', 8, '10 SB 207.46.108.13:1863 CKI 214963.1047973248.28908'))
      .toEqual(['trid', 'targetKind', 'address', 'authType', 'cookie']);
    expect(named('IRO', 'server', 'SB', 12, '1 1 1 a@b.c Name 1085276208'))
      .toEqual(['trid', 'index', 'total', 'handle', 'friendlyName', 'capabilities']);
  });
  it('names each USR leg of MD5, TWN and SSO', () => {
    expect(named('USR', 'server', 'NS', 7, '3 MD5 S 1013928519.693957190')).toEqual(['trid', 'authType', 'stage', 'salt']);
    expect(named('USR', 'client', 'NS', 7, '4 MD5 S 0123')).toEqual(['trid', 'authType', 'stage', 'value']);
    expect(named('USR', 'server', 'NS', 7, '4 OK a@b.c Name 1')).toEqual(['trid', 'status', 'handle', 'friendlyName', 'verified']);
    expect(named('USR', 'client', 'NS', 8, '3 TWN I a@b.c')).toEqual(['trid', 'authType', 'stage', 'handle']);
    expect(named('USR', 'server', 'NS', 8, '3 TWN S lc=1033,id=507')).toEqual(['trid', 'authType', 'stage', 'passportParams']);
    expect(named('USR', 'client', 'NS', 8, '4 TWN S t=x&p=y')).toEqual(['trid', 'authType', 'stage', 'ticket']);
    expect(named('USR', 'server', 'NS', 8, '4 OK a@b.c Name 1 0')).toEqual(['trid', 'status', 'handle', 'friendlyName', 'verified', 'restricted']);
    expect(named('USR', 'server', 'NS', 15, '4 OK a@b.c 1 0')).toEqual(['trid', 'status', 'handle', 'verified', 'restricted']);
    expect(named('USR', 'server', 'NS', 15, '3 SSO S MBI_KEY_OLD abc')).toEqual(['trid', 'authType', 'stage', 'policy', 'nonce']);
    expect(named('USR', 'client', 'NS', 16, '4 SSO S t=x resp {guid}')).toEqual(['trid', 'authType', 'stage', 'ticket', 'challengeResponse', 'machineGuid']);
    expect(named('USR', 'client', 'SB', 8, '1 a@b.c 214963.1047973248.28908')).toEqual(['trid', 'handle', 'cookie']);
  });
  it('handles rest and tail fields, and extra tokens', () => {
    expect(named('VER', 'client', 'NS', 8, '1 MSNP8 MSNP7 CVR0')).toEqual(['trid', 'versions', 'versions', 'versions']);
    expect(named('UBM', 'server', 'NS', 14, 'y@yahoo.com 32 me@live.com 1 2 40')).toEqual(['handle', 'networkId', null, null, null, 'length']);
    expect(named('ACK', 'server', 'SB', 8, '3 extra')).toEqual(['trid', null]);
    expect(fieldNamesFor({ fields: ['trid'], tail: ['length'] }, 1)).toEqual(['length']);
    expect(fieldNamesFor({ fields: ['trid'], tail: ['length'] }, 0)).toEqual([]);
  });
  it('tells list lines in and outside a SYN reply apart', () => {
    expect(named('BLP', 'server', 'NS', 8, 'AL')).toEqual(['privacyMode']);
    expect(named('BLP', 'server', 'NS', 7, '5 1 AL')).toEqual(['trid', 'listVersion', 'privacyMode']);
    expect(named('LSG', 'server', 'NS', 8, '0 Other%20Contacts 0')).toEqual(['groupId', 'groupName', 'unused']);
    expect(named('ADL', 'server', 'NS', 15, '6 OK')).toEqual(['trid', 'status']);
    expect(named('ADL', 'server', 'NS', 15, '0 63')).toEqual(['trid', 'length']);
  });
});
