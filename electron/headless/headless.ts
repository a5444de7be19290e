// The headless inspector: gateway (with its relay), the emulated MSNP service with its Passport
// listeners, the inspector API, the capture log and the UI listener, in plain Node.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings, Status } from '../../shared/api/contract.ts';
import { AccountStore } from '../emulator/accounts.ts';
import { createEmulator } from '../emulator/emulator.ts';
import type { Emulator } from '../emulator/emulator.ts';
import type { EmulatorOptionsInput } from '../emulator/options.ts';
import { createPassportServers } from '../emulator/passport/index.ts';
import type { PassportServers } from '../emulator/passport/index.ts';
import { TicketStore } from '../emulator/tickets.ts';
import { createGateway } from '../gateway/index.ts';
import type { Gateway, GatewayBindError, GatewayOptions, GatewayProfile, UpstreamConfig } from '../gateway/index.ts';
import type { AccountsPort } from '../inspector/accounts-port.ts';
import { createInspectorApi } from '../inspector/api.ts';
import { deferredInterceptor } from '../inspector/interceptor.ts';
import type { CommandInterceptor } from '../gateway/types.ts';
import type { InspectorApi } from '../inspector/api.ts';
import { checkCaptureFile, resolveCaptureTarget } from '../capture/target.ts';
import type { CaptureTarget } from '../capture/target.ts';
import { openHeadlessCapture } from './capture-adapter.ts';
import type { CaptureFullInfo, RetentionReport } from '../capture/index.ts';
import { startInspectorThread, type InspectorThread } from './worker/inspector-thread.ts';
import type { HeadlessCapture } from './capture-adapter.ts';
import { defaultDataDir } from './data-dir.ts';
import { authority, isWildcard } from './security.ts';
import { startUiServer } from './ui-server.ts';
import type { UiServer } from './ui-server.ts';

export const HEADLESS_DEFAULTS = {
  gatewayHost: '127.0.0.1',
  gatewayPort: 80,
  uiHost: '127.0.0.1',
  uiPort: 0,
  nsPort: 1863,
  sbPort: 1864,
  passportPort: 0,
  passportTlsPort: 0,
} as const;

export const APP_VERSION = '0.1.0';

export interface HeadlessOptions {
  /** Default 127.0.0.1; the emulator's and Passport's listeners use the same address. */
  gatewayHost?: string;
  /**
   * Default 80. When it is not given and port 80 cannot be bound (EACCES, EADDRINUSE), the
   * remedies are reported through `warn` and the gateway takes any free port instead. A port
   * given explicitly is never replaced: the bind error is thrown.
   */
  gatewayPort?: number;
  /** 'emulator' (default) or a real MSNP server. */
  upstream?: 'emulator' | { host: string; port: number };
  profile?: GatewayProfile;
  /** The UI/API listener: loopback by default; port 0 (default) = any free port. */
  uiHost?: string;
  uiPort?: number;
  /**
   * This run's capture log (default the directory DATA_DIR/captures); false = no log. An existing
   * directory, or a path ending with a slash, is a directory of segment files; any other path is
   * the file to write (refused if it exists with content or its directory is missing).
   */
  capture?: string | false;
  /** Capture tuning (tests: a small segment size shows rotation). */
  captureLimits?: { segmentBytes?: number; diskBytes?: number };
  /** Any handle and password logs in; unknown accounts are created on first login. */
  emulatorOpen?: boolean;
  /** Emulator TCP listeners (defaults 1863/1864, any free port if those are taken and not given). */
  nsPort?: number;
  sbPort?: number;
  /** Passport HTTP/HTTPS listeners (default 0 = any free port). */
  passportPort?: number;
  passportTlsPort?: number;
  dataDir?: string;
  rendererDir?: string;
  /** Fixed token (tests); default random per run. */
  token?: string;
  /** Emulator tuning (tests shorten or disable timers). */
  emulator?: EmulatorOptionsInput;
  /** Gateway tuning beyond the options above (timings, limits). */
  gateway?: Omit<Partial<GatewayOptions>, 'host' | 'port' | 'profile' | 'upstream'>;
  /** The port used when `gatewayPort` is not given (default 80); a free port is taken if it is busy. */
  defaultGatewayPort?: number;
  /** Warnings for the user (a port fallback, capture problems, settings needing a restart). */
  warn?: (message: string) => void;
  /** Run the inspector and capture log on their own thread (default true); false keeps them on this one. */
  inspectorThread?: boolean;
}

