// Where a run's capture log goes: a directory of `capture-*` segment files (the default), or one
// file the user named (`--capture run.ndjson`). A named capture keeps its first segment in that
// file and puts later ones beside it as `run.0001.ndjson`, `run.0002.ndjson`, ...; a reader given
// the file finds them again by name and by the captureId in their headers.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { CaptureFormatError, checkHeader, type CaptureHeader } from './format.ts';

export type CaptureTarget = { kind: 'dir'; dir: string } | { kind: 'file'; file: string };

/** A capture target that cannot be used; the message names the path and the reason. */
export class CaptureTargetError extends Error {
  override name = 'CaptureTargetError';
}

/**
 * The rule for `--capture PATH`: an existing directory, or a path ending with a slash, is a
 * directory of segment files (created if missing); anything else is the file to write.
 */
export async function resolveCaptureTarget(path: string): Promise<CaptureTarget> {
  if (path === '') throw new CaptureTargetError('the capture path is empty');
  if (path.endsWith('/') || path.endsWith(sep)) return { kind: 'dir', dir: resolve(path) };
  const info = await stat(path).catch(() => null);
  if (info?.isDirectory()) return { kind: 'dir', dir: resolve(path) };
  return { kind: 'file', file: resolve(path) };
}

/** The file of segment `n` of the capture named `file` (segment 0 is the file itself). */
export function continuationFile(file: string, n: number): string {
  if (n === 0) return file;
  const ext = extname(file);
  const stem = ext === '' ? file : file.slice(0, -ext.length);
  return `${stem}.${String(n).padStart(4, '0')}${ext}`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Names in `file`'s directory that look like its continuation segments, with their numbers. */
async function continuationNames(file: string): Promise<Array<{ file: string; n: number }>> {
  const name = basename(file);
  const ext = extname(name);
  const stem = ext === '' ? name : name.slice(0, -ext.length);
  const pattern = new RegExp(`^${escapeRe(stem)}\\.(\\d{4,9})${escapeRe(ext)}$`);
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  const found: Array<{ file: string; n: number }> = [];
  for (const candidate of names) {
    const m = pattern.exec(candidate);
    if (m && Number(m[1]) > 0) found.push({ file: join(dirname(file), candidate), n: Number(m[1]) });
  }
  return found.sort((a, b) => a.n - b.n);
}

/** Bytes read to find a header line: ours are about 150 bytes. */
const HEADER_PROBE_BYTES = 4096;

/** The capture header on the file's first line, or why there is none. */
export async function probeHeader(file: string): Promise<{ header: CaptureHeader } | { reason: string }> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (error) {
    return { reason: `cannot open it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  try {
    const buf = Buffer.alloc(HEADER_PROBE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead === 0) return { reason: 'it is empty' };
    const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (nl === -1) return { reason: 'its first line is not a capture header' };
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', 0, nl));
    } catch {
      return { reason: 'its first line is not JSON' };
    }
    if (value === null || typeof value !== 'object' || !('format' in value)) return { reason: 'it does not start with a capture header' };
    try {
      return { header: checkHeader(value as Record<string, unknown>) };
    } catch (error) {
      return { reason: (error as CaptureFormatError).message };
    }
  } finally {
    await fh.close();
  }
}

/**
 * Checks that a run may write a new capture to `file`. Refuses (CaptureTargetError) when its
 * directory is missing, when the file exists with content (another capture is never appended to,
 * and a file that is not a capture is never overwritten), or when continuation files are already
 * there. An existing empty file (from `mktemp`, say) is used. Returns whether the file exists.
 */
export async function checkCaptureFile(file: string): Promise<{ exists: boolean }> {
  const dir = dirname(file);
  const dirInfo = await stat(dir).catch(() => null);
  if (!dirInfo) throw new CaptureTargetError(`cannot write the capture to "${file}": its directory "${dir}" does not exist`);
  if (!dirInfo.isDirectory()) throw new CaptureTargetError(`cannot write the capture to "${file}": "${dir}" is not a directory`);
  const info = await stat(file).catch(() => null);
  if (info && !info.isFile()) throw new CaptureTargetError(`cannot write the capture to "${file}": it exists and is not a regular file`);
  if (info && info.size > 0) {
    const probe = await probeHeader(file);
    if ('header' in probe) {
      throw new CaptureTargetError(
        `"${file}" is already a capture (id ${probe.header.captureId}, started ${probe.header.started}); a run never appends to an earlier capture: choose a new file name, or delete it first`,
      );
    }
    throw new CaptureTargetError(`"${file}" exists and is not a capture of ours (${probe.reason}); refusing to overwrite it: choose another file name`);
  }
  const leftovers = await continuationNames(file);
  if (leftovers.length > 0) {
    throw new CaptureTargetError(
      `"${leftovers[0].file}" already exists: this run's later segments would be written beside "${file}" under such names; remove ${leftovers.length === 1 ? 'it' : `the ${leftovers.length} files`} or choose another file name`,
    );
  }
  return { exists: info !== null };
}

export interface NamedCaptureFiles {
  /** The named file, then its continuation segments in order. */
  files: string[];
  /** Segment numbers absent between the first and the last one found. */
  missing: number[];
}

/**
 * The files of a named capture: `file`, whose header must say segment 0, and the continuation
 * files beside it whose header has the same captureId and the segment number in their name.
 * A file that is not such a first segment is returned alone (the reader reports what it is).
 */
export async function namedCaptureFiles(file: string): Promise<NamedCaptureFiles> {
  const probe = await probeHeader(file);
  if (!('header' in probe) || probe.header.segment !== 0) return { files: [file], missing: [] };
  const id = probe.header.captureId;
  const files = [file];
  const missing: number[] = [];
  let expected = 1;
  for (const candidate of await continuationNames(file)) {
    const header = await probeHeader(candidate.file);
    if (!('header' in header) || header.header.captureId !== id || header.header.segment !== candidate.n) continue;
    for (; expected < candidate.n; expected++) missing.push(expected);
    expected = candidate.n + 1;
    files.push(candidate.file);
  }
  return { files, missing };
}
