// Reopening a capture: a file (with the continuation segments of a named capture beside it), or a
// directory holding one capture's segment files. Damage is
// reported, not thrown: a truncated last line (the writer was killed) or a corrupt line is a
// problem and reading goes on. Only a file that is not a capture at all is an error.
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { CaptureFormatError, checkHeader, decodeLine, type CaptureHeader } from './format.ts';
import { DEFAULT_MAX_LINE_BYTES, readLineBatches, type FileLine } from './lines.ts';
import { namedCaptureFiles } from './target.ts';

export interface CaptureProblem {
  kind: 'truncated-line' | 'bad-line' | 'long-line' | 'dropped-events' | 'missing-segments';
  file: string;
  /** Byte offset of the line in `file`. */
  offset: number;
  message: string;
}

export interface ReadCaptureOptions {
  /** Called for each problem as it is found (they are also collected in `problems`). */
  onProblem?: (problem: CaptureProblem) => void;
  maxLineBytes?: number;
}

export interface CaptureReader extends AsyncIterable<GatewayEvent> {
  /** The same events in batches (one per read of the file): far fewer awaits for a big capture. */
  batches(): AsyncIterable<GatewayEvent[]>;
  /** Problems found so far (complete once iteration has ended). */
  readonly problems: CaptureProblem[];
  /** Headers of the files read so far, in order. */
  readonly headers: CaptureHeader[];
}

/** Segment files are named so that sorting by name is sorting by time, then segment. */
export const SEGMENT_PATTERN = /^capture-\d{8}T\d{6}Z-[0-9a-f]{8}-\d{4}\.ndjson$/;

/**
 * The files of `path`: a segment file alone; a named capture's file and its continuation segments
 * (`run.ndjson`, `run.0001.ndjson`, ...); or the capture segment files of a directory (one capture only).
 */
export async function captureFiles(path: string): Promise<string[]> {
  return (await captureFileSet(path)).files;
}

/** As captureFiles, plus the continuation segments of a named capture that are not there. */
export async function captureFileSet(path: string): Promise<{ files: string[]; missing: number[] }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new CaptureFormatError(`cannot open capture "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!info.isDirectory()) return SEGMENT_PATTERN.test(basename(path)) ? { files: [path], missing: [] } : namedCaptureFiles(path);
  const names = (await readdir(path)).filter((n) => SEGMENT_PATTERN.test(n)).sort();
  if (names.length === 0) throw new CaptureFormatError(`directory "${path}" holds no capture segment files (capture-*.ndjson)`);
  const ids = new Set(names.map((n) => n.split('-')[2]));
  if (ids.size > 1) {
    throw new CaptureFormatError(`directory "${path}" holds ${ids.size} captures (${[...ids].join(', ')}); name one segment file`);
  }
  return { files: names.map((n) => join(path, n)), missing: [] };
}

export function readCapture(path: string, options: ReadCaptureOptions = {}): CaptureReader {
  const problems: CaptureProblem[] = [];
  const headers: CaptureHeader[] = [];
  const report = (p: CaptureProblem) => {
    problems.push(p);
    options.onProblem?.(p);
  };
  async function* batches(): AsyncGenerator<GatewayEvent[]> {
    const { files, missing } = await captureFileSet(path);
    if (missing.length > 0) {
      report({
        kind: 'missing-segments',
        file: path,
        offset: 0,
        message: `segment file${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of this capture ${missing.length === 1 ? 'is' : 'are'} missing; the events in ${missing.length === 1 ? 'it' : 'them'} are not shown`,
      });
    }
    for (const file of files) yield* readFile(file, headers, report, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }
  return {
    problems,
    headers,
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const events of batches()) yield* events;
    },
  };
}

/** Reads every event of a capture into memory (for exports and tests). */
export async function readAllEvents(path: string, options: ReadCaptureOptions = {}): Promise<{ events: GatewayEvent[]; problems: CaptureProblem[]; headers: CaptureHeader[] }> {
  const reader = readCapture(path, options);
  const events: GatewayEvent[] = [];
  for await (const event of reader) events.push(event);
  return { events, problems: reader.problems, headers: reader.headers };
}

async function* readFile(
  file: string,
  headers: CaptureHeader[],
  report: (p: CaptureProblem) => void,
  maxLineBytes: number,
): AsyncGenerator<GatewayEvent[]> {
  let first = true;
  for await (const lines of readLineBatches(file, 0, maxLineBytes)) {
    const events: GatewayEvent[] = [];
    for (const line of lines) {
      if (first) {
        first = false;
        headers.push(firstLineHeader(file, line.text, line.complete));
        continue;
      }
      const event = lineEvent(file, line, report, maxLineBytes);
      if (event !== null) events.push(event);
    }
    if (events.length > 0) yield events;
  }
  if (first) throw new CaptureFormatError(`"${file}" is empty: not a capture file`);
}

function lineEvent(file: string, line: FileLine, report: (p: CaptureProblem) => void, maxLineBytes: number): GatewayEvent | null {
  if (line.tooLong) {
    report({ kind: 'long-line', file, offset: line.offset, message: `line of ${line.length} bytes is over the ${maxLineBytes}-byte limit; skipped` });
    return null;
  }
  if (!line.complete) {
    report({ kind: 'truncated-line', file, offset: line.offset, message: `last line is incomplete (${line.length} bytes, no newline): the writer stopped mid-line; ignored` });
    return null;
  }
  if (line.text.length === 0) return null;
  let decoded;
  try {
    decoded = decodeLine(line.text);
  } catch (error) {
    report({ kind: 'bad-line', file, offset: line.offset, message: `${(error as Error).message}; skipped` });
    return null;
  }
  if (decoded.kind === 'event') return decoded.event;
  if (decoded.kind === 'note') {
    const n = decoded.note;
    report({ kind: 'dropped-events', file, offset: line.offset, message: `the writer dropped ${n.count} events (seq ${n.firstSeq} to ${n.lastSeq}): ${n.reason === 'budget' ? 'the capture reached its size limit' : 'its backlog was full'}` });
  } else report({ kind: 'bad-line', file, offset: line.offset, message: 'a second header inside the file; skipped' });
  return null;
}

function firstLineHeader(file: string, text: string, complete: boolean): CaptureHeader {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CaptureFormatError(`"${file}" is not a capture file: ${complete ? 'its first line is not JSON' : 'its first line is incomplete'}`);
  }
  if (value === null || typeof value !== 'object' || !('format' in value)) {
    throw new CaptureFormatError(`"${file}" is not a capture file: it does not start with a capture header`);
  }
  try {
    return checkHeader(value as Record<string, unknown>);
  } catch (error) {
    throw new CaptureFormatError(`"${file}" is not a capture file: ${(error as Error).message}`);
  }
}
