import { describe, expect, it } from 'vitest';
import { PAYLOAD_TABLE, payloadEntry, payloadRule, payloadTableFor } from './payload-table.ts';
import type { Direction, FramingContext, ServerKind } from './types.ts';

const ctx = (direction: Direction, version: number, server: ServerKind = 'NS'): FramingContext => ({ direction, server, version });
/** Splits a wire line into verb and args the way the framer does. */
const rule = (line: string, c: FramingContext) => {
  const [verb, ...args] = line.split(' ');
  return payloadRule(verb, args, c);
};

describe('payload table: lines that end in a number but carry no payload', () => {
  it.each([
    ['CHL 0 15570131571988941333', ctx('server', 8)],
    ['CHL 0 237191752526424888127371168', ctx('server', 15)],
    ['QNG 50', ctx('server', 9)],
    ['QRY 10', ctx('server', 11)],
    ['USR 7 OK a@b.c Name 1 0', ctx('server', 8)],
    ['IRO 1 1 1 a@b.c Name 1085276208', ctx('server', 14, 'SB')],
    ['CAL 2 RINGING 11752013', ctx('server', 8, 'SB')],
    ['SYN 8 1', ctx('server', 8)],
    ['SYN 8 1', ctx('client', 8)],
    ['LSG 0 Other%20Contacts 0', ctx('server', 8)],
    ['ILN 6 NLN a@b.c a@b.c 0', ctx('server', 8)],
    ['CHG 7 NLN 0', ctx('client', 8)],
    ['201 19', ctx('server', 15)],
    ['ADL 6 OK', ctx('server', 15)],
    ['UUN 5 OK', ctx('server', 15)],
    ['GCF 4 Shields.xml', ctx('client', 13)],
    ['GCF 4 Shields.xml', ctx('server', 13)],
    ['XFR 22 SB 64.4.61.27:1863 CKI 229374259.2195180.591125 U messenger.msn.com 1', ctx('server', 14)],
    ['RNG 797997072 65.54.189.181:1863 CKI 5920759.122183168 a@live.com a@live.com U messenger.msn.com 1', ctx('server', 14)],
    ['JOI a@b.c Name 1342177280', ctx('server', 12, 'SB')],
    ['PUT 9 OK', ctx('server', 21)],
  ])('%s is not a payload command', (line, c) => {
    expect(rule(line, c)).toBe(false);
  });

  it('numeric errors carry no payload before MSNP13, even with a numeric third token', () => {
    expect(rule('241 9 120', ctx('server', 12))).toBe(false);
    expect(rule('241 9 120', ctx('server', 13))).toBe(true);
  });
});

describe('payload table: payload commands', () => {
  it.each([
    ['UUX 21 0', ctx('server', 11)],
    ['UUX 21 48', ctx('client', 11)],
    ['QRY 10 PROD0090YUAUV{2B 32', ctx('client', 11)],
    ['QRY 10 msmsgs@msnmsgr.com 32', ctx('client', 6)],
    ['ADL 0 63', ctx('server', 13)],
    ['ADL 6 63', ctx('client', 13)],
    ['RML 7 40', ctx('client', 13)],
    ['PUT 9 OK 120', ctx('server', 21)],
    ['PUT 9 120', ctx('client', 21)],
    ['GCF 5 Shields.xml 1187', ctx('server', 11)],
    ['GCF 0 1187', ctx('server', 15)],
    ['UBX a@b.c 48', ctx('server', 11)],
    ['UBX a@b.c 1 48', ctx('server', 14)],
    ['UBX 1:a@b.c 0', ctx('server', 18)],
    ['MSG 3 N 133', ctx('client', 2, 'SB')],
    ['MSG 3 D 1300', ctx('client', 9, 'SB')],
    ['MSG a@b.c Name 140', ctx('server', 8, 'SB')],
    ['MSG Hotmail Hotmail 1441', ctx('server', 7)],
    ['NOT 300', ctx('server', 5)],
    ['IPG 200', ctx('server', 6)],
    ['SDC 4 a@b.c 0x0409 MSMSGS WindowsMessenger X X Name 12', ctx('client', 5)],
    ['PAG 4 a@b.c 20', ctx('client', 8)],
    ['PGD 4 a@b.c 1 20', ctx('client', 9)],
    ['UUN 5 a@b.c 3 20', ctx('client', 13)],
    ['UBN a@b.c 1 20', ctx('server', 13)],
    ['FQY 5 50', ctx('client', 14)],
    ['FQY 5 50', ctx('server', 14)],
    ['UUM 5 a@yahoo.com 32 1 20', ctx('client', 14)],
    ['UBM a@yahoo.com 32 1 1 2 20', ctx('server', 14)],
    ['SDG 5 300', ctx('client', 21)],
    ['SDG 0 300', ctx('server', 21)],
    ['NFY PUT 300', ctx('server', 21)],
    ['DEL 6 90', ctx('client', 21)],
    ['241 9 120', ctx('server', 15)],
    ['509 9 80', ctx('server', 18, 'SB')],
  ])('%s carries a payload', (line, c) => {
    expect(rule(line, c)).toBe(true);
  });
});

