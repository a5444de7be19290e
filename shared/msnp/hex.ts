// Hex dumps for binary payloads: offset, 16 bytes a line in two groups of 8, ASCII column.

export interface HexDumpOptions {
  /** Most bytes to dump; the rest is summarised in the last line. */
  maxBytes?: number;
  /** Added to every printed offset, e.g. where the dumped bytes start inside a payload. */
  baseOffset?: number;
}

export interface HexDump {
  lines: string[];
  totalBytes: number;
  shownBytes: number;
  truncated: boolean;
}

/** 64 KiB = 4096 lines: plenty to read, small enough to render. */
export const DEFAULT_HEX_DUMP_MAX_BYTES = 64 * 1024;
const BYTES_PER_LINE = 16;

export function toHex(bytes: Uint8Array, separator = ''): string {
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = bytes[i].toString(16).padStart(2, '0');
  return parts.join(separator);
}

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}

export function hexDumpLine(bytes: Uint8Array, start: number, offset: number): string {
  const end = Math.min(start + BYTES_PER_LINE, bytes.length);
  let hexPart = '';
  let ascii = '';
  for (let i = 0; i < BYTES_PER_LINE; i++) {
    if (i === 8) hexPart += ' ';
    hexPart += start + i < end ? bytes[start + i].toString(16).padStart(2, '0') + ' ' : '   ';
    if (start + i < end) ascii += printable(bytes[start + i]);
  }
  return `${offset.toString(16).padStart(8, '0')}  ${hexPart} |${ascii}|`;
}

export function hexDump(bytes: Uint8Array, options: HexDumpOptions = {}): HexDump {
  const maxBytes = Math.max(0, Math.floor(options.maxBytes ?? DEFAULT_HEX_DUMP_MAX_BYTES));
  const base = Math.max(0, Math.floor(options.baseOffset ?? 0));
  const shown = Math.min(bytes.length, maxBytes);
  const visible = bytes.subarray(0, shown);
  const lines: string[] = [];
  for (let at = 0; at < shown; at += BYTES_PER_LINE) lines.push(hexDumpLine(visible, at, base + at));
  const truncated = shown < bytes.length;
  if (truncated) lines.push(`... ${bytes.length - shown} more bytes not shown (${bytes.length} in all)`);
  return { lines, totalBytes: bytes.length, shownBytes: shown, truncated };
}
