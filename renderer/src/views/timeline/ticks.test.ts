import { describe, expect, it } from 'vitest';
import { command, exchange } from '../../test/records.ts';
import { MAX_TICKS, TickCache } from './ticks.ts';

describe('TickCache', () => {
  it('looks marks up once per exchange record and returns the same array after', () => {
    const cache = new TickCache();
    const x = exchange(1, { commandIds: [2, 3] });
    const commands = [command(1), command(2, { direction: 'server' }), command(3)];
    const first = cache.ticks(x, commands);
    expect(first.map((t) => [t.id, t.direction])).toEqual([[2, 'server'], [3, 'client']]);
    expect(cache.ticks(x, [...commands, command(4)])).toBe(first);
  });

  it('retries commands still loading once older ones arrive, and ones in flight once newer ones do', () => {
    const cache = new TickCache();
    const x = exchange(1, { commandIds: [1, 5] });
    expect(cache.ticks(x, [command(3), command(4)]).length).toBe(0);
    expect(cache.ticks(x, [command(1), command(3), command(4)]).map((t) => t.id)).toEqual([1]);
    expect(cache.ticks(x, [command(1), command(3), command(4), command(5)]).map((t) => t.id)).toEqual([1, 5]);
  });

  it('draws at most MAX_TICKS marks per exchange', () => {
    const commands = Array.from({ length: 100 }, (_, i) => command(i + 1));
    const x = exchange(1, { commandIds: commands.map((c) => c.id) });
    expect(new TickCache().ticks(x, commands).length).toBe(MAX_TICKS);
  });

  it('forgets exchanges a render did not draw', () => {
    const cache = new TickCache();
    const commands = [command(1), command(2)];
    cache.ticks(exchange(1, { commandIds: [1] }), commands);
    cache.ticks(exchange(2, { commandIds: [2] }), commands);
    cache.sweep();
    cache.ticks(exchange(2, { commandIds: [2] }), commands);
    cache.sweep();
    expect(cache.size).toBe(1);
  });
});