describe('payload table: version, direction and server gating', () => {
  it('PAG exists MSNP5-8 and PGD from MSNP9', () => {
    expect(rule('PAG 4 a@b.c 20', ctx('client', 4))).toBe(false);
    expect(rule('PAG 4 a@b.c 20', ctx('client', 5))).toBe(true);
    expect(rule('PAG 4 a@b.c 20', ctx('client', 9))).toBe(false);
    expect(rule('PGD 4 a@b.c 1 20', ctx('client', 8))).toBe(false);
  });

  it('NOT from MSNP5, IPG and QRY from MSNP6, UUX/UBX/GCF from MSNP11, ADL from MSNP13, UBM from MSNP14, SDG from MSNP21', () => {
    expect(rule('NOT 300', ctx('server', 4))).toBe(false);
    expect(rule('IPG 200', ctx('server', 5))).toBe(false);
    expect(rule('QRY 10 x 32', ctx('client', 5))).toBe(false);
    expect(rule('UUX 21 48', ctx('client', 10))).toBe(false);
    expect(rule('UBX a@b.c 48', ctx('server', 10))).toBe(false);
    expect(rule('GCF 0 1187', ctx('server', 10))).toBe(false);
    expect(rule('ADL 6 63', ctx('client', 12))).toBe(false);
    expect(rule('UBM a b c d e 20', ctx('server', 13))).toBe(false);
    expect(rule('SDG 0 300', ctx('server', 18))).toBe(false);
  });

  it('is keyed by direction: the server QRY and client GCF never carry one', () => {
    expect(rule('QRY 10 x 32', ctx('server', 11))).toBe(false);
    expect(rule('GCF 4 Shields.xml 10', ctx('client', 13))).toBe(false);
    expect(rule('NOT 300', ctx('client', 8))).toBe(false);
  });

  it('is keyed by server kind: NS-only payload verbs are not payloads on a switchboard; MSG is on both', () => {
    expect(rule('UBX a@b.c 48', ctx('server', 11, 'SB'))).toBe(false);
    expect(rule('ADL 6 63', ctx('client', 13, 'SB'))).toBe(false);
    expect(rule('MSG 3 N 133', ctx('client', 8, 'NS'))).toBe(true);
    expect(rule('MSG a b 1', ctx('server', 8, 'SB'))).toBe(true);
  });

  it('MSG is a payload command in every version from MSNP2, both ways', () => {
    for (let v = 2; v <= 21; v++) {
      expect(rule('MSG 1 U 5', ctx('client', v, 'SB'))).toBe(true);
      expect(rule('MSG a b 5', ctx('server', v, 'SB'))).toBe(true);
    }
  });

  it('`always` entries say yes even when the last token is not a number (the framer reports it)', () => {
    expect(rule('MSG 1 N abc', ctx('client', 8, 'SB'))).toBe(true);
    expect(payloadEntry('MSG', ctx('client', 8, 'SB'))?.form).toBe('always');
  });
});

describe('payload table data', () => {
  it('every entry is well-formed and within MSNP2..21', () => {
    for (const e of PAYLOAD_TABLE) {
      expect(e.verb).toMatch(/^(?:[A-Z]{3}|NNN)$/);
      expect(e.since).toBeGreaterThanOrEqual(2);
      expect(e.until ?? 21).toBeLessThanOrEqual(21);
      expect(e.until ?? 21).toBeGreaterThanOrEqual(e.since);
      expect(e.servers.length).toBeGreaterThan(0);
      if (e.form === 'last-numeric') expect(e.minArgs).toBeGreaterThanOrEqual(1);
    }
  });

  it('resolves one verb map per context', () => {
    const t8 = payloadTableFor(ctx('client', 8, 'SB'));
    expect([...t8.keys()].sort()).toEqual(['MSG']);
    const t2 = payloadTableFor(ctx('server', 2));
    expect([...t2.keys()]).toEqual(['MSG']);
    const t15 = payloadTableFor(ctx('server', 15));
    expect([...t15.keys()].sort()).toEqual(['ADL', 'FQY', 'GCF', 'IPG', 'MSG', 'NNN', 'NOT', 'RML', 'UBM', 'UBN', 'UBX', 'UUX']);
  });
});
