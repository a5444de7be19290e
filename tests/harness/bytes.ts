// Small byte and timing helpers shared by the harness and the gateway tests.
import net from 'node:net';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type Chunk = Uint8Array | string;

export function bytesOf(data: Chunk): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

export { concatBytes } from '../../shared/msnp/bytes.ts';

export function textOf(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Latin-1 view: one char per byte, so binary data survives for string comparisons. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Epoch milliseconds with sub-millisecond precision, comparable with gateway event times. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(check: () => T | null | undefined | false, timeoutMs = 3000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** A loopback port that nothing listens on (bound, then released), for connection-refused cases. */
export async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
