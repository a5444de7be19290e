// Challenge answers (CHL/QRY) and the MSNP2-7 MD5 login hash.
// The QRY algorithm is implemented from the prose in the reference (section 6.5); its products
// exceed 2^53, so it runs on BigInt.
import { md5 } from '@noble/hashes/legacy.js';

const utf8 = new TextEncoder();

function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? utf8.encode(input) : input;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function md5Hex(input: Uint8Array | string): string {
  return hex(md5(toBytes(input)));
}

/** MSNP2-7 `USR MD5 S`: the client's answer to the server's salt. */
export function md5LoginHash(salt: string, password: string): string {
  return md5Hex(salt + password);
}

export type ChallengeAlgorithm = 'basic' | 'qry';

export interface ProductKey {
  productId: string;
  key: string;
  algorithm: ChallengeAlgorithm;
  /** Lowest MSNP version this pair is accepted for. */
  minVersion: number;
  /** Highest MSNP version this pair is accepted for. */
  maxVersion: number;
}

const basic = (productId: string, key: string): ProductKey => ({
  productId, key, algorithm: 'basic', minVersion: 6, maxVersion: 10,
});
const qry = (productId: string, key: string, minVersion: number): ProductKey => ({
  productId, key, algorithm: 'qry', minVersion, maxVersion: 21,
});

/** Product ID / private key pairs (reference 6.5). The first pair of each range is its default. */
export const PRODUCT_KEYS: readonly ProductKey[] = [
  basic('msmsgs@msnmsgr.com', 'Q1P7W2E4J9R8U3S5'),
  basic('PROD0038W!61ZTF9', 'VT6PX?UQTM4WM%YR'),
  basic('PROD0058#7IL2{QD', 'QHDCY@7R1TB6W?5B'),
  basic('PROD0061VRRZH@4F', 'JXQ6J@TUOGYV@N0M'),
  basic('PROD00504RLUG%WL', 'I2EBK%PYNLZL5_J4'),
  basic('PROD0076ENE8*@AW', 'CEQJ8}OE0!WTSWII'),
  qry('PROD0090YUAUV{2B', 'YMM8C_H7KCQ2S_KL', 11),
  qry('PROD0101{0RM?UBW', 'CFHUR$52U_{VIX5T', 11),
  qry('PROD01065C%ZFN6F', 'O4BG@C7BWLYQX?5G', 13),
  qry('PROD0112J1LW7%NB', 'RH96F{PHI8PPX_TJ', 13),
  qry('PROD0113H11T8$X_', 'RG@XY*28Q5QHS%Q5', 15),
  qry('PROD0114ES4Z%Q5W', 'PK}_A_0N_K%O?A9S', 15),
  qry('PROD0118R6%2WYOS', 'YIXPX@5I2P0UT*LK', 15),
  qry('PROD0119GSJUC$18', 'ILTXC!4IXB5FB*PX', 15),
  qry('PROD0120PW!CCV9@', 'C1BX{V4W}Q3*10SM', 15),
];

/** Which algorithm a version uses; null below MSNP6, which has no challenges. */
export function challengeAlgorithm(version: number): ChallengeAlgorithm | null {
  if (!Number.isInteger(version) || version < 6 || version > 21) return null;
  return version <= 10 ? 'basic' : 'qry';
}

/** Pairs accepted for `version`, default first (the newest range that applies). */
export function productKeysFor(version: number): ProductKey[] {
  const algorithm = challengeAlgorithm(version);
  if (algorithm === null) return [];
  const fits = PRODUCT_KEYS.filter(
    (p) => p.algorithm === algorithm && version >= p.minVersion && version <= p.maxVersion,
  );
  // Newer clients send the newest product ID of their range, so it goes first.
  return fits.sort((a, b) => b.minVersion - a.minVersion);
}

export function findProductKey(productId: string): ProductKey | undefined {
  return PRODUCT_KEYS.find((p) => p.productId === productId);
}

/** MSNP6-10: MD5(challenge ‖ key) as lower-case hex. */
export function basicChallengeAnswer(challenge: string, key: string): string {
  return md5Hex(challenge + key);
}

const MOD = 0x7fffffffn;
const MAGIC = 0x0e79a9c1n;