export interface Endpoint {
  host: string;
  port: number;
}

export interface HeadlessAddresses {
  gateway: Endpoint & { url: string };
  inspector: Endpoint & { url: string; token: string };
  ns: Endpoint | null;
  sb: Endpoint | null;
  passport: (Endpoint & { url: string }) | null;
  passportTls: (Endpoint & { url: string }) | null;
  /** The capture file (named by --capture) or first segment file, if any. */
  capture: string | null;
  dataDir: string;
}

export interface Headless {
  readonly addresses: HeadlessAddresses;
  readonly api: InspectorApi;
  /** One line per endpoint, in the documented form. */
  lines(): string[];
  /** Closes everything; safe to call more than once. */
  close(): Promise<void>;
}

const FALLBACK_CODES = new Set(['EACCES', 'EPERM', 'EADDRINUSE']);

/** The address to show: a wildcard bind is reachable on loopback. */
function shown(host: string): string {
  return isWildcard(host) ? '127.0.0.1' : host;
}

export function formatLines(a: HeadlessAddresses): string[] {
  const lines = [
    `gateway: http://${authority(shown(a.gateway.host), a.gateway.port)}/gateway/gateway.dll`,
    `inspector: ${a.inspector.url}`,
  ];
  if (a.ns) lines.push(`ns: ${authority(shown(a.ns.host), a.ns.port)}`);
  if (a.sb) lines.push(`sb: ${authority(shown(a.sb.host), a.sb.port)}`);
  if (a.passport) lines.push(`passport: ${a.passport.url}`);
  if (a.passportTls) lines.push(`passport-tls: ${a.passportTls.url}`);
  return lines;
}

function accountsPort(accounts: AccountStore, emulator: Emulator): AccountsPort {
  return {
    list: () =>
      accounts.list().map((a) => ({ handle: a.handle, friendlyName: a.friendlyName, online: emulator.hub.presenceOf(a.handle) !== null })),
    create: (input) => {
      accounts.create({ handle: input.handle, password: input.password, friendlyName: input.friendlyName });
    },
    remove: (handle) => accounts.remove(handle),
  };
}

async function listenGateway(options: HeadlessOptions, host: string, upstream: UpstreamConfig, interceptor: CommandInterceptor, warn: (m: string) => void): Promise<{ gateway: Gateway; port: number }> {
  const make = (port: number) =>
    createGateway({ ...options.gateway, host, port, profile: options.profile ?? 'faithful', upstream, interceptor });
  const first = make(options.gatewayPort ?? options.defaultGatewayPort ?? HEADLESS_DEFAULTS.gatewayPort);
  try {
    return { gateway: first, port: (await first.listen()).port };
  } catch (error) {
    await first.close().catch(() => {});
    const bind = error as GatewayBindError;
    if (options.gatewayPort !== undefined || !FALLBACK_CODES.has(bind.code)) throw error;
    warn(`${bind.message}\nThe gateway port was not given (--gateway-port), so it listens on a free port instead; point clients (or their HTTP proxy setting) at it.`);
    const second = make(0);
    try {
      return { gateway: second, port: (await second.listen()).port };
    } catch (again) {
      await second.close().catch(() => {});
      throw again;
    }
  }
}

