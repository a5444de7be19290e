import { describe, expect, it } from 'vitest';
import { MAX_MIME_HEADERS, mimeHeader, parseHeaderLines, parseMime } from './mime.ts';

const enc = new TextEncoder();

describe('parseMime', () => {
  it('splits at the first CRLFCRLF and keeps header order and byte offsets', () => {
    const bytes = enc.encode('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nbody\r\n\r\nmore é');
    const v = parseMime(bytes);
    expect(v.headers).toEqual([['MIME-Version', '1.0'], ['Content-Type', 'text/plain; charset=UTF-8']]);
    expect(v.blocks).toEqual([v.headers]);
    expect(v.bodyText).toBe('body\r\n\r\nmore é');
    expect(v.bodyOffset).toBe(62);
    expect(v.body).toEqual(bytes.subarray(62));
    expect(v.headerText).toBe('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n');
    expect(v.separatorFound).toBe(true);
    expect(mimeHeader(v, 'content-type')).toBe('text/plain; charset=UTF-8');
    expect(mimeHeader(v, 'X-Missing')).toBeUndefined();
  });

  it('reads everything as headers when there is no blank line', () => {
    const v = parseMime(enc.encode('A: 1\r\nB: 2'));
    expect(v).toMatchObject({ headers: [['A', '1'], ['B', '2']], bodyText: '', separatorFound: false });
    expect(parseMime(new Uint8Array(0)).headers).toEqual([]);
  });

  it('stops stacking blocks when the rest is a body', () => {
    const v = parseMime(enc.encode('A: 1\r\n\r\nB: 2\r\n\r\n<x/>\r\n\r\nC: 3'), 3);
    expect(v.blocks).toEqual([[['A', '1']], [['B', '2']]]);
    expect(v.bodyText).toBe('<x/>\r\n\r\nC: 3');
  });

  it('handles folded lines, lines without a colon and the header limit', () => {
    expect(parseHeaderLines('A: 1\r\n  more\r\njunk\r\nB:2')).toEqual([['A', '1 more'], ['junk', ''], ['B', '2']]);
    const many = Array.from({ length: MAX_MIME_HEADERS + 50 }, (_, i) => `H${i}: ${i}`).join('\r\n');
    expect(parseMime(enc.encode(`${many}\r\n\r\nbody`)).headers).toHaveLength(MAX_MIME_HEADERS);
  });
});
