import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeMbiResponse, deriveMbiKey, verifyMbiResponse } from './mbi.ts';

// A 24-byte proof key and a 64-character nonce, the sizes real logins use.
const secret = Buffer.from('0123456789abcdefghijklmn').toString('base64');
const nonce = 'UXXGjLLz+pVHq7mULreaTasUFrLTjGftsJxgIoeoo5m3wjhvweKu0yslwC55cepU';

describe('MBI_KEY_OLD answer', () => {
  it('has the 28-byte little-endian header, IV, SHA-1 HMAC and 72 cipher bytes', () => {
    const iv = Buffer.from('0011223344556677', 'hex');
    const raw = Buffer.from(computeMbiResponse(secret, nonce, iv), 'base64');
    expect(raw).toHaveLength(128);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => raw.readUInt32LE(i * 4))).toEqual([28, 1, 0x6603, 0x8004, 8, 20, 72]);
    expect(raw.subarray(28, 36)).toEqual(iv);
    // The cipher text decrypts, with the encryption key derived from the secret, to nonce + 8 x 0x08.
    const key3 = deriveMbiKey(Buffer.from(secret, 'base64'), 'WS-SecureConversationSESSION KEY ENCRYPTION');
    expect(key3).toHaveLength(24);
    const des = createDecipheriv('des-ede3-cbc', key3, iv);
    des.setAutoPadding(false);
    const plain = Buffer.concat([des.update(raw.subarray(56)), des.final()]);
    expect(plain.toString('latin1')).toBe(nonce + '\x08'.repeat(8));
  });

  it('verifies a right answer and refuses wrong secret, nonce, tampering and garbage without throwing', () => {
    const answer = computeMbiResponse(secret, nonce);
    expect(verifyMbiResponse(secret, nonce, answer)).toBe(true);
    expect(verifyMbiResponse(Buffer.alloc(24, 1).toString('base64'), nonce, answer)).toBe(false);
    expect(verifyMbiResponse(secret, nonce.replace('U', 'V'), answer)).toBe(false);
    const tampered = Buffer.from(answer, 'base64');
    tampered[100] ^= 1;
    expect(verifyMbiResponse(secret, nonce, tampered.toString('base64'))).toBe(false);
    for (const junk of ['', 'x', '!!!!', 'A'.repeat(5000), null as unknown as string]) expect(verifyMbiResponse(secret, nonce, junk)).toBe(false);
    expect(verifyMbiResponse(secret, 'odd-length', answer)).toBe(false);
  });
});
