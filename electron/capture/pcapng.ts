// pcapng export of both legs, for Wireshark/tshark: client <-> gateway HTTP (one TCP connection per
// real client connection, 10.0.0.1:49152+n -> 10.0.0.2:80) and gateway <-> server MSNP (one per
// session, 10.0.0.2:40000+n -> 10.0.0.3:1863 for NS, :1864 for SB). Addresses and ports are
// synthesized; the bytes are the captured ones (redacted by default), timestamped by their events.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import type { Direction } from '../../shared/msnp/types.ts';
import { parseHead, headerOf } from './http-head.ts';
import { TcpFlow, type Endpoint } from './packets.ts';
import { redactEvents, type RedactOptions } from './redact.ts';
import { SessionTable, sessionLabel } from './sessions.ts';
import { concatBytes } from '../../shared/msnp/bytes.ts';

export interface PcapngOptions extends RedactOptions {
  appName?: string;
}

export const PCAP_CLIENT_IP = '10.0.0.1';
export const PCAP_GATEWAY_IP = '10.0.0.2';
export const PCAP_SERVER_IP = '10.0.0.3';
export const PCAP_HTTP_PORT = 80;
export const PCAP_PORTS = { NS: 1863, SB: 1864 } as const;
/** LINKTYPE_RAW: each packet starts with its IPv4 header. */
const LINKTYPE_RAW = 101;

const enc = new TextEncoder();

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function options(list: Array<[code: number, value: Uint8Array]>): Uint8Array {
  if (list.length === 0) return new Uint8Array(0);
  const size = list.reduce((n, [, v]) => n + 4 + pad4(v.length), 0) + 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [code, value] of list) {
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    out.set(value, at + 4);
    at += 4 + pad4(value.length);
  }
  return out; // ends with opt_endofopt (zeros)
}

function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  out.set(body, 8);
  view.setUint32(total - 4, total, true);
  return out;
}

function sectionHeader(appName: string): Uint8Array {
  const opts = options([[4, enc.encode(appName)]]); // shb_userappl
  const body = new Uint8Array(16 + opts.length);
  const view = new DataView(body.buffer);
  view.setUint32(0, 0x1a2b3c4d, true);
  view.setUint16(4, 1, true);
  view.setUint16(6, 0, true);
  view.setBigInt64(8, -1n, true); // section length not given
  body.set(opts, 16);
  return block(0x0a0d0d0a, body);
}

function interfaceDescription(): Uint8Array {
  const opts = options([
    [2, enc.encode('synthesized gateway legs')], // if_name
    [9, new Uint8Array([6])], // if_tsresol: microseconds
  ]);
  const body = new Uint8Array(8 + opts.length);
  const view = new DataView(body.buffer);
  view.setUint16(0, LINKTYPE_RAW, true);
  view.setUint32(4, 65535, true); // snaplen
  body.set(opts, 8);
  return block(1, body);
}

function enhancedPacket(micros: number, packet: Uint8Array, comment?: string): Uint8Array {
  const opts = comment ? options([[1, enc.encode(comment)]]) : new Uint8Array(0);
  const body = new Uint8Array(20 + pad4(packet.length) + opts.length);
  const view = new DataView(body.buffer);
  view.setUint32(0, 0, true);
  view.setUint32(4, Math.floor(micros / 2 ** 32), true);
  view.setUint32(8, micros % 2 ** 32, true);
  view.setUint32(12, packet.length, true);
  view.setUint32(16, packet.length, true);
  body.set(packet, 20);
  body.set(opts, 20 + pad4(packet.length));
  return block(6, body);
}

/** A deterministic, spread-out initial sequence number per flow. */
const isn = (n: number, side: number) => (Math.imul(n * 2 + side + 1, 0x9e3779b1) >>> 0);

