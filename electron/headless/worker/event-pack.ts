// Gateway events cross to the inspector's thread in packs: one message per pack, every byte field
// copied into one transferred buffer. Structured clone would copy the whole ArrayBuffer behind each
// Uint8Array view (Node's pooled and socket buffers are far larger than the slices the events hold),
// and one message per event would cost more than the event's own handling.
import type { GatewayEvent } from '../../../shared/api/gateway-events.ts';

/** A byte field in a packed event: offset and length in the pack's buffer. */
type ByteRef = { $at: number; $len: number };

export interface EventPack {
  events: object[];
  buffer: ArrayBuffer;
}

const BYTE_FIELDS = ['head', 'body', 'bytes'] as const;

/** Collects events; `take()` packs them (the caller transfers `buffer`). */
export class EventPacker {
  private events: GatewayEvent[] = [];
  private bytes = 0;

  get size(): number {
    return this.events.length;
  }

  add(event: GatewayEvent): void {
    this.events.push(event);
    for (const f of BYTE_FIELDS) {
      const v = (event as unknown as Record<string, unknown>)[f];
      if (v instanceof Uint8Array) this.bytes += v.byteLength;
    }
  }

  take(): EventPack {
    const buffer = new ArrayBuffer(this.bytes);
    const into = new Uint8Array(buffer);
    let at = 0;
    const out: object[] = new Array(this.events.length);
    for (let i = 0; i < this.events.length; i++) {
      const e = this.events[i] as unknown as Record<string, unknown>;
      let copy: Record<string, unknown> | null = null;
      for (const f of BYTE_FIELDS) {
        const v = e[f];
        if (!(v instanceof Uint8Array)) continue;
        into.set(v, at);
        copy ??= { ...e };
        copy[f] = { $at: at, $len: v.byteLength } satisfies ByteRef;
        at += v.byteLength;
      }
      out[i] = copy ?? e;
    }
    this.events = [];
    this.bytes = 0;
    return { events: out, buffer };
  }
}

/** The events of a pack, their byte fields as views on the pack's buffer. */
export function unpackEvents(pack: EventPack): GatewayEvent[] {
  const out: GatewayEvent[] = new Array(pack.events.length);
  for (let i = 0; i < pack.events.length; i++) {
    const e = pack.events[i] as Record<string, unknown>;
    for (const f of BYTE_FIELDS) {
      const ref = e[f] as ByteRef | undefined;
      if (ref !== undefined && typeof ref === 'object' && ref !== null && '$at' in ref) e[f] = new Uint8Array(pack.buffer, ref.$at, ref.$len);
    }
    out[i] = e as unknown as GatewayEvent;
  }
  return out;
}
