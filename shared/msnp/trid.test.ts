import { describe, expect, it } from 'vitest';
import { hasTridSlot, parseTrid, tridOf } from './trid.ts';
import type { Direction, FramingContext, ServerKind } from './types.ts';

const ctx = (direction: Direction, version: number, server: ServerKind = 'NS'): FramingContext => ({ direction, server, version });
const trid = (line: string, c: FramingContext) => {
  const [verb, ...args] = line.split(' ');
  return tridOf(verb, args, c);
};

describe('TrID position', () => {
  it('client commands carry a TrID first, except PNG and OUT', () => {
    const c = ctx('client', 8);
    expect(trid('VER 1 MSNP8 CVR0', c)).toBe(1);
    expect(trid('USR 3 TWN I a@b.c', c)).toBe(3);
    expect(trid('QRY 10 PROD0090YUAUV{2B 32', c)).toBe(10);
    expect(trid('MSG 3 A 151', ctx('client', 8, 'SB'))).toBe(3);
    expect(trid('PNG', c)).toBeNull();
    expect(trid('OUT', c)).toBeNull();
    expect(hasTridSlot('OUT', [], c)).toBe(false);
  });

  it.each(['NLN NLN a@b.c Name 0', 'FLN a@b.c', 'UBX a@b.c 48', 'UBN a@b.c 1 20', 'UBM a b c d e 20', 'NOT 300', 'IPG 200',
    'RNG 11752013 1.2.3.4:1863 CKI 849102291.520491113 a@b.c Alice', 'MSG Hotmail Hotmail 1441', 'JOI a@b.c Name', 'BYE a@b.c 1',
    'QNG 50', 'OUT OTH', 'BPR 3 a@b.c PHH', 'NFY PUT 300'])('server %s is asynchronous (no TrID)', (line) => {
    expect(trid(line, ctx('server', 15))).toBeNull();
    expect(trid(line, ctx('server', 7))).toBeNull();
  });

  it.each(['CHL 0 15570131571988941333', 'SBS 0 null', 'GCF 0 1187', 'ADL 0 63', 'SDG 0 300'])('server %s has TrID 0', (line) => {
    expect(trid(line, ctx('server', 21))).toBe(0);
  });

  it('MSNP8+ SYN list lines have no TrID; `LSG 0 Other%20Contacts 0` has a group ID, not a TrID', () => {
    const c = ctx('server', 8);
    expect(trid('LSG 0 Other%20Contacts 0', c)).toBeNull();
    expect(trid('LST a@b.c a@b.c 11 0', c)).toBeNull();
    expect(trid('LST N=a@b.c F=A C=1234 11 0', ctx('server', 11))).toBeNull();
    expect(trid('GTC A', c)).toBeNull();
    expect(trid('BLP AL', c)).toBeNull();
    expect(trid('PRP MFN Alice', ctx('server', 10))).toBeNull();
    expect(trid('SYN 5 1 1 1', c)).toBe(5);
  });

  it('MSNP8+ GTC/BLP/PRP answering the client keep their TrID', () => {
    expect(trid('BLP 5 AL', ctx('server', 15))).toBe(5);
    expect(trid('BLP 12 44 BL', ctx('server', 8))).toBe(12);
    expect(trid('GTC 7 A', ctx('server', 10))).toBe(7);
    expect(trid('PRP 9 MFN Alice', ctx('server', 10))).toBe(9);
  });

  it('MSNP2-7 list lines carry the SYN TrID', () => {
    const c = ctx('server', 7);
    expect(trid('LSG 6 1 1 1 0 Other%20Contacts 0', c)).toBe(6);
    expect(trid('LST 6 FL 1 0 0', c)).toBe(6);
    expect(trid('GTC 6 1 A', c)).toBe(6);
    expect(trid('BLP 6 1 AL', c)).toBe(6);
  });

  it('server replies echo the TrID; ILN carries the CHG TrID', () => {
    const c = ctx('server', 8);
    expect(trid('VER 1 MSNP8', c)).toBe(1);
    expect(trid('CAL 2 RINGING 11752013', ctx('server', 8, 'SB'))).toBe(2);
    expect(trid('IRO 1 1 1 a@b.c Name 1085276208', ctx('server', 14, 'SB'))).toBe(1);
    expect(trid('ILN 6 NLN a@b.c a@b.c 0', c)).toBe(6);
    expect(trid('QRY 10', ctx('server', 11))).toBe(10);
    expect(trid('UUX 21 0', ctx('server', 11))).toBe(21);
    expect(trid('ACK 3', ctx('server', 8, 'SB'))).toBe(3);
  });

  it('numeric errors carry `NNN TrID`; a missing TrID gives null', () => {
    expect(trid('201 19', ctx('server', 8))).toBe(19);
    expect(trid('241 9 120', ctx('server', 15))).toBe(9);
    expect(trid('208', ctx('server', 8, 'SB'))).toBeNull();
  });

  it('a TrID must be decimal digits within 32 bits', () => {
    expect(parseTrid('0')).toBe(0);
    expect(parseTrid('4294967295')).toBe(4294967295);
    expect(parseTrid('4294967296')).toBeNull();
    expect(parseTrid('12345678901')).toBeNull();
    expect(parseTrid('-1')).toBeNull();
    expect(parseTrid('1e3')).toBeNull();
    expect(parseTrid('')).toBeNull();
    expect(parseTrid(undefined)).toBeNull();
    expect(trid('CHG x NLN', ctx('client', 8))).toBeNull();
    expect(hasTridSlot('CHG', ['x', 'NLN'], ctx('client', 8))).toBe(true);
  });
});
