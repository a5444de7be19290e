// Text helpers shared by the payload views: lenient UTF-8 and a URL decoder that never throws.

const lenient = new TextDecoder('utf-8', { fatal: false });
const strict = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 with U+FFFD for bad sequences. */
export function utf8Text(bytes: Uint8Array): string {
  return lenient.decode(bytes);
}

/** True when the bytes are valid UTF-8 without control characters other than tab, CR and LF. */
export function isReadableText(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return false;
  }
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const HEX = /^[0-9a-fA-F]{2}$/;

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** Decodes one run of escaped bytes; each invalid sequence keeps its `%XX` text. */
function decodeEscapedRun(bytes: number[], rawRun: string): string {
  let out = '';
  let k = 0;
  while (k < bytes.length) {
    const length = Math.min(sequenceLength(bytes[k]), bytes.length - k);
    try {
      out += strict.decode(new Uint8Array(bytes.slice(k, k + length)));
      k += length;
    } catch {
      out += rawRun.slice(k * 3, k * 3 + 3);
      k += 1;
    }
  }
  return out;
}

/**
 * Decodes %XX escapes as UTF-8. A bad escape (`%zz`, a lone `%`) or an escaped byte run that is not
 * valid UTF-8 is kept as its raw text, so the result always shows what was on the wire.
 */
export function urlDecode(raw: string): string {
  if (!raw.includes('%')) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    if (raw[i] !== '%' || !HEX.test(raw.slice(i + 1, i + 3))) {
      out += raw[i];
      i++;
      continue;
    }
    const start = i;
    const bytes: number[] = [];
    while (i < raw.length && raw[i] === '%' && HEX.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 3;
    }
    out += decodeEscapedRun(bytes, raw.slice(start, i));
  }
  return out;
}
