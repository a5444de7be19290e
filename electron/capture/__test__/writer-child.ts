// Run as a child process by log.test.ts: writes events to a capture as fast as it can, printing
// "ready" once the first batch is on disk, until the test kills it with SIGKILL.
import { CaptureWriter } from '../log.ts';

const dir = process.argv[2];
const writer = await CaptureWriter.open({ dir, appVersion: 'test', flushMs: 5 });
const payload = new Uint8Array(3000).fill(0x41);
let seq = 0;
let announced = false;
for (;;) {
  for (let i = 0; i < 50; i++) {
    seq++;
    writer.write({ type: 'bytes', seq, time: Date.now(), sessionId: '123456789', direction: 'server', exchangeId: seq, bytes: payload });
  }
  await writer.flush();
  if (!announced) {
    announced = true;
    process.stdout.write('ready\n');
  }
}
