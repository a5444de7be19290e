// Disk retention: keeps the capture segment files of a directory within a byte budget by deleting
// the oldest ones (never the file being written). Every deletion is returned so it can be told.
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SEGMENT_PATTERN } from './read.ts';

export interface RemovedSegment {
  file: string;
  bytes: number;
  /** Seq range of the events it held, when this writer wrote it. */
  firstSeq?: number;
  lastSeq?: number;
}

export interface RetentionReport {
  removed: RemovedSegment[];
  /** Bytes of capture files left in the directory. */
  keptBytes: number;
  limitBytes: number;
}

export async function enforceDiskLimit(dir: string, limitBytes: number, current: string): Promise<RetentionReport> {
  const names = (await readdir(dir)).filter((n) => SEGMENT_PATTERN.test(n)).sort();
  const files: Array<{ file: string; bytes: number }> = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      files.push({ file, bytes: (await stat(file)).size });
    } catch {
      // deleted meanwhile
    }
  }
  let total = files.reduce((sum, f) => sum + f.bytes, 0);
  const removed: RemovedSegment[] = [];
  for (const f of files) {
    if (total <= limitBytes) break;
    if (f.file === current) continue;
    try {
      await unlink(f.file);
      removed.push(f);
      total -= f.bytes;
    } catch {
      // another process removed it or it is not ours to remove; the next check tries again
    }
  }
  return { removed, keptBytes: total, limitBytes };
}
