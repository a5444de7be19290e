// A fake core behind the InspectorClient interface: holds records, answers every operation the
// way the contract says, records calls, and lets a test push event batches.
import type {
  Breakpoint,
  CommandDetail,
  CommandRecord,
  EventBatch,
  ExchangeDetail,
  ExchangeRecord,
  Finding,
  HeldCommand,
  OperationName,
  OperationRequest,
  OperationResponse,
  Operations,
  SessionRecord,
  Settings,
  Status,
} from '../../../shared/api/contract.ts';
import { Listeners } from '../api/client.ts';
import type { ConnectionState, InspectorClient } from '../api/client.ts';
import { settings as defaultSettings, status as defaultStatus } from './records.ts';

type Handler<N extends OperationName> = (request: OperationRequest<N>) => OperationResponse<N> | Promise<OperationResponse<N>>;

export interface FakeData {
  sessions: SessionRecord[];
  commands: CommandRecord[];
  exchanges: ExchangeRecord[];
  findings: Finding[];
  breakpoints: Breakpoint[];
  held: HeldCommand[];
  status: Status;
  settings: Settings;
  details: Map<number, CommandDetail>;
  exchangeDetails: Map<number, ExchangeDetail>;
}

const page = <T,>(items: T[], offset = 0, limit = 100) => ({ total: items.length, offset, items: items.slice(offset, offset + limit) });

export class FakeClient implements InspectorClient {
  readonly data: FakeData;
  readonly calls: { op: OperationName; request: unknown }[] = [];
  private readonly batches = new Listeners<EventBatch>();
  private readonly states = new Listeners<ConnectionState>();
  private readonly overrides = new Map<OperationName, Handler<OperationName>>();
  private seq = 0;

  constructor(data: Partial<FakeData> = {}) {
    this.data = {
      sessions: [],
      commands: [],
      exchanges: [],
      findings: [],
      breakpoints: [],
      held: [],
      status: defaultStatus(),
      settings: defaultSettings(),
      details: new Map(),
      exchangeDetails: new Map(),
      ...data,
    };
  }

  /** Replace the default answer of one operation. */
  on<N extends OperationName>(op: N, handler: Handler<N>): this {
    this.overrides.set(op, handler as unknown as Handler<OperationName>);
    return this;
  }

  callsOf<N extends OperationName>(op: N): OperationRequest<N>[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.request as OperationRequest<N>);
  }

  async call<N extends OperationName>(op: N, request: OperationRequest<N>): Promise<OperationResponse<N>> {
    this.calls.push({ op, request });
    const override = this.overrides.get(op);
    if (override) return (await override(request)) as OperationResponse<N>;
    return this.answer(op, request) as OperationResponse<N>;
  }

  private answer(op: OperationName, req: any): Operations[OperationName]['response'] {
    const d = this.data;
    switch (op) {
      case 'status.get': return d.status;
      case 'settings.get': return d.settings;
      case 'sessions.list': return d.sessions;
      case 'sessions.get': return d.sessions.find((s) => s.id === req.id) ?? null;
      case 'commands.query': return page(d.commands.filter((c) => !req.sessionId || c.sessionId === req.sessionId), req.offset, req.limit);
      case 'commands.get': return d.details.get(req.id) ?? null;
      case 'exchanges.list': return page(d.exchanges, req.offset, req.limit);
      case 'exchanges.get': return d.exchangeDetails.get(req.id) ?? null;
      case 'findings.list': return page(d.findings, req.offset, req.limit);
      case 'breakpoints.list': return { breakpoints: d.breakpoints, held: d.held };
      case 'breakpoints.set': {
        const bp = { ...req, id: req.id ?? d.breakpoints.length + 1 } as Breakpoint;
        d.breakpoints = [...d.breakpoints.filter((b) => b.id !== bp.id), bp];
        return bp;
      }
      case 'breakpoints.remove': d.breakpoints = d.breakpoints.filter((b) => b.id !== req.id); return { removed: true };
      case 'held.forward': case 'held.drop': d.held = d.held.filter((h) => h.id !== req.id); return { ok: true };
      case 'inject.send': return { ok: true, raw: btoa(`${req.verb}\r\n`) };
      case 'inject.resend': return { ok: true, raw: '' };
      case 'capture.pause': d.status = { ...d.status, capturing: false }; return { capturing: false };
      case 'capture.resume': d.status = { ...d.status, capturing: true }; return { capturing: true };
      case 'capture.clear': return { cleared: d.commands.length };
      case 'settings.set': d.settings = { ...d.settings, ...req }; return { settings: d.settings, restartNeeded: false };
      case 'accounts.list': return [];
      default: return { ok: true, bytes: 0, commands: 0 } as never;
    }
  }

  /** Push a batch as the core would (seq numbers filled in when not given). */
  emit(over: Partial<EventBatch> = {}): EventBatch {
    const b: EventBatch = { seq: ++this.seq, time: Date.now(), sessions: [], commands: [], exchanges: [], findings: [], held: null, evicted: null, cleared: false, status: null, ...over };
    this.seq = b.seq;
    this.batches.emit(b);
    return b;
  }

  setState(state: ConnectionState): void {
    this.states.emit(state);
  }

  onBatch(listener: (batch: EventBatch) => void): () => void {
    return this.batches.add(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    listener('open');
    return this.states.add(listener);
  }

  close(): void {
    this.batches.clear();
  }
}
