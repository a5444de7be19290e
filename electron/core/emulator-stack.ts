// The emulated MSNP service with its Passport listeners and account store, started together.
import type { EmulatorAccount } from '../../shared/api/contract.ts';
import { AccountStore } from '../emulator/accounts.ts';
import { createEmulator } from '../emulator/emulator.ts';
import type { Emulator } from '../emulator/emulator.ts';
import type { EmulatorOptionsInput } from '../emulator/options.ts';
import { createPassportServers } from '../emulator/passport/index.ts';
import type { PassportServers } from '../emulator/passport/index.ts';
import { TicketStore } from '../emulator/tickets.ts';
import type { AccountsPort } from '../inspector/accounts-port.ts';

export interface EmulatorStackOptions {
  dataDir: string;
  host: string;
  open?: boolean;
  /** Default 1863/1864; free ports are taken when those are busy and were not given. */
  nsPort?: number;
  sbPort?: number;
  passportPort?: number;
  passportTlsPort?: number;
  emulator?: EmulatorOptionsInput;
  warn: (message: string) => void;
}

export interface EmulatorStack {
  emulator: Emulator;
  accounts: AccountStore;
  passport: PassportServers;
  ns: { host: string; port: number };
  sb: { host: string; port: number };
  accountsPort: AccountsPort;
  close(): Promise<void>;
}

const BUSY = new Set(['EACCES', 'EPERM', 'EADDRINUSE']);

export async function startEmulatorStack(o: EmulatorStackOptions): Promise<EmulatorStack> {
  const accounts = new AccountStore({ dataDir: o.dataDir, open: o.open ?? false });
  const tickets = new TicketStore();
  const emulator = createEmulator({ accounts, tickets, options: o.emulator });
  let passport: PassportServers | null = null;
  try {
    const nsPort = o.nsPort ?? 1863;
    const sbPort = o.sbPort ?? 1864;
    let addresses;
    try {
      addresses = await emulator.listen({ host: o.host, nsPort, sbPort });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (o.nsPort !== undefined || o.sbPort !== undefined || !BUSY.has(code)) throw err;
      o.warn(`The emulator's ports ${nsPort}/${sbPort} are not available (${code}); it uses free ports instead.`);
      addresses = await emulator.listen({ host: o.host, nsPort: 0, sbPort: 0 });
    }
    passport = await createPassportServers({ dataDir: o.dataDir, accounts, tickets, host: o.host, httpPort: o.passportPort ?? 0, httpsPort: o.passportTlsPort ?? 0 });
    const servers = passport;
    const accountsPort: AccountsPort = {
      list: (): EmulatorAccount[] =>
        accounts.list().map((a) => ({ handle: a.handle, friendlyName: a.friendlyName, online: emulator.hub.presenceOf(a.handle) !== null })),
      create: (input) => {
        accounts.create({ handle: input.handle, password: input.password, friendlyName: input.friendlyName });
      },
      remove: (handle) => accounts.remove(handle),
    };
    return {
      emulator,
      accounts,
      passport: servers,
      ns: addresses.ns,
      sb: addresses.sb,
      accountsPort,
      async close() {
        await servers.close().catch(() => {});
        await emulator.close().catch(() => {});
      },
    };
  } catch (err) {
    await passport?.close().catch(() => {});
    await emulator.close().catch(() => {});
    throw err;
  }
}
