// One synchronous event stream for the whole gateway. Listeners get the event object itself
// (no copies, no JSON); a throwing listener is isolated so it cannot break the relay.
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';

/** An event before the hub stamps it with `seq` and `time`. */
export type EventDraft = GatewayEvent extends infer E ? (E extends GatewayEvent ? Omit<E, 'seq' | 'time'> : never) : never;

// Read once: the getter is not free and now() runs several times per request.
const TIME_ORIGIN = performance.timeOrigin;

/** Epoch milliseconds from the monotonic clock, so ordering within a millisecond survives. */
export function now(): number {
  return TIME_ORIGIN + performance.now();
}

export class EventHub {
  private listeners: Array<(event: GatewayEvent) => void> = [];
  private seq = 0;

  subscribe(listener: (event: GatewayEvent) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Callers skip building costly drafts (head bytes) when nobody listens. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  emit(draft: EventDraft): void {
    const event = draft as GatewayEvent;
    event.seq = ++this.seq;
    event.time = now();
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      try {
        ls[i](event);
      } catch {
        // A broken listener must not take the gateway down.
      }
    }
  }

  notice(sessionId: string | null, severity: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.emit({ type: 'notice', sessionId, severity, code, message });
  }
}
