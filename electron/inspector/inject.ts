// Injection: build a command with the codec (TrID and payload length filled in), check it frames as
// exactly one command, and hand it to the gateway: to the server at once, or to the client queued
// to ride on the session's next response. The result then comes back through the normal event
// path (bytes with origin 'injected'), so it is recorded, paired and captured like any command.
import type { Base64 } from '../../shared/api/contract.ts';
import { DEFAULT_VERSION, EncodeError, encodeCommand } from '../../shared/msnp/index.ts';
import type { FramingContext } from '../../shared/msnp/index.ts';
import { fromBase64, toBase64 } from './base64.ts';
import { frameOne } from './frame-one.ts';
import type { SessionState } from './model/entry.ts';
import type { InspectorModel } from './model/model.ts';

export type InjectResult = { ok: true; raw: Base64 } | { ok: false; error: string };

export interface InjectRequest {
  sessionId: string;
  to: 'server' | 'client';
  verb: string;
  args: string[];
  payload?: Base64;
  /** A number, 'auto' (the session's next unused client TrID), or absent for commands without one. */
  trid?: number | 'auto';
}

/** The gateway's injection entry points; asynchronous when the gateway runs on another thread. */
export interface InjectGateway {
  injectToClient(sessionId: string, raw: Uint8Array): boolean | Promise<boolean>;
  injectToServer(sessionId: string, raw: Uint8Array): boolean | Promise<boolean>;
}

export class Injector {
  private readonly gateway: InjectGateway;
  private readonly model: InspectorModel;

  constructor(gateway: InjectGateway, model: InspectorModel) {
    this.gateway = gateway;
    this.model = model;
  }

  send(req: InjectRequest): InjectResult | Promise<InjectResult> {
    const s = this.liveSession(req.sessionId);
    if (typeof s === 'string') return { ok: false, error: s };
    let payload: Uint8Array | null = null;
    if (req.payload !== undefined) {
      payload = fromBase64(req.payload);
      if (payload === null) return { ok: false, error: 'payload is not valid base64' };
    }
    const ctx = contextFor(s, req.to);
    const trid = req.trid === 'auto' ? s.maxClientTrid + 1 : req.trid;
    let raw: Uint8Array;
    try {
      raw = encodeCommand({ verb: req.verb, trid: trid ?? null, args: req.args, payload }, ctx);
    } catch (err) {
      if (err instanceof EncodeError) return { ok: false, error: err.message };
      throw err;
    }
    const framed = frameOne(raw, ctx);
    if (!framed.ok) return { ok: false, error: framed.error };
    // Reserve the TrID now: a second 'auto' before the first one's bytes are seen gets the next.
    if (req.to === 'server' && trid !== undefined && trid > s.maxClientTrid) s.maxClientTrid = trid;
    return this.deliver(s, req.to, raw);
  }

  /** Sends a captured command again, byte for byte, the way it went the first time. */
  resend(commandId: number): InjectResult | Promise<InjectResult> {
    const entry = this.model.commands.get(commandId);
    if (entry === undefined) return { ok: false, error: `command ${commandId} is not in memory (evicted, cleared or never seen)` };
    if (entry.malformed) return { ok: false, error: `command ${commandId} is malformed bytes, not a command` };
    const s = this.liveSession(entry.session.id);
    if (typeof s === 'string') return { ok: false, error: s };
    const to = entry.direction === 'client' ? 'server' : 'client';
    const framed = frameOne(entry.raw, contextFor(s, to));
    if (!framed.ok) return { ok: false, error: framed.error };
    return this.deliver(s, to, entry.raw.slice());
  }

  private deliver(s: SessionState, to: 'server' | 'client', raw: Uint8Array): InjectResult | Promise<InjectResult> {
    const ok = to === 'server' ? this.gateway.injectToServer(s.id, raw) : this.gateway.injectToClient(s.id, raw);
    const result = (delivered: boolean): InjectResult =>
      delivered ? { ok: true, raw: toBase64(raw) } : { ok: false, error: `session ${s.id} is no longer live at the gateway` };
    return typeof ok === 'boolean' ? result(ok) : ok.then(result);
  }

  private liveSession(id: string): SessionState | string {
    const s = this.model.sessions.get(id);
    if (s === undefined) return `unknown session ${JSON.stringify(id)}`;
    if (s.state !== 'open') return `session ${id} is closed`;
    return s;
  }
}

function contextFor(s: SessionState, to: 'server' | 'client'): FramingContext {
  return { direction: to === 'server' ? 'client' : 'server', server: s.server, version: s.decoder?.version ?? s.version ?? DEFAULT_VERSION };
}
