import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import type { GatewayEvent } from '../../../shared/api/gateway-events.ts';
import { EventPacker, unpackEvents, type EventPack } from './event-pack.ts';

const enc = new TextEncoder();

describe('event packs', () => {
  it('carry every event and every byte field intact through a real MessagePort, in one small buffer', async () => {
    // Views on a large pooled buffer: only the viewed bytes may travel.
    const pool = new Uint8Array(64 * 1024).fill(0xee);
    pool.set(enc.encode('MSG 1 U 5\r\nh\u00e9\u00ff'), 100);
    const bytes = pool.subarray(100, 100 + 15);
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    const events: GatewayEvent[] = [
      { type: 'session-id-issued', seq: 1, time: 1, sessionId: '123456789', gatewaySessionId: '123456789.12345' },
      { type: 'bytes', seq: 2, time: 2, sessionId: '123456789', direction: 'client', exchangeId: 7, bytes },
      { type: 'bytes', seq: 3, time: 3, sessionId: '123456789', direction: 'server', exchangeId: null, bytes: binary, origin: 'edited' },
      { type: 'bytes', seq: 4, time: 4, sessionId: '123456789', direction: 'server', exchangeId: 8, bytes: new Uint8Array(0) },
    ];
    const packer = new EventPacker();
    for (const e of events) packer.add(e);
    expect(packer.size).toBe(4);
    const pack = packer.take();
    expect(packer.size).toBe(0);
    expect(pack.buffer.byteLength).toBe(15 + 256);
    // The caller's events are not changed.
    expect((events[1] as { bytes: Uint8Array }).bytes).toBe(bytes);

    const { port1, port2 } = new MessageChannel();
    const got = new Promise<EventPack>((resolve) => port2.once('message', resolve));
    port1.postMessage(pack, [pack.buffer]);
    const received = unpackEvents(await got);
    port1.close();
    port2.close();
    expect(received).toEqual(events);
    expect(Array.from((received[2] as { bytes: Uint8Array }).bytes)).toEqual(Array.from(binary));
  });
});
