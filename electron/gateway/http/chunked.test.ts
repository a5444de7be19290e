import { describe, expect, it } from 'vitest';
import { ChunkedDecoder, type ChunkedStep } from './chunked.ts';

/** Feeds `text` in pieces of `step` bytes; returns the body and the last step. */
function decode(text: string, step = text.length): { body: string; last: ChunkedStep; rest: string } {
  const d = new ChunkedDecoder();
  const input = Buffer.from(text, 'latin1');
  let body = '';
  let last: ChunkedStep = { kind: 'more', used: 0 };
  for (let at = 0; at < input.length; at += step) {
    const piece = input.subarray(at, Math.min(at + step, input.length));
    last = d.push(piece, (b) => (body += b.toString('latin1')));
    if (last.kind !== 'more') return { body, last, rest: input.subarray(at + (last.kind === 'done' ? last.used : 0)).toString('latin1') };
  }
  return { body, last, rest: '' };
}

describe('ChunkedDecoder', () => {
  const wire = '5\r\nVER 1\r\n8;ext=1\r\n MSNP8\r\n\r\n0\r\nX-Trailer: y\r\n\r\nNEXT';

  it('decodes sizes, extensions and trailers, and says where the next request starts', () => {
    const r = decode(wire);
    expect(r.body).toBe('VER 1 MSNP8\r\n');
    expect(r.last.kind).toBe('done');
    expect(r.rest).toBe('NEXT');
  });

  it('gives the same bytes fed one byte at a time', () => {
    const r = decode(wire, 1);
    expect(r.body).toBe('VER 1 MSNP8\r\n');
    expect(r.last.kind).toBe('done');
  });

  it('keeps binary bytes as they are', () => {
    const bytes = Buffer.from([0, 255, 13, 10, 128]);
    const d = new ChunkedDecoder();
    const got: Buffer[] = [];
    const step = d.push(Buffer.concat([Buffer.from('5\r\n'), bytes, Buffer.from('\r\n0\r\n\r\n')]), (b) => got.push(Buffer.from(b)));
    expect(step.kind).toBe('done');
    expect(Buffer.concat(got)).toEqual(bytes);
  });

  it('refuses malformed framing with a message', () => {
    expect(decode('z\r\n').last).toMatchObject({ kind: 'error', message: expect.stringMatching(/chunk size/) });
    expect(decode('2\r\nabc\r\n').last).toMatchObject({ kind: 'error', message: expect.stringMatching(/longer than its size/) });
    expect(decode('2\nab').last).toMatchObject({ kind: 'error', message: expect.stringMatching(/bare LF/) });
    expect(decode('1234567890abc\r\n').last.kind).toBe('error');
  });

  it('bounds a size line and the trailers', () => {
    expect(decode('1' + ';'.repeat(5000)).last).toMatchObject({ kind: 'error', message: expect.stringMatching(/4 KiB/) });
    const trailers = '0\r\n' + `X: ${'a'.repeat(1000)}\r\n`.repeat(20) + '\r\n';
    expect(decode(trailers).last).toMatchObject({ kind: 'error', message: expect.stringMatching(/trailers over 16 KiB/) });
  });
});
