// Breakpoints on the relay path: one lane per session and direction. While the interceptor could
// hold something, each framed command is offered to it in order; while one is held, every later
// item of that direction waits behind it, so forwarding (maybe edited) or dropping never
// reorders the stream. While no breakpoint is active the lane streams bytes exactly as they
// arrived (no waiting for whole commands); it switches between the two only at command
// boundaries, so no byte is ever delivered twice or skipped.
import { concatBytes } from '../../shared/msnp/bytes.ts';
import type { Item } from '../../shared/msnp/types.ts';
import type { CommandInterceptor, InterceptDecision } from './types.ts';

export type Deliver = (bytes: Uint8Array, origin: 'wire' | 'edited', tag: number | null) => void;

interface Pending {
  raw: Uint8Array;
  /** Only well-formed commands are offered; malformed bytes pass as they are. */
  offer: boolean;
  tag: number | null;
}

export class InterceptLane {
  private readonly sessionId: string;
  private readonly direction: 'client' | 'server';
  private readonly interceptor: CommandInterceptor;
  private readonly deliver: Deliver;
  private queue: Pending[] = [];
  private holding = false;
  private closed = false;
  private streaming = true;
  /** Bytes of an incomplete command the framer kept after the last push. */
  private partial = 0;

  constructor(sessionId: string, direction: 'client' | 'server', interceptor: CommandInterceptor, deliver: Deliver) {
    this.sessionId = sessionId;
    this.direction = direction;
    this.interceptor = interceptor;
    this.deliver = deliver;
  }

  /** True while a command is held. */
  get isHolding(): boolean {
    return this.holding;
  }

  /**
   * `chunk` just arrived; `items` is what the framer made of it (completing earlier partial
   * bytes) and `buffered` what it still holds back. `tag` travels with the bytes (an exchange id).
   */
  push(chunk: Uint8Array, items: readonly Item[], buffered: number, tag: number | null): void {
    if (this.closed) return;
    if (this.partial === 0) this.streaming = !this.holding && this.queue.length === 0 && !this.wantsCommands();
    this.partial = buffered;
    if (this.streaming) {
      if (chunk.length > 0) this.deliver(chunk, 'wire', tag);
      return;
    }
    for (const item of items) this.queue.push({ raw: item.raw, offer: item.kind === 'command', tag });
    this.drain();
  }

  /** The stream ended: bytes of an unfinished command (already framed as `items`) go out too. */
  end(items: readonly Item[]): void {
    if (this.closed) return;
    const streamed = this.streaming;
    this.partial = 0;
    if (streamed) return; // they went out as they arrived
    for (const item of items) this.queue.push({ raw: item.raw, offer: false, tag: null });
    this.drain();
  }

  /** The session ended: nothing more is delivered, held or not. */
  close(): void {
    this.closed = true;
    this.queue = [];
  }

  private wantsCommands(): boolean {
    try {
      return this.interceptor.active ? this.interceptor.active() : true;
    } catch {
      return false;
    }
  }

  private drain(): void {
    // Consecutive passing items go out as one write, as the bytes arrived.
    let run: Uint8Array[] = [];
    let runTag: number | null = null;
    const flush = () => {
      if (run.length === 0) return;
      this.deliver(concatBytes(run), 'wire', runTag);
      run = [];
    };
    while (!this.holding && !this.closed && this.queue.length > 0) {
      const next = this.queue.shift()!;
      const decision = next.offer ? this.ask(next.raw) : 'pass';
      if (decision === 'pass') {
        if (run.length > 0 && runTag !== next.tag) flush();
        runTag = next.tag;
        run.push(next.raw);
        continue;
      }
      flush();
      this.holding = true;
      decision.then(
        (d) => this.settle(d, next),
        () => this.settle({ action: 'forward', raw: next.raw, edited: false }, next),
      );
    }
    flush();
  }

  private ask(raw: Uint8Array): 'pass' | Promise<InterceptDecision> {
    try {
      return this.interceptor.intercept(this.sessionId, this.direction, raw);
    } catch {
      // A failing hook must never stop the relay.
      return 'pass';
    }
  }

  private settle(decision: InterceptDecision, held: Pending): void {
    this.holding = false;
    if (this.closed) return;
    if (decision.action === 'forward') this.deliver(decision.raw, decision.edited ? 'edited' : 'wire', held.tag);
    this.drain();
  }
}
