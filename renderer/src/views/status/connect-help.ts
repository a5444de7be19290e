// What a user needs to point an old Messenger at the gateway, from the current settings/status.
import type { Settings, Status } from '../../../../shared/api/contract.ts';

export const GATEWAY_HOST = 'gateway.messenger.hotmail.com';

export interface ConnectHelp {
  address: string;
  port: number;
  hostsLines: string[];
  proxy: string;
  /** Why the gateway is not on port 80, when it is not. */
  portNote: string | null;
}

export function connectHelp(status: Status | null, settings: Settings | null): ConnectHelp {
  const host = status?.gateway.host ?? settings?.gateway.host ?? '127.0.0.1';
  const port = status?.gateway.port ?? settings?.gateway.port ?? 80;
  const address = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let portNote: string | null = null;
  if (port !== 80) {
    const why = status?.gateway.error ? ` (${status.gateway.error})` : '';
    portNote =
      `The gateway listens on port ${port}, not 80${why}. Messenger asks the hosts-file name on port 80, so either set ` +
      `Messenger's HTTP proxy to ${address}:${port}, or let the gateway take port 80` +
      (status?.gateway.remedies.length ? `: ${status.gateway.remedies.join('; ')}` : ' (needs administrator rights or a port redirect).');
  }
  return { address, port, hostsLines: [`${address} ${GATEWAY_HOST}`], proxy: `${address}:${port}`, portNote };
}
