// The capture file format: NDJSON, one record per line. The first line of every segment file is a
// header; every other line is one GatewayEvent with its byte fields as base64, or a `$capture`
// note the writer adds (events it had to drop). Kept generic over the event's fields so a new
// byte-carrying field in the event contract needs no change here (json-bytes.ts does the work).
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { decodeJson, encodeJson } from './json-bytes.ts';

export const CAPTURE_FORMAT = 'msn-gateway-inspector-capture';
export const CAPTURE_VERSION = 1;

export interface CaptureHeader {
  format: typeof CAPTURE_FORMAT;
  version: number;
  /** Version of the app that wrote the file. */
  app: string;
  /** ISO time the capture (not this segment) started. */
  started: string;
  /** Identifies one run's capture across its segment files. */
  captureId: string;
  /** 0 for the first file of a capture, then 1, 2, ... */
  segment: number;
}

/** A note the writer put into the file itself, so a reader learns of the loss too. */
export interface CaptureNote {
  $capture: 'dropped';
  /** Events that were not written (the writer's backlog was over its limit). */
  count: number;
  firstSeq: number;
  lastSeq: number;
  /** Absent: the backlog waiting for the disk was full. 'budget': a named capture reached its size limit. */
  reason?: 'budget';
}

export class CaptureFormatError extends Error {
  override name = 'CaptureFormatError';
}

/** One record as its line, newline included. */
export function encodeRecord(record: GatewayEvent | CaptureHeader | CaptureNote): string {
  return `${encodeJson(record)}\n`;
}

export type DecodedLine =
  | { kind: 'event'; event: GatewayEvent }
  | { kind: 'note'; note: CaptureNote }
  | { kind: 'header'; header: CaptureHeader };

const EVENT_TYPES = new Set([
  'session-opened',
  'session-closed',
  'session-id-issued',
  'http-request',
  'http-response',
  'upstream-connected',
  'upstream-closed',
  'upstream-error',
  'bytes',
  'notice',
]);

/** Parses one line (without its newline). Throws CaptureFormatError naming what is wrong. */
export function decodeLine(line: string): DecodedLine {
  let value: unknown;
  try {
    value = decodeJson(line);
  } catch (error) {
    throw new CaptureFormatError(`not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CaptureFormatError('not a JSON object');
  const record = value as Record<string, unknown>;
  if (record.format !== undefined) return { kind: 'header', header: checkHeader(record) };
  if (record.$capture === 'dropped') return { kind: 'note', note: record as unknown as CaptureNote };
  if (typeof record.type !== 'string' || !EVENT_TYPES.has(record.type)) {
    throw new CaptureFormatError(`unknown record type ${JSON.stringify(record.type)}`);
  }
  if (typeof record.seq !== 'number' || typeof record.time !== 'number') throw new CaptureFormatError('event without a numeric seq and time');
  return { kind: 'event', event: record as unknown as GatewayEvent };
}

export function checkHeader(record: Record<string, unknown>): CaptureHeader {
  if (record.format !== CAPTURE_FORMAT) throw new CaptureFormatError(`format is ${JSON.stringify(record.format)}, not ${CAPTURE_FORMAT}`);
  if (record.version !== CAPTURE_VERSION) {
    throw new CaptureFormatError(`capture format version ${JSON.stringify(record.version)} is not supported (this app reads version ${CAPTURE_VERSION})`);
  }
  if (typeof record.captureId !== 'string' || typeof record.segment !== 'number' || typeof record.started !== 'string') {
    throw new CaptureFormatError('capture header lacks captureId, segment or started');
  }
  return record as unknown as CaptureHeader;
}
