// Port 80 handling: try the configured port; when the OS refuses it (EACCES/EPERM, EADDRINUSE,
// EADDRNOTAVAIL), say why in plain words, list remedies for this OS, and keep working on the
// fallback port the user chose (then on any free port). Plain Node, testable without Electron.
import type { Status } from '../../shared/api/contract.ts';

export type Listen = (port: number) => Promise<{ host: string; port: number }>;

export interface PortPlan {
  host: string;
  /** The configured port (80 by default). */
  port: number;
  /** The user's fallback (8080 by default); 0 = any free port. */
  fallbackPort: number;
}

export interface PortEnv {
  platform: NodeJS.Platform;
  /** The binary that runs the gateway (Electron's, or node's), for the setcap remedy. */
  execPath: string;
}

export interface PortOutcome {
  listening: { host: string; port: number } | null;
  /** The configured port's refusal, when it was refused. */
  refused: { port: number; code: string; cause: string } | null;
  /** Plain-language summary for Status.gateway.error, or null when the configured port worked. */
  message: string | null;
  remedies: string[];
}

const BIND_CODES = new Set(['EACCES', 'EPERM', 'EADDRINUSE', 'EADDRNOTAVAIL']);

export function isBindError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return err.name === 'GatewayBindError' || (typeof code === 'string' && BIND_CODES.has(code));
}

export function causeOf(code: string, port: number, host: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return port < 1024 ? `permission denied: ports below 1024 need extra rights on this system` : 'permission denied by the operating system';
    case 'EADDRINUSE':
      return `another program is already listening on port ${port}`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine`;
    default:
      return `the operating system refused it (${code})`;
  }
}

export function remediesFor(code: string, port: number, env: PortEnv, fallbackPort: number): string[] {
  const proxy = `Use HTTP-proxy mode: set ${fallbackPort ? `127.0.0.1:${fallbackPort}` : 'the port shown in the status bar'} as the Messenger client's HTTP proxy (no hosts-file entry needed); the gateway accepts proxy-style requests on any port.`;
  const out: string[] = [];
  if (code === 'EACCES' || code === 'EPERM') {
    if (env.platform === 'linux') {
      out.push(
        `Grant the capability once: sudo setcap cap_net_bind_service=+ep "${env.execPath}"`,
        'Or lower the privileged-port floor for the whole system: sudo sysctl net.ipv4.ip_unprivileged_port_start=80',
        'Or run the app elevated (as root); the capability above is the safer choice.',
      );
    } else if (env.platform === 'darwin') {
      out.push(`Run the app with administrator rights: sudo "${env.execPath}"`, 'Or listen on 0.0.0.0 instead of a single address (recent macOS lets any user bind low ports on all addresses).');
    } else if (env.platform === 'win32') {
      out.push(
        'Run the app as Administrator (right-click > Run as administrator).',
        `Check whether Windows reserved the port: netsh interface ipv4 show excludedportrange protocol=tcp`,
      );
    } else {
      out.push('Run the app with administrator (root) rights.');
    }
  } else if (code === 'EADDRINUSE') {
    if (env.platform === 'win32') {
      out.push(
        `Free the port: find its owner with netstat -ano | findstr :${port} and stop that program.`,
        'If the owner is "System" (PID 4), the HTTP.sys service holds it (IIS, World Wide Web Publishing Service): netsh http show servicestate, then stop that service.',
      );
    } else {
      out.push(`Free the port: find its owner with sudo lsof -nP -iTCP:${port} -sTCP:LISTEN and stop that program.`);
    }
  } else if (code === 'EADDRNOTAVAIL') {
    out.push('Set the gateway address to 127.0.0.1 (or an address this machine owns) in Settings.');
  }
  out.push(proxy);
  return out;
}

/** Tries the configured port, then the fallback, then any free port; other errors propagate. */
export async function listenWithFallback(listen: Listen, plan: PortPlan, env: PortEnv): Promise<PortOutcome> {
  let first: Error & { code: string };
  try {
    return { listening: await listen(plan.port), refused: null, message: null, remedies: [] };
  } catch (err) {
    if (!isBindError(err)) throw err;
    first = err;
  }
  const cause = causeOf(first.code, plan.port, plan.host);
  const remedies = remediesFor(first.code, plan.port, env, plan.fallbackPort);
  const refused = { port: plan.port, code: first.code, cause };
  const candidates = [...new Set([plan.fallbackPort, 0])].filter((p) => p !== plan.port || p === 0);
  const failures: string[] = [];
  for (const port of candidates) {
    try {
      const listening = await listen(port);
      const where = `${listening.host}:${listening.port}`;
      const chosen = port === plan.fallbackPort ? 'the fallback port' : failures.length ? `a free port (the fallback ${plan.fallbackPort} was refused too)` : 'a free port';
      return {
        listening,
        refused,
        message: `Port ${plan.port} on ${plan.host} was refused (${cause}). The gateway listens on ${where} instead (${chosen}): clients reach it there in HTTP-proxy mode, or apply a remedy and restart the gateway.`,
        remedies,
      };
    } catch (err) {
      if (!isBindError(err)) throw err;
      failures.push(`${port}: ${causeOf(err.code, port, plan.host)}`);
    }
  }
  return {
    listening: null,
    refused,
    message: `The gateway is not listening: port ${plan.port} on ${plan.host} was refused (${cause}), and so were ${failures.join('; ')}.`,
    remedies,
  };
}

export function gatewayStatusOf(plan: PortPlan, outcome: PortOutcome | null): Status['gateway'] {
  if (!outcome) return { listening: false, host: plan.host, port: plan.port, error: 'the gateway is starting', remedies: [] };
  const l = outcome.listening;
  return { listening: l !== null, host: l?.host ?? plan.host, port: l?.port ?? plan.port, error: outcome.message, remedies: outcome.remedies };
}
