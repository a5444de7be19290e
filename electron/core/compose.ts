// The desktop's core in plain Node: emulator + Passport, the gateway (restartable behind a slot,
// with the port-80 fallback), the inspector API and the capture log. The inspector and its capture
// log run on their own thread by default, so decoding and recording never hold the event loop
// that relays the gateway's sessions (and, in the app, Electron's main process). The shell
// (electron/shell) puts IPC and a window on top; nothing here imports electron.
import { join } from 'node:path';
import type { Settings, Status } from '../../shared/api/contract.ts';
import { createGateway } from '../gateway/index.ts';
import type { Gateway, GatewayOptions, UpstreamConfig } from '../gateway/index.ts';
import { openHeadlessCapture } from '../headless/capture-adapter.ts';
import type { HeadlessCapture } from '../headless/capture-adapter.ts';
import { startInspectorThread } from '../headless/worker/inspector-thread.ts';
import type { InspectorThread } from '../headless/worker/inspector-thread.ts';
import { createInspectorApi } from '../inspector/api.ts';
import { deferredInterceptor } from '../inspector/interceptor.ts';
import type { InspectorApi } from '../inspector/api.ts';
import type { EmulatorOptionsInput } from '../emulator/options.ts';
import { gatewayStatusOf, listenWithFallback } from '../shell/port-fallback.ts';
import type { PortEnv, PortOutcome, PortPlan } from '../shell/port-fallback.ts';
import { startEmulatorStack } from './emulator-stack.ts';
import type { EmulatorStack } from './emulator-stack.ts';
import { createGatewaySlot } from './gateway-slot.ts';

export const APP_VERSION = '0.1.0';

export interface CoreStartOptions {
  dataDir: string;
  settings: Settings;
  /** Used when the configured port is refused; 0 = any free port. */
  fallbackPort: number;
  env: PortEnv;
  /** Directory of the capture log (default DATA_DIR/captures); false = none. */
  capture?: string | false;
  /** false = no emulator (tests with a TCP upstream only). */
  emulator?: false | { open?: boolean; nsPort?: number; sbPort?: number; passportPort?: number; passportTlsPort?: number; options?: EmulatorOptionsInput };
  gatewayTuning?: Omit<Partial<GatewayOptions>, 'host' | 'port' | 'profile' | 'upstream' | 'gwIp'>;
  /** Settings the user changed through the API (persist them). */
  onSettingsChange?: (settings: Settings) => void;
  /** The gateway's state changed (started, fell back, restarted). */
  onGatewayStatus?: (status: Status['gateway']) => void;
  warn?: (message: string) => void;
  /**
   * Where the inspector runs: its own thread (default), or false for the main thread. A bundled
   * app passes `workerUrl`, the built worker entry (a file URL or an absolute path).
   */
  inspectorThread?: false | { workerUrl?: URL | string };
}

export interface DesktopCore {
  readonly api: InspectorApi;
  gatewayStatus(): Status['gateway'];
  /** Re-listens with the current settings (after a port change, or a remedy applied). */
  restartGateway(fallbackPort?: number): Promise<Status['gateway']>;
  readonly emulator: EmulatorStack | null;
  /** The inspector's thread (null when it runs on the main thread). */
  readonly inspectorThread: InspectorThread | null;
  close(): Promise<void>;
}

