// Emulator fixtures for tests: an in-memory account store with the demo users, a ticket store,
// quiet timers, and login helpers per authentication package.
import { AccountStore } from '../accounts.ts';
import { TicketStore } from '../tickets.ts';
import { createEmulator } from '../emulator.ts';
import type { Emulator } from '../emulator.ts';
import type { EmulatorOptionsInput } from '../options.ts';
import { md5Hex } from '../../../shared/msnp/challenge.ts';
import type { CommandItem } from '../../../shared/msnp/types.ts';
import { TestClient } from './client.ts';

export interface Fixture {
  emulator: Emulator;
  accounts: AccountStore;
  tickets: TicketStore;
}

export function makeEmulator(options: EmulatorOptionsInput = {}): Fixture {
  const accounts = new AccountStore({ dataDir: null });
  const tickets = new TicketStore();
  const emulator = createEmulator({
    accounts,
    tickets,
    options: {
      ...options,
      challenge: { enabled: false, ...options.challenge },
      bot: { presenceIntervalMs: 0, replyDelayMs: 0, ...options.bot },
    },
  });
  return { emulator, accounts, tickets };
}

export const PASSWORDS: Record<string, string> = { 'alice@example.com': 'alice', 'bob@example.com': 'bob' };

export interface LoginResult {
  /** Everything the server sent from VER up to and including the login burst. */
  lines: CommandItem[];
  ok: CommandItem;
}

/**
 * VER, CVR, (INF), USR I, USR S with the right package for `version`; returns the server's lines.
 * Stops after USR OK plus whatever arrives right after it (SBS, UBX, profile MSG).
 */
export async function login(client: TestClient, fx: Fixture, handle: string, version: number): Promise<LoginResult> {
  const lines: CommandItem[] = [];
  const ask = async (verb: string, args: string, expect: string, payload?: string): Promise<CommandItem> => {
    const trid = client.cmd(verb, args, payload);
    const reply = await client.next();
    lines.push(reply);
    if (reply.verb !== expect || reply.trid !== trid) throw new Error(`expected ${expect} ${trid}, got: ${reply.line}`);
    return reply;
  };
  await ask('VER', `MSNP${version} CVR0`, 'VER');
  await ask('CVR', `0x0409 winnt 5.1 i386 MSNMSGR 6.0.0602 MSMSGS ${handle}`, 'CVR');
  let ok: CommandItem;
  if (version <= 7) {
    await ask('INF', '', 'INF');
    const s = await ask('USR', `MD5 I ${handle}`, 'USR');
    ok = await ask('USR', `MD5 S ${md5Hex(s.args[3] + PASSWORDS[handle])}`, 'USR');
  } else if (version <= 14) {
    // MSNP13-14 get `GCF 0` before the Passport challenge.
    const trid = client.cmd('USR', `TWN I ${handle}`);
    lines.push(await client.waitFor('USR', trid));
    ok = await ask('USR', `TWN S ${fx.tickets.issue(handle).ticket}`, 'USR');
  } else {
    const trid = client.cmd('USR', `SSO I ${handle}`);
    const gcf = await client.next();
    lines.push(gcf);
    const s = await client.waitFor('USR', trid);
    lines.push(s);
    const ticket = fx.tickets.issue(handle, { service: 'messengerclear.live.com' }).ticket;
    const guid = version >= 16 ? ' {f52973b6-c926-4bad-9ba8-7c1e840e4ab0}' : '';
    ok = await ask('USR', `SSO S ${ticket} AQAAAAIAAABnAAAABAAAAA==${guid}`, 'USR');
  }
  lines.push(...(await client.drain(30)));
  return { lines, ok };
}

/** Logs in and sets the initial presence; returns the CHG reply and what followed (ILN...). */
export async function online(client: TestClient, fx: Fixture, handle: string, version: number, status = 'NLN'): Promise<CommandItem[]> {
  await login(client, fx, handle, version);
  if (version <= 12) {
    client.cmd('SYN', version >= 10 ? '0 0' : '0');
    await client.drain(30);
  }
  const trid = client.cmd('CHG', version >= 8 ? `${status} 0` : status);
  const chg = await client.waitFor('CHG', trid);
  return [chg, ...(await client.drain(30))];
}
