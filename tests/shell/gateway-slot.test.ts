// The inspector keeps one gateway facade while the gateway behind it is replaced.
import { describe, expect, it } from 'vitest';
import { createGatewaySlot } from '../../electron/core/gateway-slot.ts';
import type { Gateway } from '../../electron/gateway/types.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';

function fakeGateway(name: string) {
  const listeners = new Set<(e: GatewayEvent) => void>();
  const injected: string[] = [];
  const gw = {
    onEvent: (l: (e: GatewayEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
    injectToClient: (id: string) => (injected.push(`${name}:client:${id}`), true),
    injectToServer: (id: string) => (injected.push(`${name}:server:${id}`), true),
  } as unknown as Gateway;
  return { gw, emit: (e: string) => listeners.forEach((l) => l(e as unknown as GatewayEvent)), listeners, injected };
}

describe('createGatewaySlot', () => {
  it('moves listeners to the new gateway and injects into the current one', () => {
    const slot = createGatewaySlot();
    const seen: unknown[] = [];
    const off = slot.facade.onEvent((e) => seen.push(e));
    expect(slot.facade.injectToClient('s', new Uint8Array())).toBe(false);
    const a = fakeGateway('a');
    const b = fakeGateway('b');
    expect(slot.attach(a.gw)).toBeNull();
    a.emit('a1');
    expect(slot.facade.injectToServer('s1', new Uint8Array())).toBe(true);
    expect(slot.attach(b.gw)).toBe(a.gw);
    a.emit('a2');
    b.emit('b1');
    expect(slot.facade.injectToClient('s2', new Uint8Array())).toBe(true);
    expect(seen).toEqual(['a1', 'b1']);
    expect(a.listeners.size).toBe(0);
    expect(a.injected).toEqual(['a:server:s1']);
    expect(b.injected).toEqual(['b:client:s2']);
    off();
    b.emit('b2');
    expect(seen).toEqual(['a1', 'b1']);
    slot.attach(null);
    expect(b.listeners.size).toBe(0);
    expect(slot.current()).toBeNull();
  });
});
