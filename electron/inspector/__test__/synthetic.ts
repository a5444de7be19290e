// Synthetic GatewayEvent streams for model tests: a session opened, bytes each way, exchanges and
// closes, with increasing seq/time, so tests read like the traffic they describe.
import type { GatewayEvent, SessionCloseReason } from '../../../shared/api/gateway-events.ts';

const enc = new TextEncoder();

export class EventScript {
  readonly events: GatewayEvent[] = [];
  seq = 0;
  time = 1_000_000;
  private exchangeId = 0;

  private base(): { seq: number; time: number } {
    this.seq++;
    this.time += 1;
    return { seq: this.seq, time: this.time };
  }

  open(sessionId: string, server: 'NS' | 'SB' = 'NS'): this {
    this.events.push({
      ...this.base(),
      type: 'session-opened',
      sessionId,
      server,
      requestedIp: server === 'NS' ? 'messenger.hotmail.com' : '127.0.0.1',
      clientAddress: '127.0.0.1',
      clientPort: 50000,
      upstream: { host: '127.0.0.1', port: 1863, kind: 'tcp' },
    });
    return this;
  }

  /** An exchange carrying `client` bytes up and `server` bytes back; returns its id. */
  exchange(sessionId: string, client: string | Uint8Array, server: string | Uint8Array = '', timing: { forwardedAfter?: number; firstByteAfter?: number } = {}): number {
    const id = ++this.exchangeId;
    const up = typeof client === 'string' ? enc.encode(client) : client;
    const down = typeof server === 'string' ? enc.encode(server) : server;
    const received = this.time + 1;
    this.events.push({ ...this.base(), type: 'http-request', exchangeId: id, sessionId, kind: up.length ? 'send' : 'poll', method: 'POST', target: `/gateway/gateway.dll?SessionID=${sessionId}.1`, clientAddress: '127.0.0.1', clientPort: 50000, head: enc.encode('POST /gateway/gateway.dll HTTP/1.1\r\n\r\n'), body: up });
    if (up.length) this.events.push({ ...this.base(), type: 'bytes', sessionId, direction: 'client', exchangeId: id, bytes: up });
    this.events.push({ ...this.base(), type: 'session-id-issued', sessionId, gatewaySessionId: `${sessionId}.${String(id).padStart(5, '0')}` });
    if (down.length) this.events.push({ ...this.base(), type: 'bytes', sessionId, direction: 'server', exchangeId: id, bytes: down });
    const forwarded = up.length ? received + (timing.forwardedAfter ?? 0) : null;
    const first = down.length && forwarded !== null ? forwarded + (timing.firstByteAfter ?? 1) : null;
    this.time = Math.max(this.time, first ?? 0) + 1;
    this.events.push({ ...this.base(), type: 'http-response', exchangeId: id, sessionId, status: 200, head: enc.encode('HTTP/1.1 200 OK\r\n\r\n'), body: down, timings: { received, forwarded, firstUpstreamByte: first, answered: this.time } });
    return id;
  }

  bytes(sessionId: string, direction: 'client' | 'server', data: string | Uint8Array, origin?: 'injected' | 'edited'): this {
    const bytes = typeof data === 'string' ? enc.encode(data) : data;
    this.events.push({ ...this.base(), type: 'bytes', sessionId, direction, exchangeId: null, bytes, ...(origin ? { origin } : {}) });
    return this;
  }

  notice(sessionId: string | null, code: string, message: string, severity: 'info' | 'warning' | 'error' = 'warning'): this {
    this.events.push({ ...this.base(), type: 'notice', sessionId, code, message, severity });
    return this;
  }

  close(sessionId: string, reason: SessionCloseReason = 'upstream-closed'): this {
    this.events.push({ ...this.base(), type: 'session-closed', sessionId, reason });
    return this;
  }

  /** Hands the events over and forgets them (for streaming into a model in steps). */
  take(): GatewayEvent[] {
    return this.events.splice(0);
  }
}
