import { describe, expect, it } from 'vitest';
import { parseTaskStat, readThreadTicks, threadCpuPercent, threadNiceness } from './thread-cpu.ts';

describe('CPU by thread', () => {
  it('parses a stat line whose thread name holds spaces and parentheses', () => {
    const line = '4242 (odd (name) x) S 1 2 3 4 5 6 7 8 9 10 1234 56 0 0 20 0 9 0 100 0 0';
    expect(parseTaskStat(line)).toEqual({ tid: 4242, name: 'odd (name) x', user: 1234, system: 56, nice: 0 });
    expect(parseTaskStat(line.replace(' 20 0 9', ' 30 10 9')).nice).toBe(10);
    expect(() => parseTaskStat('garbage')).toThrow('not a /proc stat line');
  });

  it('splits a window by thread name, the main thread apart, helpers of one name summed', () => {
    const before = [
      { tid: 10, name: 'node', user: 100, system: 10, nice: 0 },
      { tid: 11, name: 'V8Worker', user: 5, system: 0, nice: 10 },
      { tid: 12, name: 'V8Worker', user: 5, system: 0, nice: 10 },
    ];
    const after = [
      { tid: 10, name: 'node', user: 150, system: 20, nice: 0 },
      { tid: 11, name: 'V8Worker', user: 10, system: 0, nice: 10 },
      { tid: 12, name: 'V8Worker', user: 10, system: 5, nice: 0 },
      { tid: 13, name: 'WorkerThread', user: 20, system: 0, nice: 10 },
    ];
    // 60 ticks of 10 ms in 1 s on the main thread: 60% of a core.
    expect(threadCpuPercent(before, after, 1000, 10)).toEqual({ main: 60, V8Worker: 15, WorkerThread: 20 });
    expect(threadNiceness(after, 10)).toEqual({ main: 0, V8Worker: 10, WorkerThread: 10 });
  });

  it.skipIf(process.platform !== 'linux')('reads this process: its main thread is there, by its pid', () => {
    const ticks = readThreadTicks();
    expect(ticks.some((t) => t.tid === process.pid)).toBe(true);
    const spin = Date.now() + 60;
    while (Date.now() < spin);
    const after = readThreadTicks();
    expect(threadCpuPercent(ticks, after, 60).main).toBeGreaterThan(0);
  });
});
