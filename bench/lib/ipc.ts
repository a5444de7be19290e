// Parent side of a benchmark child process driven by `{ id, cmd, ... }` messages.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child {
  call<T>(message: object): Promise<T>;
  /** Asks the child to exit; kills it if it does not within a few seconds. */
  exit(): Promise<void>;
  readonly process: ChildProcess;
}

export function forkChild(file: string, execArgv: string[] = []): Child {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...execArgv] });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.ok) w?.resolve(msg.result);
    else w?.reject(new Error(msg.error));
  });
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      for (const w of waiting.values()) w.reject(new Error(`${file} exited with ${code}`));
      waiting.clear();
      resolve();
    }),
  );
  const call = <T>(message: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...message });
    });
  return {
    call,
    process: child,
    async exit() {
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await call({ cmd: 'exit' }).catch(() => {});
      await exited;
      clearTimeout(timer);
    },
  };
}
