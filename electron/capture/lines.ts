// Reads a file as newline-terminated lines with the byte offset of each, so an index can point
// back into it. A last line without its newline is reported as incomplete (a writer killed
// mid-line), and a line longer than the limit is skipped rather than buffered without bound.
import { createReadStream } from 'node:fs';

export interface FileLine {
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Length in bytes, without the newline. */
  length: number;
  /** The line as UTF-8 text, without the newline; empty when `tooLong`. */
  text: string;
  /** False for a last line that has no newline. */
  complete: boolean;
  /** The line was over the limit and was not read. */
  tooLong: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Bytes read from the file at a time: a batch of lines is what one read holds. */
const READ_BYTES = 1024 * 1024;

/** The file's lines in batches (one per read), so a reader pays one await per batch, not per line. */
export async function* readLineBatches(path: string, start = 0, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<FileLine[]> {
  const stream = createReadStream(path, { start, highWaterMark: READ_BYTES });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let lineStart = start;
  let skipping = false; // inside a line that is over the limit
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const lines: FileLine[] = [];
      let from = 0;
      while (from < chunk.length) {
        const nl = chunk.indexOf(0x0a, from);
        if (nl === -1) {
          if (!skipping) {
            parts.push(chunk.subarray(from));
            partBytes += chunk.length - from;
            if (partBytes > maxLineBytes) {
              skipping = true;
              parts = [];
            }
          } else partBytes += chunk.length - from;
          break;
        }
        const length = partBytes + (nl - from);
        if (skipping || length > maxLineBytes) {
          lines.push({ offset: lineStart, length, text: '', complete: true, tooLong: true });
        } else if (parts.length === 0) {
          lines.push({ offset: lineStart, length, text: chunk.toString('utf8', from, nl), complete: true, tooLong: false });
        } else {
          parts.push(chunk.subarray(from, nl));
          lines.push({ offset: lineStart, length, text: Buffer.concat(parts).toString('utf8'), complete: true, tooLong: false });
        }
        lineStart += length + 1;
        parts = [];
        partBytes = 0;
        skipping = false;
        from = nl + 1;
      }
      if (lines.length > 0) yield lines;
    }
    if (partBytes > 0) {
      const text = skipping ? '' : Buffer.concat(parts).toString('utf8');
      yield [{ offset: lineStart, length: partBytes, text, complete: false, tooLong: skipping }];
    }
  } finally {
    stream.destroy();
  }
}

export async function* readLines(path: string, start = 0, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<FileLine> {
  for await (const lines of readLineBatches(path, start, maxLineBytes)) yield* lines;
}
