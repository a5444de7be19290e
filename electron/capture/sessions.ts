// What the exports need to know about each session, gathered from the events: the server kind
// (so the codec frames the right payload commands), addresses, and a stable per-kind number.
import type { GatewayEvent, SessionOpenedEvent } from '../../shared/api/gateway-events.ts';
import type { ServerKind } from '../../shared/msnp/types.ts';

export interface SessionFacts {
  sessionId: string;
  server: ServerKind;
  /** 0, 1, 2... per server kind, in order of first appearance (`NS 000`, `SB 001`). */
  number: number;
  opened: SessionOpenedEvent | null;
}

export class SessionTable {
  private readonly byId = new Map<string, SessionFacts>();
  private readonly counts: Record<ServerKind, number> = { NS: 0, SB: 0 };

  /** Learns from one event; call in event order. */
  see(event: GatewayEvent): void {
    if (event.type === 'session-opened') {
      const known = this.byId.get(event.sessionId);
      if (known) {
        known.opened = event;
        return;
      }
      this.add(event.sessionId, event.server, event);
      return;
    }
    if ('sessionId' in event && event.sessionId && !this.byId.has(event.sessionId)) {
      // A capture whose start was removed by retention: guess from the open's query, else NS.
      const server = event.type === 'http-request' && /[?&]Server=SB(?:&|$)/i.test(event.target) ? 'SB' : 'NS';
      this.add(event.sessionId, server, null);
    }
  }

  get(sessionId: string): SessionFacts | undefined {
    return this.byId.get(sessionId);
  }

  all(): SessionFacts[] {
    return [...this.byId.values()];
  }

  private add(sessionId: string, server: ServerKind, opened: SessionOpenedEvent | null): void {
    this.byId.set(sessionId, { sessionId, server, number: this.counts[server]++, opened });
  }

  static of(events: Iterable<GatewayEvent>): SessionTable {
    const table = new SessionTable();
    for (const e of events) table.see(e);
    return table;
  }
}

/** `NS 000`: the label the transcript and pcapng comments use. */
export function sessionLabel(s: SessionFacts): string {
  return `${s.server} ${String(s.number).padStart(3, '0')}`;
}
