// The connection guide shown from Help: how to point a legacy Messenger client at this gateway,
// in both ways that work (hosts file on port 80, or HTTP-proxy mode on any port).
import type { Status } from '../../shared/api/contract.ts';
import { clientAddress, HOSTS_NAMES, hostsLines, hostsPath } from './hosts-file.ts';
import type { Resolution } from './hosts-file.ts';

export interface GuideInput {
  gateway: Status['gateway'];
  platform: NodeJS.Platform;
  resolution?: Resolution[];
}

export function connectionGuide(g: GuideInput): string {
  const address = clientAddress(g.gateway.host);
  const where = `${address}:${g.gateway.port}`;
  const parts: string[] = [];
  if (!g.gateway.listening) parts.push(`The gateway is not listening. ${g.gateway.error ?? ''}`.trim(), '');
  else parts.push(`The gateway listens on ${where}.`, '');
  parts.push(
    '1. Hosts-file mode (the gateway must be on port 80):',
    `   Add these lines to ${hostsPath(g.platform)}:`,
    ...hostsLines(g.gateway.host).map((l) => `     ${l}`),
    '   Help > Hosts File can add or remove them for you (with a backup; it asks for administrator rights).',
    '   Then let the client use its HTTP gateway ("connect through HTTP" / "HTTP method").',
  );
  if (g.gateway.port !== 80) parts.push(`   Not usable right now: the gateway is on port ${g.gateway.port}, and clients always send gateway requests to port 80.`);
  parts.push(
    '',
    '2. HTTP-proxy mode (any port, no hosts file):',
    `   Set the client's HTTP proxy to ${address}, port ${g.gateway.port}.`,
    `   The client then sends requests like "POST http://${HOSTS_NAMES[0]}/gateway/gateway.dll?..." (absolute form)`,
    '   to the proxy, and the gateway answers them itself whatever host they name.',
  );
  if (g.resolution?.length) {
    parts.push('', 'Where the names resolve now (DNS lookup on this machine):');
    for (const r of g.resolution) {
      const state = r.error ? `does not resolve (${r.error})` : `${r.addresses.join(', ')}${r.local ? ' (this machine)' : ' (not this machine)'}`;
      parts.push(`   ${r.name}: ${state}`);
    }
  }
  if (g.gateway.remedies.length) parts.push('', 'To get port 80:', ...g.gateway.remedies.map((r) => `   - ${r}`));
  return parts.join('\n');
}
