// A listen failure turned into something a user can act on.
import type { GatewayBindError } from './types.ts';

export function toBindError(err: NodeJS.ErrnoException, host: string, port: number): GatewayBindError {
  const code = err.code ?? 'UNKNOWN';
  const where = `${host}:${port}`;
  const remedies: string[] = [];
  let cause: string;
  if (code === 'EACCES' || code === 'EPERM') {
    cause = `permission denied binding ${where}${port < 1024 ? ' (ports below 1024 are privileged)' : ''}`;
    remedies.push(
      'run the inspector elevated (Administrator on Windows, root on Linux/macOS)',
      'on Linux, allow binding low ports once: sudo setcap cap_net_bind_service=+ep "$(command -v node)" (or the Electron binary)',
      'or use HTTP-proxy mode: listen on a high port (e.g. 8080) and set it as the client\'s HTTP proxy',
    );
  } else if (code === 'EADDRINUSE') {
    cause = `${where} is already in use by another program`;
    remedies.push(
      `free the port: stop the program listening on ${port} (lsof -i :${port} or netstat -ano | findstr :${port})`,
      'or choose another port, e.g. HTTP-proxy mode on a high port (8080) set as the client\'s HTTP proxy',
    );
  } else if (code === 'EADDRNOTAVAIL') {
    cause = `${host} is not an address of this machine`;
    remedies.push('listen on 127.0.0.1 or on an address this machine owns', 'or use HTTP-proxy mode on a high port');
  } else {
    cause = `cannot listen on ${where}: ${err.message}`;
    remedies.push('check the host and port settings', 'or use HTTP-proxy mode on a high port (e.g. 8080)');
  }
  const e = new Error(`Gateway cannot listen on ${where}: ${cause}. Remedies: ${remedies.join('; ')}.`) as GatewayBindError;
  e.name = 'GatewayBindError';
  e.code = code;
  e.host = host;
  e.port = port;
  e.remedies = remedies;
  e.cause = err;
  return e;
}
