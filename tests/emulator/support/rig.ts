// The whole stack as a user runs it, on 127.0.0.1 with ephemeral ports: the emulator (in-process
// behind the gateway, optionally also on TCP listeners), its Passport over HTTP and HTTPS with the
// generated CA, and the gateway in front with `upstream: { kind: 'emulator' }`. Torn down after
// each test; the certificate directory is one per test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { createGateway } from '../../../electron/gateway/index.ts';
import type { Gateway, GatewayOptions } from '../../../electron/gateway/types.ts';
import { AccountStore } from '../../../electron/emulator/accounts.ts';
import { TicketStore } from '../../../electron/emulator/tickets.ts';
import { createEmulator } from '../../../electron/emulator/index.ts';
import type { Emulator, EmulatorAddresses, EmulatorOptionsInput } from '../../../electron/emulator/index.ts';
import { createPassportServers } from '../../../electron/emulator/passport/index.ts';
import type { PassportServers } from '../../../electron/emulator/passport/index.ts';
import type { GatewayEvent, GatewayEventType } from '../../../shared/api/gateway-events.ts';
import type { ClientProfileName } from '../../harness/legacy-clients.ts';
import { GwClient, type GwClientOptions } from './gw-client.ts';
import type { PassportTarget } from './passport-client.ts';

export interface RigOptions {
  /** Default: an in-memory store with the demo users (alice/alice, bob/bob, the echo bot). */
  accounts?: AccountStore;
  emulator?: EmulatorOptionsInput;
  /** Start the Passport listeners (default true). */
  passport?: boolean;
  /** Also start the emulator's TCP listeners (XFR/RNG then announce the real SB port). */
  listen?: boolean;
  gateway?: Partial<GatewayOptions>;
  /**
   * `emulator` (default): the gateway reaches the emulator in-process. `tcp`: the gateway relays
   * over real TCP to the emulator's listeners (implies `listen`), so SB opens really go to the
   * port XFR/RNG announced.
   */
  upstream?: 'emulator' | 'tcp';
}

export interface Rig {
  emulator: Emulator;
  accounts: AccountStore;
  tickets: TicketStore;
  gateway: Gateway;
  /** The gateway's port. */
  port: number;
  events: GatewayEvent[];
  passport: PassportTarget;
  passportServers: PassportServers | null;
  /** The emulator's own TCP listeners, when `listen` was set. */
  tcp: EmulatorAddresses | null;
  client(profile: ClientProfileName, opts?: Partial<GwClientOptions>): GwClient;
  of<T extends GatewayEventType>(type: T): Array<Extract<GatewayEvent, { type: T }>>;
}

const cleanups: Array<() => Promise<void> | void> = [];
let certDir: string | null = null;

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

afterAll(() => {
  if (certDir !== null) rmSync(certDir, { recursive: true, force: true });
  certDir = null;
});

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const accounts = options.accounts ?? new AccountStore({ dataDir: null });
  const tickets = new TicketStore();
  const emulatorOptions = options.emulator ?? {};
  const emulator = createEmulator({
    accounts,
    tickets,
    options: {
      ...emulatorOptions,
      challenge: { enabled: false, ...emulatorOptions.challenge },
      bot: { presenceIntervalMs: 0, replyDelayMs: 10, ...emulatorOptions.bot },
    },
  });
  cleanups.push(() => emulator.close());
  const tcp = options.listen || options.upstream === 'tcp' ? await emulator.listen({ nsPort: 0, sbPort: 0 }) : null;

  let passportServers: PassportServers | null = null;
  if (options.passport ?? true) {
    certDir ??= mkdtempSync(join(tmpdir(), 'h12-emulator-e2e-'));
    passportServers = await createPassportServers({ dataDir: certDir, accounts, tickets });
    const servers = passportServers;
    cleanups.push(() => servers.close());
  }

  const gateway = createGateway({
    host: '127.0.0.1',
    port: 0,
    upstream: options.upstream === 'tcp' && tcp !== null
      ? { kind: 'tcp', host: tcp.ns.host, port: tcp.ns.port }
      : { kind: 'emulator', connect: emulator.connect },
    // Short reply windows keep the suite fast; the timing logic itself is tested in tests/gateway.
    quietMs: 10,
    replyCapMs: 100,
    ...options.gateway,
  });
  const events: GatewayEvent[] = [];
  gateway.onEvent((e) => events.push(e));
  const { port } = await gateway.listen();
  const clients: GwClient[] = [];
  cleanups.push(async () => {
    for (const c of clients) c.close();
    await gateway.close();
  });

  return {
    emulator,
    accounts,
    tickets,
    gateway,
    port,
    events,
    passport: passportServers === null
      ? { host: '127.0.0.1', port: 0, ca: '' }
      : { host: passportServers.https.host, port: passportServers.https.port, ca: passportServers.certificates.caCertPem },
    passportServers,
    tcp,
    client(profile, opts = {}) {
      const c = new GwClient({ port, profile, ...opts });
      clients.push(c);
      return c;
    },
    of: <T extends GatewayEventType>(type: T) => events.filter((e): e is Extract<GatewayEvent, { type: T }> => e.type === type),
  };
}

/** Registers extra teardown (e.g. a direct TCP client) to run after the test. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}
