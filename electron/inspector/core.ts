// The inspector's moving parts in one place: the live model (always fed by the gateway), the model
// on view (the live one, or a capture opened for offline analysis), queries, injection, breakpoints,
// batching and settings. api.ts puts the named operations on top.
import type { Settings, Status } from '../../shared/api/contract.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import type { AccountsPort } from './accounts-port.ts';
import { Batcher } from './batcher.ts';
import { BreakpointManager } from './breakpoints.ts';
import type { CapturePort, EventSource } from './capture-port.ts';
import { Injector } from './inject.ts';
import type { InjectGateway } from './inject.ts';
import { InspectorModel } from './model/model.ts';
import type { ModelOptions } from './model/model.ts';
import { CommandQueries } from './query.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

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

  /** Shows a capture (offline); the live model keeps running underneath. */
  async showCapture(path: string, events: EventSource): Promise<number> {
    const model = this.newModel();
    let n = 0;
    for await (const e of events) {
      model.ingest(e);
      // Let timers and I/O breathe while a big capture loads.
      if (++n % 20_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    model.changes.reset();
    // The UI drops its state and pages the capture with commands.query; commands are not streamed.
    model.changes.cleared = true;
    for (const id of model.sessions.keys()) model.changes.sessions.add(id);
    this.view = model;
    this.viewFile = path;
    this.queries = new CommandQueries(model);
    this.batcher.notify();
    return model.commands.size + model.commands.evictedTotal;
  }

  /** Clears everything and returns to the live view. */
  clear(): number {
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
