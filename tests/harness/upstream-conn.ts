// One upstream connection as the scripted server sees it, independent of the transport
// (a real TCP socket or an in-process pipe). It records every byte each way with timestamps and
// runs the script: wait for exact client bytes, answer, close, reset or go silent.
import { bytesOf, bytesEqual, concatBytes, latin1, nowMs, sleep, textOf, waitFor, type Chunk } from './bytes.ts';

export type ScriptStep =
  /** The next client bytes must be exactly these; then `reply` is written (each element a separate write). */
  | { expect: Chunk; reply?: Chunk | Chunk[]; delayMs?: number }
  | { send: Chunk | Chunk[]; delayMs?: number }
  | { close: true; delayMs?: number }
  | { reset: true; delayMs?: number }
  /** Stop here: keep accepting bytes, never answer again. */
  | { stall: true };

export interface Timed {
  time: number;
  bytes: Uint8Array;
}

export interface Transport {
  /** Returns false when the caller should wait for `waitWritable` before writing more. */
  write(bytes: Uint8Array): boolean;
  waitWritable(): Promise<void>;
  end(): void;
  reset(): void;
}

export type UpstreamHandler = (conn: UpstreamConn, chunk: Uint8Array) => void;

export interface ConnBehaviour {
  script?: ScriptStep[];
  handler?: UpstreamHandler;
  echo?: boolean;
}

export class UpstreamConn {
  readonly index: number;
  /** For in-process connections: what the relay asked for. */
  readonly target: { server: 'NS' | 'SB'; host: string; port: number } | null;
  readonly received: Timed[] = [];
  readonly sent: Timed[] = [];
  /** Script mismatches, in words; a passing test expects this to stay empty. */
  readonly mismatches: string[] = [];
  readonly closed: Promise<'peer' | 'us'>;
  isClosed = false;
  closedBy: 'peer' | 'us' | null = null;
  readonly scriptDone: Promise<void>;
  private readonly transport: Transport;
  private behaviour: ConnBehaviour = {};
  private pending: Uint8Array = new Uint8Array(0);
  private stalled = false;
  private resolveClosed!: (by: 'peer' | 'us') => void;
  private resolveScript!: () => void;
  private scriptRunning = false;
  private wake: (() => void) | null = null;

  constructor(index: number, transport: Transport, target: UpstreamConn['target'] = null) {
    this.index = index;
    this.transport = transport;
    this.target = target;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.scriptDone = new Promise((resolve) => (this.resolveScript = resolve));
  }

  /** Called by the owner once the behaviour for this connection is known. */
  start(behaviour: ConnBehaviour): void {
    this.behaviour = behaviour;
    if (behaviour.script && behaviour.script.length > 0) {
      this.scriptRunning = true;
      void this.runScript(behaviour.script);
    } else {
      this.resolveScript();
    }
  }

  receivedBytes(): Uint8Array {
    return concatBytes(this.received.map((r) => r.bytes));
  }
  receivedText(): string {
    return textOf(this.receivedBytes());
  }
  sentBytes(): Uint8Array {
    return concatBytes(this.sent.map((r) => r.bytes));
  }

  write(data: Chunk): boolean {
    if (this.isClosed) return false;
    const bytes = bytesOf(data);
    this.sent.push({ time: nowMs(), bytes });
    return this.transport.write(bytes);
  }

  /** Graceful close (FIN). */
  end(): void {
    if (this.isClosed) return;
    this.markClosed('us');
    this.transport.end();
  }

  /** Abrupt close (RST on TCP). */
  reset(): void {
    if (this.isClosed) return;
    this.markClosed('us');
    this.transport.reset();
  }

  /** Stop answering (script, echo and handler) while still accepting bytes. */
  stall(): void {
    this.stalled = true;
  }

  /** Writes `totalBytes` as fast as the peer accepts them; resolves with the count written. */
  async flood(totalBytes: number, chunkSize = 16 * 1024, fill = 0x41): Promise<number> {
    let written = 0;
    while (written < totalBytes && !this.isClosed) {
      const n = Math.min(chunkSize, totalBytes - written);
      const ok = this.write(new Uint8Array(n).fill(fill));
      written += n;
      if (!ok) await this.transport.waitWritable();
    }
    return written;
  }

  /** Resolves once at least `n` bytes (or bytes satisfying `check`) have been received. */
  waitForBytes(check: number | ((received: Uint8Array) => boolean), timeoutMs = 3000): Promise<Uint8Array> {
    const test = typeof check === 'number' ? (b: Uint8Array) => b.length >= check : check;
    return waitFor(() => {
      const b = this.receivedBytes();
      return test(b) ? b : null;
    }, timeoutMs, `upstream connection ${this.index} to receive bytes`);
  }

  waitForText(text: string, timeoutMs = 3000): Promise<Uint8Array> {
    return this.waitForBytes((b) => latin1(b).includes(text), timeoutMs);
  }

  /** Transport side: bytes from the relay. */
  feed(chunk: Uint8Array): void {
    this.received.push({ time: nowMs(), bytes: chunk });
    if (this.scriptRunning) {
      this.pending = this.pending.length === 0 ? chunk : concatBytes([this.pending, chunk]);
      this.wake?.();
      return;
    }
    this.afterScript(chunk);
  }

  /** Transport side: the relay closed its end. */
  peerClosed(): void {
    if (!this.isClosed) this.markClosed('peer');
    this.wake?.();
  }

  private afterScript(chunk: Uint8Array): void {
    if (this.stalled || chunk.length === 0) return;
    if (this.behaviour.echo) this.write(chunk);
    this.behaviour.handler?.(this, chunk);
  }

  private markClosed(by: 'peer' | 'us'): void {
    this.isClosed = true;
    this.closedBy = by;
    this.resolveClosed(by);
  }

  private async runScript(steps: ScriptStep[]): Promise<void> {
    try {
      for (const step of steps) {
        if ('stall' in step) {
          this.stalled = true;
          return;
        }
        if (step.delayMs) await sleep(step.delayMs);
        if ('expect' in step) {
          if (!(await this.expect(bytesOf(step.expect)))) return;
          if (step.reply !== undefined) for (const c of [step.reply].flat()) this.write(c);
        } else if ('send' in step) {
          for (const c of [step.send].flat()) this.write(c);
        } else if ('close' in step) {
          this.end();
        } else if ('reset' in step) {
          this.reset();
        }
      }
    } finally {
      this.scriptRunning = false;
      const rest = this.pending;
      this.pending = new Uint8Array(0);
      if (!this.stalled && rest.length > 0) this.afterScript(rest);
      this.resolveScript();
    }
  }

  private async expect(want: Uint8Array): Promise<boolean> {
    for (;;) {
      const have = this.pending;
      const n = Math.min(have.length, want.length);
      if (!bytesEqual(have.subarray(0, n), want.subarray(0, n))) {
        this.mismatches.push(`expected ${JSON.stringify(latin1(want))}, got ${JSON.stringify(latin1(have))}`);
        this.stalled = true;
        return false;
      }
      if (have.length >= want.length) {
        this.pending = have.subarray(want.length);
        return true;
      }
      if (this.isClosed) {
        this.mismatches.push(`closed while expecting ${JSON.stringify(latin1(want))}; got ${JSON.stringify(latin1(have))}`);
        return false;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}
