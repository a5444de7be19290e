// Parent side of load-child.ts: start it, ask it for an echo upstream or a load run.
import { forkChild } from './ipc.ts';
import type { LoadOptions, LoadResult } from './load.ts';

export interface RemoteLoad {
  echoUpstream(): Promise<{ host: string; port: number }>;
  run(options: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

export function startRemoteLoad(): RemoteLoad {
  const child = forkChild('./load-child.ts');
  return {
    echoUpstream: () => child.call({ cmd: 'echo' }),
    run: (options) => child.call({ cmd: 'load', options }),
    close: () => child.exit(),
  };
}
