// Runs this command again in a child Node with extra V8 flags that only take effect at start-up
// (the young generation's size), and stands in for it: signals are passed on once, the exit code
// comes back, and the child ends itself if this process dies (its IPC channel closes).
import { spawn } from 'node:child_process';

export const RELAUNCHED_ENV = 'MSN_GATEWAY_INSPECTOR_RELAUNCHED';

export function relaunch(flags, script, args) {
  const posix = process.platform !== 'win32';
  const child = spawn(process.execPath, [...flags, ...process.execArgv, script, ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAUNCHED_ENV]: '1' },
    // Its own process group on POSIX, so a terminal's Ctrl+C reaches it once (through us), not
    // twice (a second SIGINT would cut its orderly close short). Windows' console sends Ctrl+C
    // to both processes itself.
    detached: posix,
  });
  const signals = posix ? ['SIGINT', 'SIGTERM', 'SIGHUP'] : ['SIGTERM'];
  for (const signal of signals) process.on(signal, () => child.kill(signal));
  if (!posix) process.on('SIGINT', () => {});
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`msn-gateway-inspector: cannot start ${process.execPath}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
