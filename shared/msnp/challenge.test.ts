import { describe, expect, it } from 'vitest';
import {
  PRODUCT_KEYS, basicChallengeAnswer, challengeAlgorithm, challengeAnswer, findProductKey,
  md5Hex, md5LoginHash, productKeysFor, qryChallengeAnswer, verifyChallenge,
} from './challenge.ts';

// Vectors from the reference, section 3.4 (JML, Y111, HYP-PING, ECF, RBSPEC); copied here so the
// test never reads /work/shared.
const BASIC_VECTORS: Array<[string, string]> = [
  ['22299241447072743325', '20dba7e6e9817826b9cd5240cc8add99'],
  ['12345678901234567890', '8ba1bb9d6dbf624fee31a2053af5fdd0'],
  ['15570131571988941333', '8f2f5a91b72102cd28355e9fc9000d6e'],
];
const MSNP11_VECTORS: Array<[string, string]> = [
  ['22210219642164014968', '85ecb0db8f32113df79ce0892b9a102c'],
  ['36819795137093047918', 'e7ad3cb09d3e9e4e7c720175984809e9'],
  ['21948129323261853323', '59bcf63ed21f44906c3d3e121ddbed65'],
  ['41525959199453244913', 'dcb8ff529e4dd12cc43389851128d2db'],
  ['31744216663023315951', 'd15553d0ea89c9f63bbb98a208fa4235'],
  ['14494180082586329971', '4e11d4cd56a65bdf04f60aa133db7ebc'],
];
const MSNP15_VECTORS: Array<[string, string]> = [
  ['11533365622852247127', 'f086d1ded067186deca8dba2231602cf'],
  ['237191752526424888127371168', '65b6b623c649c25629af048d34066040'],
];

describe('md5', () => {
  it('hashes strings and bytes alike', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
  it('computes the MSNP2-7 login hash as md5(salt + password)', () => {
    expect(md5LoginHash('1013928519.693957190', 'password')).toBe(md5Hex('1013928519.693957190password'));
    expect(md5LoginHash('1013928519.693957190', 'password')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('basic challenge (MSNP6-10)', () => {
  it.each(BASIC_VECTORS)('CHL %s', (challenge, expected) => {
    expect(basicChallengeAnswer(challenge, 'Q1P7W2E4J9R8U3S5')).toBe(expected);
    expect(challengeAnswer(challenge, 8)).toEqual({
      ok: true, answer: expected, productId: 'msmsgs@msnmsgr.com', algorithm: 'basic',
    });
    expect(verifyChallenge(challenge, expected, 9, 'msmsgs@msnmsgr.com').ok).toBe(true);
  });
});

describe('QRY challenge (MSNP11+)', () => {
  it.each(MSNP11_VECTORS)('PROD0090 %s', (challenge, expected) => {
    expect(qryChallengeAnswer(challenge, 'PROD0090YUAUV{2B', 'YMM8C_H7KCQ2S_KL')).toBe(expected);
    const answer = challengeAnswer(challenge, 11, 'PROD0090YUAUV{2B');
    expect(answer).toEqual({ ok: true, answer: expected, productId: 'PROD0090YUAUV{2B', algorithm: 'qry' });
    expect(verifyChallenge(challenge, expected, 12, 'PROD0090YUAUV{2B').ok).toBe(true);
  });
  it.each(MSNP15_VECTORS)('PROD0113 %s', (challenge, expected) => {
    expect(qryChallengeAnswer(challenge, 'PROD0113H11T8$X_', 'RG@XY*28Q5QHS%Q5')).toBe(expected);
    expect(challengeAnswer(challenge, 15)).toMatchObject({ ok: true, answer: expected, productId: 'PROD0113H11T8$X_' });
  });
  it('uses MSNP11 default product ID for version 11-12', () => {
    expect(challengeAnswer(MSNP11_VECTORS[0][0], 12)).toMatchObject({
      ok: true, answer: MSNP11_VECTORS[0][1], productId: 'PROD0090YUAUV{2B',
    });
  });
  it('gives a 32-char lower-case hex answer for every product ID in the table', () => {
    for (const p of PRODUCT_KEYS) {
      const a = challengeAnswer('29409134351025259292', p.minVersion, p.productId);
      expect(a.ok && /^[0-9a-f]{32}$/.test(a.answer)).toBe(true);
    }
  });
});

describe('product table and bad input', () => {
  it('maps versions to algorithms', () => {
    expect(challengeAlgorithm(5)).toBeNull();
    expect(challengeAlgorithm(6)).toBe('basic');
    expect(challengeAlgorithm(10)).toBe('basic');
    expect(challengeAlgorithm(11)).toBe('qry');
    expect(challengeAlgorithm(21)).toBe('qry');
    expect(challengeAlgorithm(22)).toBeNull();
    expect(challengeAlgorithm(Number.NaN)).toBeNull();
  });
  it('lists pairs by version with the newest range first', () => {
    expect(productKeysFor(8)).toHaveLength(6);
    expect(productKeysFor(13)[0].productId).toBe('PROD01065C%ZFN6F');
    expect(productKeysFor(13).map((p) => p.productId)).toContain('PROD0090YUAUV{2B');
    expect(productKeysFor(15)[0].productId).toBe('PROD0113H11T8$X_');
    expect(productKeysFor(4)).toEqual([]);
    expect(findProductKey('PROD0120PW!CCV9@')?.key).toBe('C1BX{V4W}Q3*10SM');
    expect(findProductKey('nope')).toBeUndefined();
  });
  it('answers bad input with a reason instead of throwing', () => {
    expect(challengeAnswer('123', 5)).toEqual({ ok: false, reason: expect.stringContaining('no challenges') });
    expect(challengeAnswer('', 8)).toEqual({ ok: false, reason: 'empty challenge' });
    expect(challengeAnswer('1'.repeat(257), 8)).toMatchObject({ ok: false });
    expect(challengeAnswer('123', 11, 'PROD9999')).toMatchObject({ ok: false, reason: expect.stringContaining('unknown product ID') });
    // A basic-era ID is refused by the QRY era and vice versa; newer IDs are refused by older versions.
    expect(challengeAnswer('123', 11, 'msmsgs@msnmsgr.com')).toMatchObject({ ok: false });
    expect(challengeAnswer('123', 8, 'PROD0090YUAUV{2B')).toMatchObject({ ok: false });
    expect(challengeAnswer('123', 12, 'PROD0113H11T8$X_')).toMatchObject({ ok: false });
  });
  it('verifies answers strictly', () => {
    const [challenge, expected] = MSNP11_VECTORS[1];
    expect(verifyChallenge(challenge, '0'.repeat(32), 11)).toEqual({
      ok: false, expected, reason: `answer does not match (expected ${expected})`,
    });
    expect(verifyChallenge(challenge, expected.toUpperCase(), 11)).toMatchObject({ ok: false, reason: expect.stringContaining('upper-case') });
    expect(verifyChallenge(challenge, expected, 4)).toMatchObject({ ok: false, expected: null });
  });
});
