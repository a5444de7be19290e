// What the inspector needs from the emulator's account store (electron/emulator/accounts.ts).
// Methods may throw with a message for the user (e.g. AccountError); the inspector reports it.
import type { EmulatorAccount } from '../../shared/api/contract.ts';

export interface AccountsPort {
  list(): EmulatorAccount[] | Promise<EmulatorAccount[]>;
  create(input: { handle: string; password: string; friendlyName?: string }): void | Promise<void>;
  remove(handle: string): void | Promise<void>;
}
