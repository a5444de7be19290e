// The load generator and the echo upstream in a child process, so the server under test (bare
// node:http or the gateway) has the parent process to itself and both are measured alike.
import { startEchoUpstream, type EchoUpstream } from './echo-upstream.ts';
import { runLoad, type LoadOptions } from './load.ts';

type Message = { id: number; cmd: 'echo' } | { id: number; cmd: 'load'; options: LoadOptions } | { id: number; cmd: 'exit' };

let echo: EchoUpstream | null = null;

process.on('message', async (msg: Message) => {
  try {
    if (msg.cmd === 'echo') {
      echo ??= await startEchoUpstream();
      process.send?.({ id: msg.id, ok: true, result: { host: echo.host, port: echo.port } });
    } else if (msg.cmd === 'load') {
      process.send?.({ id: msg.id, ok: true, result: await runLoad(msg.options) });
    } else {
      await echo?.close();
      process.send?.({ id: msg.id, ok: true, result: null }, () => process.exit(0));
    }
  } catch (error) {
    process.send?.({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) });
  }
});
