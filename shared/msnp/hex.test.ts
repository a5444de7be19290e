import { describe, expect, it } from 'vitest';
import { hexDump, toHex } from './hex.ts';
import { isReadableText, urlDecode, utf8Text } from './text.ts';

describe('hexDump', () => {
  it('prints offsets, two groups of 8 and an ASCII column', () => {
    const bytes = new TextEncoder().encode('Hello, MSN P2P!\r\n\u0000');
    expect(hexDump(bytes).lines).toEqual([
      '00000000  48 65 6c 6c 6f 2c 20 4d  53 4e 20 50 32 50 21 0d  |Hello, MSN P2P!.|',
      '00000010  0a 00                                             |..|',
    ]);
    expect(hexDump(new Uint8Array(0))).toEqual({ lines: [], totalBytes: 0, shownBytes: 0, truncated: false });
  });

  it('applies the byte limit and a base offset', () => {
    const d = hexDump(new Uint8Array(100), { maxBytes: 32, baseOffset: 0x30 });
    expect(d).toMatchObject({ totalBytes: 100, shownBytes: 32, truncated: true });
    expect(d.lines).toHaveLength(3);
    expect(d.lines[1].startsWith('00000040  ')).toBe(true);
    expect(d.lines[2]).toBe('... 68 more bytes not shown (100 in all)');
  });

  it('formats plain hex', () => {
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    expect(toHex(new Uint8Array([1, 2]), ' ')).toBe('01 02');
  });
});

describe('text helpers', () => {
  it('URL-decodes UTF-8 and keeps every bad escape raw', () => {
    expect(urlDecode('Example%20Name')).toBe('Example Name');
    expect(urlDecode('%E2%9C%93 ok')).toBe('✓ ok');
    expect(urlDecode('%')).toBe('%');
    expect(urlDecode('50%')).toBe('50%');
    expect(urlDecode('%g1%2')).toBe('%g1%2');
    expect(urlDecode('%FF%E2%9C')).toBe('%FF%E2%9C');
    expect(urlDecode('a+b')).toBe('a+b');
    expect(urlDecode('%00')).toBe('\u0000');
  });

  it('tells readable text from binary', () => {
    expect(isReadableText(new TextEncoder().encode('héllo\r\n\tok'))).toBe(true);
    expect(isReadableText(new Uint8Array([0x41, 0x00]))).toBe(false);
    expect(isReadableText(new Uint8Array([0xc3]))).toBe(false);
    expect(utf8Text(new Uint8Array([0x41, 0xff]))).toBe('A\uFFFD');
  });
});