function readUint32LE(bytes: Uint8Array, at: number): bigint {
  return BigInt(
    (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0,
  );
}

function writeUint32LE(out: Uint8Array, at: number, value: bigint): void {
  const v = Number(value & 0xffffffffn);
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

/** MSNP11+: the QRY answer for a challenge and a product ID / key pair. */
export function qryChallengeAnswer(challenge: string, productId: string, key: string): string {
  const digest = md5(utf8.encode(challenge + key));
  const h = [0, 4, 8, 12].map((at) => readUint32LE(digest, at));
  const [m0, m1, m2, m3] = h.map((w) => w & 0x7fffffffn);

  const raw = utf8.encode(challenge + productId);
  const padded = new Uint8Array(Math.ceil(raw.length / 8) * 8).fill(0x30);
  padded.set(raw);

  let high = 0n;
  let low = 0n;
  for (let at = 0; at < padded.length; at += 8) {
    const a = readUint32LE(padded, at);
    const b = readUint32LE(padded, at + 4);
    let t = (a * MAGIC) % MOD;
    t = (m0 * (t + high) + m1) % MOD;
    high = (m2 * ((b + t) % MOD) + m3) % MOD;
    low += high + t;
  }
  high = (high + m1) % MOD;
  low = (low + m3) % MOD;

  const out = new Uint8Array(16);
  const mask = [high, low, high, low];
  for (let i = 0; i < 4; i++) writeUint32LE(out, i * 4, h[i] ^ mask[i]);
  return hex(out);
}

export type ChallengeAnswer =
  | { ok: true; answer: string; productId: string; algorithm: ChallengeAlgorithm }
  | { ok: false; reason: string };

/** Longest challenge accepted: real ones are 20-27 digits; this only stops runaway input. */
export const MAX_CHALLENGE_LENGTH = 256;

function pickKey(version: number, productId?: string): ProductKey | string {
  const algorithm = challengeAlgorithm(version);
  if (algorithm === null) return `MSNP${version} has no challenges (CHL/QRY start at MSNP6)`;
  if (productId === undefined) return productKeysFor(version)[0];
  const pair = findProductKey(productId);
  if (!pair) return `unknown product ID "${productId}"`;
  if (pair.algorithm !== algorithm || version < pair.minVersion || version > pair.maxVersion) {
    return `product ID "${productId}" is not accepted in MSNP${version}`;
  }
  return pair;
}

/** The client's answer to `CHL 0 {challenge}`, i.e. the QRY payload. */
export function challengeAnswer(challenge: string, version: number, productId?: string): ChallengeAnswer {
  if (challenge.length === 0) return { ok: false, reason: 'empty challenge' };
  if (challenge.length > MAX_CHALLENGE_LENGTH) {
    return { ok: false, reason: `challenge longer than ${MAX_CHALLENGE_LENGTH} characters` };
  }
  const pair = pickKey(version, productId);
  if (typeof pair === 'string') return { ok: false, reason: pair };
  const answer = pair.algorithm === 'basic'
    ? basicChallengeAnswer(challenge, pair.key)
    : qryChallengeAnswer(challenge, pair.productId, pair.key);
  return { ok: true, answer, productId: pair.productId, algorithm: pair.algorithm };
}

export interface ChallengeVerdict {
  ok: boolean;
  /** The expected answer, when one could be computed. */
  expected: string | null;
  reason: string;
}

/** Checks a QRY answer the way a server does: the product ID picks the key. */
export function verifyChallenge(
  challenge: string,
  answer: string,
  version: number,
  productId?: string,
): ChallengeVerdict {
  const computed = challengeAnswer(challenge, version, productId);
  if (!computed.ok) return { ok: false, expected: null, reason: computed.reason };
  // Servers compare the lower-case hex exactly, so upper case is a mismatch worth naming.
  const ok = computed.answer === answer;
  let reason = 'answer matches';
  if (!ok) {
    reason = computed.answer === answer.toLowerCase()
      ? 'answer is upper-case hex; servers expect lower case'
      : `answer does not match (expected ${computed.answer})`;
  }
  return { ok, expected: computed.answer, reason };
}
