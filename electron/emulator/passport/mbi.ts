// The MBI_KEY_OLD answer of MSNP15+ SSO (`USR t SSO S <ticket> <answer>`): the client proves it
// holds the RST BinarySecret by keying an HMAC and a 3DES encryption of the NS nonce with keys
// derived from it. The notification server can check an answer with verifyMbiResponse; test
// clients can produce one with computeMbiResponse.
//
// Layout of the decoded answer (128 bytes): seven little-endian uint32 header fields
// (header size 28, crypt mode 1 = CBC, cipher 0x6603 = 3DES, hash 0x8004 = SHA-1, IV length 8,
// hash length 20, cipher length), then IV, HMAC-SHA1(key2, nonce), 3DES-CBC(key3, IV, nonce + 8×0x08).
import { createCipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const HASH_MAGIC = 'WS-SecureConversationSESSION KEY HASH';
const ENCRYPTION_MAGIC = 'WS-SecureConversationSESSION KEY ENCRYPTION';
const HEADER_SIZE = 28;

function hmac(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha1', key);
  for (const part of parts) h.update(part);
  return h.digest();
}

/** 24-byte key derived from the proof key and a label (the WS-SecureConversation P_SHA1 pattern). */
export function deriveMbiKey(key: Buffer, label: string): Buffer {
  const magic = Buffer.from(label, 'latin1');
  const a1 = hmac(key, magic);
  const a2 = hmac(key, a1);
  return Buffer.concat([hmac(key, a1, magic), hmac(key, a2, magic).subarray(0, 4)]);
}

function encrypt(binarySecret: string, nonce: string, iv: Buffer): { hash: Buffer; cipher: Buffer } {
  const key1 = Buffer.from(binarySecret, 'base64');
  const nonceBytes = Buffer.from(nonce, 'latin1');
  const hash = hmac(deriveMbiKey(key1, HASH_MAGIC), nonceBytes);
  const des = createCipheriv('des-ede3-cbc', deriveMbiKey(key1, ENCRYPTION_MAGIC), iv);
  des.setAutoPadding(false);
  // The nonce is padded with eight 0x08 bytes whatever its length; clients send 64-byte nonces.
  const padded = Buffer.concat([nonceBytes, Buffer.alloc(8, 8)]);
  if (padded.length % 8 !== 0) throw new RangeError('the nonce length must be a multiple of 8 bytes');
  return { hash, cipher: Buffer.concat([des.update(padded), des.final()]) };
}

/** The base64 answer a client sends for `nonce` (the text after `MBI_KEY_OLD`) with the RST BinarySecret. */
export function computeMbiResponse(binarySecret: string, nonce: string, iv: Buffer = randomBytes(8)): string {
  if (iv.length !== 8) throw new RangeError('the IV is 8 bytes');
  const { hash, cipher } = encrypt(binarySecret, nonce, iv);
  const header = Buffer.alloc(HEADER_SIZE);
  [HEADER_SIZE, 1, 0x6603, 0x8004, 8, hash.length, cipher.length].forEach((v, i) => header.writeUInt32LE(v, i * 4));
  return Buffer.concat([header, iv, hash, cipher]).toString('base64');
}

/** True when `response` is the MBI answer to `nonce` for this BinarySecret. Never throws. */
export function verifyMbiResponse(binarySecret: string, nonce: string, response: string): boolean {
  try {
    if (typeof response !== 'string' || response.length > 1024 || typeof nonce !== 'string' || nonce.length > 256) return false;
    const raw = Buffer.from(response, 'base64');
    if (raw.length < HEADER_SIZE + 8) return false;
    const field = (i: number) => raw.readUInt32LE(i * 4);
    if (field(0) !== HEADER_SIZE || field(4) !== 8) return false;
    const iv = raw.subarray(HEADER_SIZE, HEADER_SIZE + 8);
    const expected = Buffer.from(computeMbiResponse(binarySecret, nonce, iv), 'base64');
    return expected.length === raw.length && timingSafeEqual(expected, raw);
  } catch {
    return false;
  }
}
