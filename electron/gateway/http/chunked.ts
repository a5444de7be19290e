// A chunked request body (RFC 9112 §7.1), decoded as it arrives. No Messenger client sends one,
// but a proxy in between may, so it is read rather than refused; its size lines, extensions and
// trailers are bounded like a head, and a malformed one ends the connection with a 400.

/** A chunk-size line or a trailer line longer than this is garbage, not framing. */
const MAX_LINE = 4096;
/** All trailer lines together. */
const MAX_TRAILERS = 16 * 1024;

export type ChunkedStep =
  | { kind: 'more'; used: number }
  | { kind: 'done'; used: number }
  | { kind: 'error'; message: string };

// What the next bytes are: a chunk-size line, chunk data, the CRLF after the data, trailers.
const Size = 0;
const Data = 1;
const DataEnd = 2;
const Trailers = 3;

export class ChunkedDecoder {
  private state = Size;
  private remaining = 0;
  private line = '';
  private trailerBytes = 0;

  /**
   * Feeds bytes; the body's bytes go to `onData`. Returns how many input bytes were used (the
   * rest, after `done`, belong to the next request).
   */
  push(input: Buffer, onData: (bytes: Buffer) => void): ChunkedStep {
    let at = 0;
    while (at < input.length) {
      if (this.state === Data) {
        const n = Math.min(this.remaining, input.length - at);
        onData(input.subarray(at, at + n));
        at += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = DataEnd;
        continue;
      }
      // The other states read CRLF-ended lines.
      const lf = input.indexOf(10, at);
      const end = lf < 0 ? input.length : lf + 1;
      this.line += input.toString('latin1', at, end);
      at = end;
      if (this.line.length > MAX_LINE) return { kind: 'error', message: 'a chunk-size or trailer line over 4 KiB' };
      if (lf < 0) break;
      if (!this.line.endsWith('\r\n')) return { kind: 'error', message: 'a bare LF in chunked framing' };
      const line = this.line.slice(0, -2);
      this.line = '';
      if (this.state === DataEnd) {
        if (line !== '') return { kind: 'error', message: 'chunk data longer than its size' };
        this.state = Size;
      } else if (this.state === Size) {
        const size = /^([0-9A-Fa-f]{1,12})(?:[ \t]*;[^\r\n]*)?$/.exec(line);
        if (!size) return { kind: 'error', message: `malformed chunk size: ${JSON.stringify(line.slice(0, 40))}` };
        this.remaining = parseInt(size[1], 16);
        this.state = this.remaining === 0 ? Trailers : Data;
      } else {
        this.trailerBytes += line.length + 2;
        if (this.trailerBytes > MAX_TRAILERS) return { kind: 'error', message: 'chunked trailers over 16 KiB' };
        if (line === '') return { kind: 'done', used: at };
      }
    }
    return { kind: 'more', used: at };
  }
}
