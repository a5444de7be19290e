// MSNP P2P (MSNSLP transport) messages carried in MSG with Content-Type application/x-msnmsgrp2p:
// MIME headers, a 48-byte binary header, the data, then a 4-byte footer.

/** A uint64 as a number, or as a decimal string when it does not fit in 2^53. */
export type Uint64Value = number | string;

export interface P2PHeader {
  sessionId: number;
  id: number;
  offset: Uint64Value;
  totalSize: Uint64Value;
  messageSize: number;
  flags: number;
  ackSessionId: number;
  ackUniqueId: number;
  ackDataSize: Uint64Value;
}

export interface P2PFrame {
  header: P2PHeader | null;
  data: Uint8Array;
  /** The 4-byte footer (the application ID), null when the bytes run out. */
  footer: Uint8Array | null;
  /** The footer read big-endian, as clients write it. */
  footerValue: number | null;
  problems: string[];
}

export const P2P_HEADER_BYTES = 48;
export const P2P_FOOTER_BYTES = 4;
export const P2P_CONTENT_TYPE = 'application/x-msnmsgrp2p';

export function isP2PContentType(value: string | undefined): boolean {
  return value !== undefined && value.split(';')[0].trim().toLowerCase() === P2P_CONTENT_TYPE;
}

function uint64(view: DataView, at: number): Uint64Value {
  const value = view.getBigUint64(at, true);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** Reads the 48-byte header: nine little-endian fields. */
export function parseP2PHeader(bytes: Uint8Array): P2PHeader | null {
  if (bytes.length < P2P_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, P2P_HEADER_BYTES);
  return {
    sessionId: view.getUint32(0, true),
    id: view.getUint32(4, true),
    offset: uint64(view, 8),
    totalSize: uint64(view, 16),
    messageSize: view.getUint32(24, true),
    flags: view.getUint32(28, true),
    ackSessionId: view.getUint32(32, true),
    ackUniqueId: view.getUint32(36, true),
    ackDataSize: uint64(view, 40),
  };
}

/** Splits the binary part of a P2P message (after the MIME headers) into header, data and footer. */
export function parseP2PFrame(binary: Uint8Array): P2PFrame {
  const problems: string[] = [];
  const header = parseP2PHeader(binary);
  if (!header) {
    problems.push(`P2P header truncated: ${binary.length} of ${P2P_HEADER_BYTES} bytes`);
    return { header: null, data: new Uint8Array(0), footer: null, footerValue: null, problems };
  }
  const rest = binary.subarray(P2P_HEADER_BYTES);
  if (rest.length < P2P_FOOTER_BYTES) {
    problems.push(`P2P footer missing: ${rest.length} bytes after the header`);
    return { header, data: rest, footer: null, footerValue: null, problems };
  }
  const data = rest.subarray(0, rest.length - P2P_FOOTER_BYTES);
  const footer = rest.subarray(rest.length - P2P_FOOTER_BYTES);
  const footerValue = new DataView(footer.buffer, footer.byteOffset, P2P_FOOTER_BYTES).getUint32(0, false);
  if (header.messageSize !== data.length) {
    problems.push(`P2P message size ${header.messageSize} does not match the ${data.length} data bytes`);
  }
  return { header, data, footer, footerValue, problems };
}
