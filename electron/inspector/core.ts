// The inspector's moving parts in one place: the live model (always fed by the gateway), the model
// on view (the live one, or a capture opened for offline analysis), queries, injection, breakpoints,
// batching and settings. api.ts puts the named operations on top.
import type { Settings, Status } from '../../shared/api/contract.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import type { AccountsPort } from './accounts-port.ts';
import { Batcher } from './batcher.ts';
import { BreakpointManager } from './breakpoints.ts';
import { startCaptureLoad } from './capture-load.ts';
import type { CaptureLoad, CaptureLoadOptions } from './capture-load.ts';
import type { CapturePort, EventSource } from './capture-port.ts';
import { Injector } from './inject.ts';
import type { InjectGateway } from './inject.ts';
import { InspectorModel } from './model/model.ts';
import type { ModelOptions } from './model/model.ts';
import { CommandQueries } from './query.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

/** While a capture loads, its session upserts go out at most this often (ms). */
const LOAD_SESSIONS_MS = 1000;

export interface CoreOptions {
  gateway: InjectGateway;
  settings?: Partial<Settings>;
  accounts?: AccountsPort;
  capture?: CapturePort;
  onSettingsChange?: (settings: Settings, restartNeeded: boolean) => void;
  /** The gateway's listening state for status.get (the shell knows it; default: from settings). */
  gatewayStatus?: () => Status['gateway'];
  /** Model limits other than memoryCommands (that one comes from settings.retention). */
  model?: Partial<Omit<ModelOptions, 'memoryCommands'>>;
  batchIntervalMs?: number;
  maxCommandsPerBatch?: number;
  maxRecordsPerBatch?: number;
  /** When capture.open answers and how the rest loads (tests shrink these). */
  captureLoad?: Omit<CaptureLoadOptions, 'onProgress'>;
}

export class InspectorCore {
  readonly options: CoreOptions;
  settings: Settings;
  live: InspectorModel;
  view: InspectorModel;
  /** Path of the capture on view, or null for the live model. */
  viewFile: string | null = null;
  queries: CommandQueries;
  readonly injector: Injector;
  readonly breakpoints: BreakpointManager;
  readonly batcher: Batcher;
  capturing = true;
  private load: CaptureLoad | null = null;

  constructor(options: CoreOptions) {
    this.options = options;
    this.settings = {
      ...DEFAULT_SETTINGS,
      ...options.settings,
      retention: { ...DEFAULT_SETTINGS.retention, ...options.settings?.retention },
    };
    this.live = this.newModel();
    this.view = this.live;
    this.queries = new CommandQueries(this.view);
    this.injector = new Injector(options.gateway, this.live);
    this.batcher = new Batcher(() => this.view, {
      intervalMs: options.batchIntervalMs,
      maxCommandsPerBatch: options.maxCommandsPerBatch,
      maxRecordsPerBatch: options.maxRecordsPerBatch,
      status: () => this.status(),
    });
    this.breakpoints = new BreakpointManager({
      timeoutMs: () => this.settings.breakpointTimeoutMs,
      sessionInfo: (id) => {
        const s = this.live.sessions.get(id);
        return s ? { server: s.server, user: s.user, version: s.decoder?.version ?? s.version } : null;
      },
      onHeldChange: (held) => {
        this.view.changes.held = held;
        this.batcher.notify();
      },
      onResolved: (held, outcome) => {
        if (outcome !== 'dropped' && outcome !== 'timeout') return;
        this.live.addFinding({
          time: Date.now(),
          severity: 'info',
          code: outcome === 'dropped' ? 'dropped' : 'notice',
          message: outcome === 'dropped' ? `held ${held.direction} command dropped by the user` : `held command auto-forwarded after ${this.settings.breakpointTimeoutMs} ms`,
          sessionId: held.sessionId,
        });
        this.afterChange();
      },
    });
  }

  newModel(): InspectorModel {
    return new InspectorModel({ ...this.options.model, memoryCommands: this.settings.retention.memoryCommands });
  }

