// The load generator's process: users are created, logged in, measured and stopped on request
// from load.bench.ts (over IPC), so the measured server has its process to itself.
import { WindowProfiler } from './cpu-profile.ts';
import { MsnLoad, type MsnLoadOptions } from './msn-load.ts';

// BENCH_CPU_PROFILE=PREFIX: the load process's measured window too (what the load itself costs).
const profileFile = process.env.BENCH_CPU_PROFILE;

type Message =
  | { id: number; cmd: 'login'; options: MsnLoadOptions }
  | { id: number; cmd: 'measure'; warmupS: number; durationS: number }
  | { id: number; cmd: 'stop' }
  | { id: number; cmd: 'exit' };

let load: MsnLoad | null = null;

process.on('message', async (msg: Message) => {
  try {
    let result: unknown = null;
    if (msg.cmd === 'login') {
      load = new MsnLoad(msg.options);
      await load.login();
      result = { loginMs: load.loginMs, loginErrors: load.loginErrors, errorSamples: load.stats.errorSamples.slice(0, 5) };
    } else if (msg.cmd === 'measure') {
      const profiler = profileFile ? new WindowProfiler() : null;
      await profiler?.start();
      result = await load!.measure(msg.warmupS, msg.durationS);
      await profiler?.stop(`${profileFile}.load.cpuprofile`);
    } else if (msg.cmd === 'stop') {
      await load?.stop(false);
      load = null;
    } else {
      process.send?.({ id: msg.id, ok: true, result: null }, () => process.exit(0));
      return;
    }
    process.send?.({ id: msg.id, ok: true, result });
  } catch (error) {
    process.send?.({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) });
  }
});
