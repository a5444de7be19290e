// Parent side of load-child.ts: start it, ask it for an echo upstream or a load run.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadOptions, LoadResult } from './load.ts';

export interface RemoteLoad {
  echoUpstream(): Promise<{ host: string; port: number }>;
  run(options: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

export function startRemoteLoad(): RemoteLoad {
  const child: ChildProcess = fork(fileURLToPath(new URL('./load-child.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.ok) w?.resolve(msg.result);
    else w?.reject(new Error(msg.error));
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`load process exited with ${code}`));
    waiting.clear();
  });
  const call = <T>(message: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...message });
    });
  return {
    echoUpstream: () => call({ cmd: 'echo' }),
    run: (options) => call({ cmd: 'load', options }),
    close: () => call({ cmd: 'exit' }).then(() => undefined),
  };
}
