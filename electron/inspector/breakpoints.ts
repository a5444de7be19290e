// Breakpoints: hold commands that match a filter (in one or both directions) until the user forwards
// them (maybe edited, validated with the codec) or drops them. A held command forwards itself after
// a visible deadline so the client does not give up on the connection.
import type { Breakpoint, HeldCommand } from '../../shared/api/contract.ts';
import { compileFilter, parseFilter } from '../../shared/api/filter.ts';
import type { FilterSubject } from '../../shared/api/filter.ts';
import { DEFAULT_VERSION } from '../../shared/msnp/index.ts';
import type { Direction, FramingContext, ServerKind } from '../../shared/msnp/index.ts';
import { toBase64 } from './base64.ts';
import { frameOne } from './frame-one.ts';
import type { CommandInterceptor, InterceptDecision } from './interceptor.ts';

export interface SessionInfo {
  server: ServerKind;
  user: string | null;
  version: number | null;
}

export type HeldOutcome = 'forwarded' | 'edited' | 'dropped' | 'timeout' | 'released';

export interface BreakpointManagerOptions {
  /** Current auto-forward timeout (Settings.breakpointTimeoutMs). */
  timeoutMs: () => number;
  /** What the filter needs to know about a session; null for an unknown one (never held). */
  sessionInfo: (sessionId: string) => SessionInfo | null;
  onHeldChange?: (held: HeldCommand[]) => void;
  onResolved?: (held: HeldCommand, outcome: HeldOutcome) => void;
  now?: () => number;
  /** Most commands held at once; beyond it commands pass (memory stays bounded). */
  maxHeld?: number;
  maxBreakpoints?: number;
}

interface Holding {
  held: HeldCommand;
  original: Uint8Array;
  ctx: FramingContext;
  resolve: (d: InterceptDecision) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Compiled {
  bp: Breakpoint;
  match: (s: FilterSubject) => boolean;
}

export class BreakpointManager implements CommandInterceptor {
  private readonly opts: Required<Omit<BreakpointManagerOptions, 'onHeldChange' | 'onResolved'>> & Pick<BreakpointManagerOptions, 'onHeldChange' | 'onResolved'>;
  private breakpoints: Compiled[] = [];
  private readonly holding = new Map<number, Holding>();
  private nextBreakpointId = 1;
  private nextHeldId = 1;

  constructor(options: BreakpointManagerOptions) {
    this.opts = { now: Date.now, maxHeld: 1000, maxBreakpoints: 100, ...options };
  }

  list(): Breakpoint[] {
    return this.breakpoints.map((c) => ({ ...c.bp }));
  }

  held(): HeldCommand[] {
    return [...this.holding.values()].map((h) => ({ ...h.held }));
  }

  /** Adds a breakpoint, or replaces the one with `id`. */
  set(input: Omit<Breakpoint, 'id'> & { id?: number }): Breakpoint | { error: string } {
    const parsed = parseFilter(input.filter);
    if (parsed.errors.length > 0) return { error: `bad filter: ${parsed.errors.join('; ')}` };
    const index = input.id === undefined ? -1 : this.breakpoints.findIndex((c) => c.bp.id === input.id);
    if (input.id !== undefined && index < 0) return { error: `no breakpoint ${input.id}` };
    if (index < 0 && this.breakpoints.length >= this.opts.maxBreakpoints) return { error: `at most ${this.opts.maxBreakpoints} breakpoints` };
    const bp: Breakpoint = { id: input.id ?? this.nextBreakpointId++, filter: input.filter, direction: input.direction, enabled: input.enabled };
    const compiled = { bp, match: compileFilter(parsed) };
    if (index < 0) this.breakpoints.push(compiled);
    else this.breakpoints[index] = compiled;
    return { ...bp };
  }

  remove(id: number): boolean {
    const before = this.breakpoints.length;
    this.breakpoints = this.breakpoints.filter((c) => c.bp.id !== id);
    return this.breakpoints.length < before;
  }

  active(): boolean {
    return this.breakpoints.some((c) => c.bp.enabled);
  }

  intercept(sessionId: string, direction: Direction, raw: Uint8Array): 'pass' | Promise<InterceptDecision> {
    if (!this.breakpoints.some((c) => c.bp.enabled)) return 'pass';
    if (this.holding.size >= this.opts.maxHeld) return 'pass';
    const info = this.opts.sessionInfo(sessionId);
    if (info === null) return 'pass';
    const ctx: FramingContext = { direction, server: info.server, version: info.version ?? DEFAULT_VERSION };
    const framed = frameOne(raw, ctx);
    const item = framed.ok ? framed.item : null;
    const subject: FilterSubject = {
      verb: item?.verb ?? null,
      direction,
      sessionId,
      server: info.server,
      trid: item?.trid ?? null,
      user: info.user,
      errorCode: item?.errorCode ?? null,
      malformed: item === null,
      text: item?.line ?? '',
    };
    const hit = this.breakpoints.find((c) => c.bp.enabled && (c.bp.direction === 'both' || c.bp.direction === direction) && c.match(subject));
    if (hit === undefined) return 'pass';
    const original = raw.slice(); // the gateway may reuse its buffer while we wait
    const now = this.opts.now();
    const timeout = Math.max(0, this.opts.timeoutMs());
    const held: HeldCommand = { id: this.nextHeldId++, breakpointId: hit.bp.id, sessionId, direction, raw: toBase64(original), heldAt: now, deadline: now + timeout };
    return new Promise<InterceptDecision>((resolve) => {
      const timer = setTimeout(() => this.finish(held.id, { action: 'forward', raw: original, edited: false }, 'timeout'), timeout);
      timer.unref?.();
      this.holding.set(held.id, { held, original, ctx, resolve, timer });
      this.changed();
    });
  }

  /** Forwards a held command, edited when `raw` is given (it must frame as one command). */
  forward(id: number, raw?: Uint8Array): { ok: boolean; error?: string } {
    const h = this.holding.get(id);
    if (h === undefined) return { ok: false, error: `no held command ${id}` };
    if (raw === undefined) {
      this.finish(id, { action: 'forward', raw: h.original, edited: false }, 'forwarded');
      return { ok: true };
    }
    const framed = frameOne(raw, h.ctx);
    if (!framed.ok) return { ok: false, error: `edited bytes rejected: ${framed.error}` };
    const edited = !sameBytes(raw, h.original);
    this.finish(id, { action: 'forward', raw: raw.slice(), edited }, edited ? 'edited' : 'forwarded');
    return { ok: true };
  }

  drop(id: number): { ok: boolean } {
    if (!this.holding.has(id)) return { ok: false };
    this.finish(id, { action: 'drop' }, 'dropped');
    return { ok: true };
  }

  /** Forwards everything held (shutdown, or breakpoints switched off): nothing may hang. */
  releaseAll(): void {
    for (const [id, h] of [...this.holding]) this.finish(id, { action: 'forward', raw: h.original, edited: false }, 'released');
  }

  private finish(id: number, decision: InterceptDecision, outcome: HeldOutcome): void {
    const h = this.holding.get(id);
    if (h === undefined) return;
    clearTimeout(h.timer);
    this.holding.delete(id);
    h.resolve(decision);
    this.opts.onResolved?.({ ...h.held }, outcome);
    this.changed();
  }

  private changed(): void {
    this.opts.onHeldChange?.(this.held());
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