export async function startCore(o: CoreStartOptions): Promise<DesktopCore> {
  const warn = o.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  const slot = createGatewaySlot();
  // Breakpoints live in the inspector API, made after the first gateway; every gateway shares them.
  const breakpoints = deferredInterceptor();
  let settings = o.settings;
  let fallbackPort = o.fallbackPort;
  let plan: PortPlan = { host: settings.gateway.host, port: settings.gateway.port, fallbackPort };
  let outcome: PortOutcome | null = null;
  let stack: EmulatorStack | null = null;
  let capture: HeadlessCapture | null = null;
  let api: InspectorApi | null = null;
  let thread: InspectorThread | null = null;

  const upstreamOf = (s: Settings): UpstreamConfig => {
    if (s.upstream.kind === 'tcp') return { kind: 'tcp', host: s.upstream.host, port: s.upstream.port };
    if (!stack) throw new Error('the emulator is not running, so it cannot be the upstream');
    return { kind: 'emulator', connect: stack.emulator.connect };
  };

  const listenGateway = async (): Promise<void> => {
    plan = { host: settings.gateway.host, port: settings.gateway.port, fallbackPort };
    const upstream = upstreamOf(settings);
    const made: Gateway[] = [];
    outcome = await listenWithFallback(
      async (port) => {
        const gw = createGateway({
          ...o.gatewayTuning,
          host: plan.host,
          port,
          profile: settings.gateway.profile,
          upstream,
          interceptor: breakpoints.hook,
          ...(settings.gateway.gwIp ? { gwIp: settings.gateway.gwIp } : {}),
        });
        made.push(gw);
        return gw.listen();
      },
      plan,
      o.env,
    );
    // Only the last gateway made can be listening; the refused ones are closed.
    const winner = outcome.listening ? made.at(-1)! : null;
    for (const gw of made) if (gw !== winner) await gw.close().catch(() => {});
    slot.attach(winner);
    if (outcome.message) warn(outcome.message);
    const status = gatewayStatusOf(plan, outcome);
    // The thread keeps its own copy for status.get and batches; it is told of every change.
    thread?.setGatewayStatus(status);
    o.onGatewayStatus?.(status);
  };

  let restarting: Promise<unknown> = Promise.resolve();
  const restartGateway = (nextFallback?: number): Promise<Status['gateway']> => {
    const run = restarting.then(async () => {
      if (nextFallback !== undefined) fallbackPort = nextFallback;
      const old = slot.current();
      // Closing first frees the port for the new listener; its closing events still flow.
      if (old) await old.close().catch(() => {});
      slot.attach(null);
      await listenGateway();
      api?.flush();
      return gatewayStatusOf(plan, outcome);
    });
    restarting = run.catch(() => {});
    return run;
  };

  try {
    if (o.emulator !== false) {
      const e = o.emulator ?? {};
      stack = await startEmulatorStack({
        dataDir: o.dataDir,
        host: settings.gateway.host === '0.0.0.0' || settings.gateway.host === '::' ? '127.0.0.1' : settings.gateway.host,
        open: e.open,
        nsPort: e.nsPort,
        sbPort: e.sbPort,
        passportPort: e.passportPort,
        passportTlsPort: e.passportTlsPort,
        emulator: e.options,
        warn,
      });
    }
    await listenGateway();
    const captureDir = o.capture === false ? null : (o.capture ?? join(o.dataDir, 'captures'));
    const diskBytes = settings.retention.diskMegabytes * 1024 * 1024;
    const captureError = (message: string): void => warn(`The capture log stopped: ${message}. The live view goes on; events are no longer saved.`);
    const onSettingsChange = (next: Settings, restartNeeded: boolean): void => {
      const portChanged = next.gateway.host !== settings.gateway.host || next.gateway.port !== settings.gateway.port;
      settings = next;
      o.onSettingsChange?.(next);
      // Profile and upstream are fixed per gateway, so any of those changes means a new
      // listener; live sessions end and their clients reconnect.
      if (restartNeeded) {
        restartGateway().catch((err: unknown) => warn(`The gateway could not restart${portChanged ? ' on the new port' : ''}: ${(err as Error).message}`));
      }
    };
    let created: InspectorApi | null = null;
    if (o.inspectorThread !== false) {
      const workerUrl = o.inspectorThread?.workerUrl;
      try {
        thread = await startInspectorThread({
          gateway: slot.facade,
          settings,
          gatewayStatus: gatewayStatusOf(plan, outcome),
          capture: captureDir === null ? null : { dir: captureDir, appVersion: APP_VERSION, diskBytes },
          ...(stack ? { accounts: stack.accountsPort } : {}),
          ...(workerUrl !== undefined ? { workerUrl } : {}),
          onSettingsChange,
          onCaptureError: captureError,
          onThreadError: (error) =>
            warn(`The inspector's thread stopped: ${error.message}. The gateway goes on relaying, but nothing more is recorded; restart the app to inspect again.`),
        });
        created = thread;
      } catch (err) {
        // The app stays usable (a packaging fault, say, leaves no worker file): the inspector
        // runs here instead, and a broken capture directory fails below with its own message.
        warn(`The inspector's thread could not start: ${(err as Error).message}. The inspector runs on the main thread instead.`);
      }
    }
    if (created === null) {
      if (captureDir !== null) {
        capture = await openHeadlessCapture({ dir: captureDir, appVersion: APP_VERSION, diskBytes, onError: (error) => captureError(error.message) });
      }
      created = createInspectorApi({
        gateway: slot.facade,
        settings,
        gatewayStatus: () => gatewayStatusOf(plan, outcome),
        ...(stack ? { accounts: stack.accountsPort } : {}),
        ...(capture ? { capture: capture.port } : {}),
        onSettingsChange,
      });
    }
    const inspector: InspectorApi = created;
    api = inspector;
    breakpoints.bind(inspector.interceptor);
    let closing: Promise<void> | null = null;
    return {
      api: inspector,
      gatewayStatus: () => gatewayStatusOf(plan, outcome),
      restartGateway,
      emulator: stack,
      inspectorThread: thread,
      close: () =>
        (closing ??= (async () => {
          await restarting;
          const gw = slot.current();
          if (gw) await gw.close().catch(() => {});
          // After the gateway: the sessions it ended reach the inspector and the capture log.
          if (thread) await thread.shutdown().catch(() => {});
          else inspector.close();
          slot.attach(null);
          await capture?.close().catch(() => {});
          await stack?.close();
        })()),
    };
  } catch (err) {
    const gw = slot.current();
    if (gw) await gw.close().catch(() => {});
    if (thread) await thread.shutdown().catch(() => {});
    else api?.close();
    await capture?.close().catch(() => {});
    await stack?.close();
    throw err;
  }
}