  /** Every gateway event comes in here, in order. */
  ingest(event: GatewayEvent): void {
    if (this.capturing && this.options.capture) {
      try {
        this.options.capture.append(event);
      } catch {
        // The capture log reports its own failures; the live view must go on.
      }
    }
    this.live.recording = this.capturing;
    this.live.ingest(event);
    this.afterChange();
  }

  afterChange(): void {
    // Changes of a model nobody looks at are not kept (the view shows a capture file).
    if (this.view !== this.live) this.live.changes.reset();
    else this.batcher.notify();
  }

  /**
   * Shows a capture (offline); the live model keeps running underneath. Resolves with the commands
   * loaded so far once the first page is available; the rest loads in the background, its
   * progress in the status counts of later batches (see capture-load.ts).
   */
  async showCapture(path: string, events: EventSource): Promise<number> {
    const model = this.newModel();
    const load = startCaptureLoad(model, events, { ...this.options.captureLoad, onProgress: this.progressReporter(model) });
    // The capture on view (and its loading) stays until this one has its first page.
    const previous = this.load;
    this.load = load;
    try {
      await load.firstPage;
    } catch (error) {
      if (this.load === load) this.load = previous;
      throw error;
    }
    if (this.load !== load) {
      load.cancel(); // a later open or a clear came first
      return model.commands.size + model.commands.evictedTotal;
    }
    previous?.cancel();
    // The UI drops its state and pages the capture with commands.query; commands are not streamed.
    model.changes.reset();
    model.changes.cleared = true;
    for (const id of model.sessions.keys()) model.changes.sessions.add(id);
    this.view = model;
    this.viewFile = path;
    this.queries = new CommandQueries(model);
    this.batcher.notify();
    return model.commands.size + model.commands.evictedTotal;
  }

  /** The capture being loaded in the background, if any. */
  get loading(): CaptureLoad | null {
    return this.load;
  }

  /** Stops a background capture load (another open, a clear, shutdown). */
  cancelLoad(): void {
    this.load?.cancel();
    this.load = null;
  }

  private progressReporter(model: InspectorModel): (done: boolean) => void {
    let sessions = new Set<string>();
    let sessionsSent = performance.now();
    return (done) => {
      if (this.view !== model) return;
      // Only what a capture view sends: the status counts, a pending clear, held commands, and
      // session upserts at most once a second while loading (every slice would resend them all);
      // at the end a second `cleared` with every session.
      const c = model.changes;
      for (const id of c.sessions) sessions.add(id);
      const { cleared, held } = c;
      c.reset();
      c.cleared = cleared;
      c.held = held;
      c.statusChanged = true;
      const now = performance.now();
      if (done) {
        // The UI pages a capture when a batch says cleared; loaded in full now, it pages it again.
        c.cleared = true;
        c.sessions = new Set(model.sessions.keys());
      } else if (now - sessionsSent >= LOAD_SESSIONS_MS) {
        c.sessions = sessions;
        sessions = new Set();
        sessionsSent = now;
      }
      this.batcher.notify();
    };
  }

  /** Clears everything and returns to the live view. */
  clear(): number {
    this.cancelLoad();
    const cleared = this.view === this.live ? this.live.clear() : this.view.commands.size + this.live.clear();
    this.view = this.live;
    this.viewFile = null;
    this.queries = new CommandQueries(this.live);
    this.batcher.notify();
    return cleared;
  }

  status(): Status {
    const s = this.settings;
    const up = s.upstream.kind === 'tcp' ? `${s.upstream.host}:${s.upstream.port}` : 'emulator';
    const store = this.view.commands;
    return {
      gateway: this.options.gatewayStatus?.() ?? { listening: true, host: s.gateway.host, port: s.gateway.port, error: null, remedies: [] },
      upstream: up,
      capturing: this.capturing,
      captureFile: this.viewFile ?? this.options.capture?.currentFile() ?? null,
      counts: { sessions: this.view.sessions.size, commands: store.size + store.evictedTotal, inMemory: store.size, evicted: store.evictedTotal },
    };
  }
}