export function toPcapng(events: readonly GatewayEvent[], opts: PcapngOptions = {}): Uint8Array {
  const clean = redactEvents(events, opts);
  const sessions = SessionTable.of(clean);
  const parts: Uint8Array[] = [sectionHeader(opts.appName ?? 'MSN Gateway Inspector'), interfaceDescription()];
  let now = 0;
  const emit = (packet: Uint8Array, comment?: string) => parts.push(enhancedPacket(now, packet, comment));
  let flows = 0;
  const newFlow = (a: Endpoint, b: Endpoint) => {
    const n = flows++;
    return new TcpFlow(a, b, isn(n, 0), isn(n, 1), emit);
  };

  const http = new Map<string, TcpFlow>();
  let httpCount = 0;
  const msnp = new Map<string, TcpFlow>();
  let msnpCount = 0;
  const httpFlow = (address: string, port: number) => {
    const key = `${address}|${port}`;
    let flow = http.get(key);
    if (!flow || flow.state === 'closed') {
      const n = httpCount++;
      flow = newFlow({ ip: PCAP_CLIENT_IP, port: 49152 + (n % 16000) }, { ip: PCAP_GATEWAY_IP, port: PCAP_HTTP_PORT });
      flow.open(`HTTP connection ${n + 1} (client port ${port})`);
      http.set(key, flow);
    }
    return flow;
  };
  const msnpFlow = (sessionId: string) => {
    let flow = msnp.get(sessionId);
    if (!flow || flow.state === 'closed') {
      const facts = sessions.get(sessionId)!;
      const n = msnpCount++;
      flow = newFlow({ ip: PCAP_GATEWAY_IP, port: 40000 + (n % 9000) }, { ip: PCAP_SERVER_IP, port: PCAP_PORTS[facts.server] });
      flow.open(`${sessionLabel(facts)}: gateway session ${sessionId}`);
      msnp.set(sessionId, flow);
    }
    return flow;
  };
  const closedBy = new Map<string, 'a' | 'b'>();
  const decoders = new Map<string, { decoder: ConnectionDecoder; offset: Record<Direction, number> }>();
  /** Offsets in `bytes` where a command ends, so each TCP segment carries whole commands. */
  const commandEnds = (sessionId: string, direction: Direction, bytes: Uint8Array): number[] => {
    let d = decoders.get(sessionId);
    if (!d) {
      d = { decoder: new ConnectionDecoder(sessions.get(sessionId)!.server), offset: { client: 0, server: 0 } };
      decoders.set(sessionId, d);
    }
    const base = d.offset[direction];
    d.offset[direction] += bytes.length;
    return d.decoder.push(direction, bytes).map((item) => item.offset + item.raw.length - base);
  };
  const exchangeFlow = new Map<number, TcpFlow>();

  for (const e of clean) {
    now = Math.max(now, Math.round(e.time * 1000));
    switch (e.type) {
      case 'http-request': {
        const flow = httpFlow(e.clientAddress, e.clientPort);
        flow.send('a', concatBytes([e.head, e.body]));
        exchangeFlow.set(e.exchangeId, flow);
        break;
      }
      case 'http-response': {
        const flow = exchangeFlow.get(e.exchangeId);
        if (!flow) break; // its request is not in this capture (removed by retention)
        exchangeFlow.delete(e.exchangeId);
        flow.send('b', concatBytes([e.head, e.body]));
        if (headerOf(parseHead(e.head).headers, 'Connection')?.toLowerCase() === 'close') flow.close('b');
        break;
      }
      case 'upstream-connected':
        msnpFlow(e.sessionId);
        break;
      case 'bytes': {
        // Client-bound injected bytes never crossed the upstream connection.
        if (e.direction === 'server' && e.origin === 'injected') break;
        const flow = msnpFlow(e.sessionId);
        flow.send(e.direction === 'client' ? 'a' : 'b', e.bytes, commandEnds(e.sessionId, e.direction, e.bytes));
        break;
      }
      case 'upstream-closed':
        closedBy.set(e.sessionId, e.byUpstream ? 'b' : 'a');
        break;
      case 'session-closed': {
        // FIN only now: server bytes no response carried are reported after upstream-closed.
        msnp.get(e.sessionId)?.close(closedBy.get(e.sessionId) ?? 'a');
        break;
      }
      default:
        break;
    }
  }
  for (const flow of msnp.values()) flow.close('a');
  for (const flow of http.values()) flow.close('a');
  return concatBytes(parts);
}
