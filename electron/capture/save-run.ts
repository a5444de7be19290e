// Saving a run as one capture file: the segment files' bytes copied after a single header, instead
// of every event decoded and encoded again (the file is the same, and drop notes are kept). Each
// file is copied up to its size when the save started, and only whole lines: a block the writer
// appends meanwhile is left for the next save.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { encodeRecord, type CaptureHeader } from './format.ts';

const NL = 0x0a;

/** Writes `header` then every line after the header of each of `files`; resolves with the bytes written. */
export async function saveSegments(path: string, header: CaptureHeader, files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const out = createWriteStream(path, { flags: 'wx' });
  const failed = once(out, 'error').then(([error]) => {
    throw error as Error;
  });
  let bytes = 0;
  const put = async (chunk: Uint8Array) => {
    if (chunk.length === 0) return;
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const work = (async () => {
    await put(Buffer.from(encodeRecord(header), 'utf8'));
    for (let i = 0; i < files.length; i++) {
      if (sizes[i] === 0) continue;
      let inHeader = true;
      let tail: Buffer[] = []; // bytes after the last newline seen so far (a line spanning reads)
      for await (const chunk of createReadStream(files[i], { end: sizes[i] - 1, highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
        let from = 0;
        if (inHeader) {
          const nl = chunk.indexOf(NL);
          if (nl === -1) continue;
          inHeader = false;
          from = nl + 1;
        }
        const last = chunk.lastIndexOf(NL);
        if (last < from) {
          tail.push(chunk.subarray(from));
          continue;
        }
        for (const part of tail) await put(part);
        await put(chunk.subarray(from, last + 1));
        tail = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
      }
    }
    out.end();
    await once(out, 'finish');
  })();
  try {
    await Promise.race([work, failed]);
  } finally {
    out.destroy();
  }
  return bytes;
}
