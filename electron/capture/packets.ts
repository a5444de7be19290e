// Synthesized IPv4/TCP packets (raw IP, no link layer) with correct IPv4 header and TCP checksums,
// and a TCP connection model that numbers sequence and acknowledgement bytes the way a real stack
// would: handshake, data in segments of at most one MSS, ACKs within the window, FIN exchange.

export const MSS = 1460;
const WINDOW = 65535;
/** The receiver ACKs at least this often, so data in flight never exceeds the window. */
const ACK_EVERY = 32 * 1024;

export const FIN = 0x01;
export const SYN = 0x02;
export const PSH = 0x08;
export const ACK = 0x10;

export interface Endpoint {
  /** Dotted IPv4. */
  ip: string;
  port: number;
}

function ipBytes(ip: string): number[] {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RangeError(`not an IPv4 address: ${ip}`);
  return parts;
}

/** The Internet checksum (RFC 1071) over `bytes`, starting from a partial sum. */
export function checksum(bytes: Uint8Array, start = 0): number {
  let sum = start;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface TcpSegment {
  src: Endpoint;
  dst: Endpoint;
  seq: number;
  ack: number;
  flags: number;
  ipId: number;
  payload: Uint8Array;
}

/** One IPv4 packet carrying one TCP segment (20-byte headers, no options). */
export function ipv4Tcp(s: TcpSegment): Uint8Array {
  const total = 20 + 20 + s.payload.length;
  const p = new Uint8Array(total);
  const v = new DataView(p.buffer);
  const src = ipBytes(s.src.ip);
  const dst = ipBytes(s.dst.ip);
  p[0] = 0x45; // version 4, 5 words
  v.setUint16(2, total);
  v.setUint16(4, s.ipId & 0xffff);
  v.setUint16(6, 0x4000); // don't fragment
  p[8] = 64; // TTL
  p[9] = 6; // TCP
  p.set(src, 12);
  p.set(dst, 16);
  v.setUint16(10, checksum(p.subarray(0, 20)));

  v.setUint16(20, s.src.port);
  v.setUint16(22, s.dst.port);
  v.setUint32(24, s.seq >>> 0);
  v.setUint32(28, s.flags & ACK ? s.ack >>> 0 : 0);
  p[32] = 5 << 4; // data offset: 5 words
  p[33] = s.flags;
  v.setUint16(34, WINDOW);
  p.set(s.payload, 40);
  // Pseudo-header: addresses, protocol, TCP length.
  const tcpLength = 20 + s.payload.length;
  let pseudo = 0;
  for (let i = 0; i < 4; i += 2) pseudo += ((src[i] << 8) | src[i + 1]) + ((dst[i] << 8) | dst[i + 1]);
  pseudo += 6 + tcpLength;
  v.setUint16(36, checksum(p.subarray(20), pseudo));
  return p;
}

export type Side = 'a' | 'b';

/**
 * Where `data[from..]` should be cut: at the next boundary (a command's end) if within one MSS,
 * else after the last LF within one MSS, so line-based dissectors (Wireshark's MSNMS has no
 * reassembly) see whole lines and never one command's tail glued to the next.
 */
function cutPoint(data: Uint8Array, from: number, boundaries: readonly number[]): number {
  const limit = Math.min(data.length, from + MSS);
  const boundary = boundaries.find((b) => b > from);
  if (boundary !== undefined && boundary <= limit) return boundary;
  if (limit === data.length) return limit;
  const nl = data.lastIndexOf(0x0a, limit - 1);
  return nl >= from ? nl + 1 : limit;
}

/** One TCP connection between `a` (the side that connects) and `b`. */
export class TcpFlow {
  readonly a: Endpoint;
  readonly b: Endpoint;
  private readonly next: Record<Side, number>;
  private readonly ipId: Record<Side, number> = { a: 1, b: 1 };
  private unacked: Record<Side, number> = { a: 0, b: 0 };
  private readonly emit: (packet: Uint8Array, comment?: string) => void;
  state: 'new' | 'open' | 'closed' = 'new';

  constructor(a: Endpoint, b: Endpoint, isnA: number, isnB: number, emit: (packet: Uint8Array, comment?: string) => void) {
    this.emit = emit;
    this.a = a;
    this.b = b;
    this.next = { a: isnA >>> 0, b: isnB >>> 0 };
  }

  private packet(from: Side, flags: number, payload: Uint8Array = new Uint8Array(0), comment?: string): void {
    const to: Side = from === 'a' ? 'b' : 'a';
    const seq = this.next[from];
    const len = payload.length + (flags & (SYN | FIN) ? 1 : 0);
    this.emit(ipv4Tcp({ src: this[from], dst: this[to], seq, ack: this.next[to], flags, ipId: this.ipId[from]++, payload }), comment);
    this.next[from] = (seq + len) >>> 0;
  }

  open(comment?: string): void {
    if (this.state !== 'new') return;
    this.packet('a', SYN, undefined, comment);
    this.packet('b', SYN | ACK);
    this.packet('a', ACK);
    this.state = 'open';
  }

  /** Sends `data`; `boundaries` (ascending offsets into it) are preferred segment ends. */
  send(from: Side, data: Uint8Array, boundaries: readonly number[] = []): void {
    if (this.state === 'new') this.open();
    if (this.state !== 'open' || data.length === 0) return;
    const to: Side = from === 'a' ? 'b' : 'a';
    for (let at = 0; at < data.length; ) {
      const end = cutPoint(data, at, boundaries);
      this.packet(from, end === data.length ? PSH | ACK : ACK, data.subarray(at, end));
      this.unacked[from] += end - at;
      at = end;
      if (this.unacked[from] >= ACK_EVERY) this.ackFrom(to);
    }
    this.ackFrom(to);
  }

  private ackFrom(side: Side): void {
    const other: Side = side === 'a' ? 'b' : 'a';
    if (this.unacked[other] === 0) return;
    this.packet(side, ACK);
    this.unacked[other] = 0;
  }

  close(first: Side): void {
    if (this.state === 'new' || this.state === 'closed') return;
    const second: Side = first === 'a' ? 'b' : 'a';
    this.packet(first, FIN | ACK);
    this.packet(second, FIN | ACK);
    this.packet(first, ACK);
    this.state = 'closed';
  }
}
