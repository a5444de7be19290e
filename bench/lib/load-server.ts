// The measured process of the load benchmark: either the whole stack (gateway + emulator +
// inspector + capture log, msn-stack.ts) or the bare node:http baseline. Driven over IPC by
// load.bench.ts; reports its own memory, so the figures are the server's alone.
import { writeHeapSnapshot } from 'node:v8';
import { startBareServer } from './bare-server.ts';
import { heapAfterGc, mb } from './heap.ts';
import { PromotionProfiler, WindowProfiler } from './cpu-profile.ts';
import { MemorySampler } from './memory.ts';
import { StallMonitor } from './stalls.ts';
import { startMsnStack, type MsnStack } from './msn-stack.ts';
import { readThreadTicks, threadCpuPercent, threadNiceness, type ThreadTicks } from './thread-cpu.ts';

type Message =
  | { id: number; cmd: 'start'; mode: 'stack' | 'bare'; users: number; group: number; capture: boolean; thread: boolean }
  | { id: number; cmd: 'sample-start' }
  | { id: number; cmd: 'sample-stop' }
  | { id: number; cmd: 'exit' };

let stack: MsnStack | null = null;
let bare: { port: number; close(): Promise<void> } | null = null;
let sampler: MemorySampler | null = null;
let stalls: StallMonitor | null = null;
let events0 = 0;
let cpu0: NodeJS.CpuUsage | null = null;
let window0 = 0;
let threads0: ThreadTicks[] = [];
// BENCH_CPU_PROFILE=FILE: profile the measured window only (not the login ramp).
const profileFile = process.env.BENCH_CPU_PROFILE;
const profiler = profileFile ? new WindowProfiler() : null;
// BENCH_PROMOTION_PROFILE=FILE: allocations of the measured window that outlived a minor GC.
const promotionFile = process.env.BENCH_PROMOTION_PROFILE;
const promotions = promotionFile ? new PromotionProfiler() : null;

process.on('message', async (msg: Message) => {
  try {
    let result: unknown = null;
    if (msg.cmd === 'start') {
      if (msg.mode === 'stack') {
        stack = await startMsnStack({ users: msg.users, group: msg.group, capture: msg.capture, thread: msg.thread });
        result = { port: stack.port, users: stack.users };
      } else {
        bare = await startBareServer();
        result = { port: bare.port, users: null };
      }
    } else if (msg.cmd === 'sample-start') {
      sampler = new MemorySampler(250);
      sampler.start();
      stalls = new StallMonitor();
      stalls.start();
      events0 = stack?.events() ?? 0;
      cpu0 = process.cpuUsage();
      threads0 = readThreadTicks();
      window0 = performance.now();
      await profiler?.start();
      await promotions?.start();
    } else if (msg.cmd === 'sample-stop') {
      const memory = sampler!.stop();
      const cpu = process.cpuUsage(cpu0 ?? undefined);
      const windowMs = performance.now() - window0;
      const cpuPercent = ((cpu.user + cpu.system) / 1000 / windowMs) * 100;
      const threads1 = readThreadTicks();
      const threadCpu = threadCpuPercent(threads0, threads1, windowMs);
      if (promotions && promotionFile) await promotions.stop(`${promotionFile}.${stack ? 'stack' : 'bare'}.heapprofile`);
      if (profiler && profileFile) await profiler.stop(`${profileFile}.${stack ? 'stack' : 'bare'}.cpuprofile`);
      // BENCH_HEAP_SNAPSHOT=PREFIX: what the server holds at the end of the window.
      if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(`${process.env.BENCH_HEAP_SNAPSHOT}.${stack ? 'stack' : 'bare'}.heapsnapshot`);
      const status = stack ? await stack.api.call('status.get', {}) : null;
      result = {
        memory,
        stalls: stalls!.stop(),
        cpuPercent,
        threadCpu,
        threadNice: threadNiceness(threads1),
        heapAfterGcMb: mb(await heapAfterGc()),
        inspectorHeapAfterGcMb: stack ? mb(await stack.inspectorHeapAfterGc()) : 0,
        rssMb: mb(process.memoryUsage().rss),
        events: stack ? stack.events() - events0 : 0,
        sessions: stack?.sessions() ?? 0,
        commands: status?.counts.commands ?? 0,
        captureDropped: stack?.capture ? stack.capture.writer.stats.dropped : null,
      };
    } else {
      await stack?.close();
      await bare?.close();
      process.send?.({ id: msg.id, ok: true, result: null }, () => process.exit(0));
      return;
    }
    process.send?.({ id: msg.id, ok: true, result });
  } catch (error) {
    process.send?.({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) });
  }
});