async function listenEmulator(emulator: Emulator, options: HeadlessOptions, host: string, warn: (m: string) => void) {
  const nsPort = options.nsPort ?? HEADLESS_DEFAULTS.nsPort;
  const sbPort = options.sbPort ?? HEADLESS_DEFAULTS.sbPort;
  try {
    return await emulator.listen({ host, nsPort, sbPort });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (options.nsPort !== undefined || options.sbPort !== undefined || !FALLBACK_CODES.has(code)) {
      throw new Error(`the emulator cannot listen on ${host} (ns ${nsPort}, sb ${sbPort}): ${(error as Error).message}`, { cause: error });
    }
    warn(`The emulator's default ports ${nsPort}/${sbPort} are not available (${code}); its TCP listeners use free ports instead (set --ns-port/--sb-port to choose).`);
    return emulator.listen({ host, nsPort: 0, sbPort: 0 });
  }
}

export async function startHeadless(options: HeadlessOptions = {}): Promise<Headless> {
  const warn = options.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  const host = options.gatewayHost ?? HEADLESS_DEFAULTS.gatewayHost;
  const dataDir = options.dataDir ?? defaultDataDir();
  const useEmulator = (options.upstream ?? 'emulator') === 'emulator';
  // Closed in this order: nothing new comes in, the gateway's last events (sessions ended by the
  // shutdown) still reach the inspector and the capture log, then the capture is flushed.
  const ORDER = ['ui', 'gateway', 'api', 'capture', 'passport', 'emulator'] as const;
  const cleanup = new Map<(typeof ORDER)[number], () => Promise<unknown> | void>();
  const closeAll = async () => {
    for (const name of ORDER) {
      const step = cleanup.get(name);
      cleanup.delete(name);
      if (step) await Promise.resolve(step()).catch(() => {});
    }
  };

  try {
    // The capture target is checked before anything listens, so a refused file fails fast.
    let captureTarget: CaptureTarget | null = null;
    if (options.capture !== false) {
      captureTarget = options.capture === undefined ? { kind: 'dir', dir: join(dataDir, 'captures') } : await resolveCaptureTarget(options.capture);
      if (captureTarget.kind === 'file') await checkCaptureFile(captureTarget.file);
    }
    await mkdir(dataDir, { recursive: true });
    let emulator: Emulator | null = null;
    let accounts: AccountStore | null = null;
    let passport: PassportServers | null = null;
    let nsSb: { ns: Endpoint; sb: Endpoint } | null = null;
    let upstream: UpstreamConfig;
    if (useEmulator) {
      accounts = new AccountStore({ dataDir, open: options.emulatorOpen ?? false });
      const tickets = new TicketStore();
      emulator = createEmulator({ accounts, tickets, options: options.emulator });
      const started = emulator;
      cleanup.set('emulator', () => started.close());
      nsSb = await listenEmulator(emulator, options, host, warn);
      passport = await createPassportServers({
        dataDir,
        accounts,
        tickets,
        host,
        httpPort: options.passportPort ?? HEADLESS_DEFAULTS.passportPort,
        httpsPort: options.passportTlsPort ?? HEADLESS_DEFAULTS.passportTlsPort,
      });
      const servers = passport;
      cleanup.set('passport', () => servers.close());
      upstream = { kind: 'emulator', connect: emulator.connect };
    } else {
      const target = options.upstream as { host: string; port: number };
      upstream = { kind: 'tcp', host: target.host, port: target.port };
    }

    const breakpoints = deferredInterceptor();
    const { gateway, port: gatewayPort } = await listenGateway(options, host, upstream, breakpoints.hook, warn);
    cleanup.set('gateway', () => gateway.close());

    const settings: Partial<Settings> = {
      gateway: { host, port: gatewayPort, profile: options.profile ?? 'faithful', gwIp: options.gateway?.gwIp ?? null },
      upstream: useEmulator ? { kind: 'emulator' } : { kind: 'tcp', host: (upstream as { host: string }).host, port: (upstream as { port: number }).port },
    };
    const gatewayStatus: Status['gateway'] = { listening: true, host, port: gatewayPort, error: null, remedies: [] };
    const shownAt = captureTarget === null ? '' : captureTarget.kind === 'dir' ? captureTarget.dir : captureTarget.file;
    const captureNotes = {
      onError: (message: string) => warn(`The capture log stopped: ${message}. The live view goes on; events are no longer saved.`),
      onRetention: (report: RetentionReport) => warn(`Capture disk budget: removed ${report.removed.length} old segment file(s) from ${shownAt}.`),
      onFull: (info: CaptureFullInfo) =>
        warn(`The capture ${shownAt} reached its size limit (${info.limitBytes} bytes): events from seq ${info.firstDroppedSeq} on are not saved (counted in a note at the end). The live view goes on.`),
    };
    const onSettingsChange = (_settings: Settings, restartNeeded: boolean): void => {
      if (restartNeeded) warn('Gateway or upstream settings changed: restart the headless inspector with the new options to apply them.');
    };
    const where = captureTarget === null ? null : captureTarget.kind === 'dir' ? { dir: captureTarget.dir } : { file: captureTarget.file };
    const accountsApi = accounts && emulator ? accountsPort(accounts, emulator) : undefined;
    let api: InspectorApi & Partial<Pick<InspectorThread, 'onBatchJson'>>;
    let captureFile: string | null = null;
    if (options.inspectorThread !== false) {
      // Decoding, recording and batching run on their own thread, so thousands of polling clients
      // do not wait behind them (bench:load).
      const thread = await startInspectorThread({
        gateway,
        settings,
        gatewayStatus,
        capture: where ? { ...where, appVersion: APP_VERSION, ...options.captureLimits } : null,
        ...(accountsApi ? { accounts: accountsApi } : {}),
        onSettingsChange,
        onCaptureError: captureNotes.onError,
        onCaptureRetention: captureNotes.onRetention,
        onCaptureFull: captureNotes.onFull,
        onThreadError: (error) => warn(`The inspector's thread stopped: ${error.message}. The gateway goes on relaying, but nothing more is recorded; restart to inspect again.`),
      });
      cleanup.set('api', () => thread.shutdown());
      api = thread;
      captureFile = thread.capture?.firstFile ?? null;
    } else {
      let capture: HeadlessCapture | null = null;
      if (where !== null) {
        capture = await openHeadlessCapture({
          ...where,
          appVersion: APP_VERSION,
          ...options.captureLimits,
          onError: (error) => captureNotes.onError(error.message),
          onRetention: captureNotes.onRetention,
          onFull: captureNotes.onFull,
        });
        const opened = capture;
        cleanup.set('capture', () => opened.close());
      }
      const local = createInspectorApi({
        gateway,
        settings,
        gatewayStatus: () => gatewayStatus,
        ...(accountsApi ? { accounts: accountsApi } : {}),
        ...(capture ? { capture: capture.port } : {}),
        onSettingsChange,
      });
      cleanup.set('api', () => local.close());
      api = local;
      captureFile = capture?.writer.segmentFiles[0] ?? null;
    }
    breakpoints.bind(api.interceptor);

    const ui: UiServer = await startUiServer({
      api,
      host: options.uiHost ?? HEADLESS_DEFAULTS.uiHost,
      port: options.uiPort ?? HEADLESS_DEFAULTS.uiPort,
      rendererDir: options.rendererDir,
      token: options.token,
    });
    cleanup.set('ui', () => ui.close());

    const addresses: HeadlessAddresses = {
      gateway: { host, port: gatewayPort, url: `http://${authority(shown(host), gatewayPort)}/gateway/gateway.dll` },
      inspector: { host: ui.host, port: ui.port, url: ui.url, token: ui.token },
      ns: nsSb?.ns ?? null,
      sb: nsSb?.sb ?? null,
      passport: passport ? { host: passport.http.host, port: passport.http.port, url: passport.http.url } : null,
      passportTls: passport ? { host: passport.https.host, port: passport.https.port, url: passport.https.url } : null,
      capture: captureFile,
      dataDir,
    };
    let closing: Promise<void> | null = null;
    return {
      addresses,
      api,
      lines: () => formatLines(addresses),
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
