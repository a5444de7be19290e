// `headless [options]`: parse the options, start everything, print one line per endpoint, and
// close it all on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { checkCaptureFile, resolveCaptureTarget } from '../capture/target.ts';
import type { CliIo } from './cli.ts';
import { HEADLESS_DEFAULTS, startHeadless } from './headless.ts';
import type { HeadlessOptions } from './headless.ts';

export const HEADLESS_USAGE = `Usage: msn-gateway-inspector headless [options]

Runs the gateway, the relay, the emulated MSNP server (NS, SB, Passport) and the inspector in
plain Node, and serves the inspector's UI and API to a browser on loopback. Prints one line per
endpoint once listening; Ctrl+C (SIGINT) or SIGTERM closes everything.

Options:
  --gateway-host ADDR         gateway listen address; the emulator's listeners use it too (default 127.0.0.1)
  --gateway-port N            gateway port, 0 = any free port (default 80; when not given and 80
                              cannot be bound, the remedies are printed and a free port is used)
  --upstream emulator|HOST[:PORT]
                              where sessions go: the built-in emulator (default) or a real MSNP
                              server (port default 1863; no emulator listeners then)
  --profile faithful|lenient  gateway behaviour (default faithful)
  --ui-port N                 inspector UI/API port on 127.0.0.1, 0 = any free port (default 0)
  --capture FILE|DIR          where this run's NDJSON capture log goes (default the directory
                              DATA_DIR/captures). A FILE (run.ndjson) gets the whole run; past 64 MiB
                              the log continues in run.0001.ndjson, run.0002.ndjson, ... beside it,
                              and 'export run.ndjson' or opening run.ndjson reads them all. The
                              file's directory must exist; an existing non-empty file is refused
                              (a capture is never appended to, another file never overwritten).
                              Nothing is deleted: past 1 GiB later events are dropped and counted.
                              An existing directory, or a path ending with /, holds capture-*.ndjson
                              segment files; the oldest are deleted past 1 GiB for the directory.
  --no-capture                do not write a capture log
  --emulator-open             any handle and password logs in (accounts created on first login)
  --ns-port N                 emulator notification server port (default 1863, 0 = any)
  --sb-port N                 emulator switchboard port (default 1864, 0 = any)
  --passport-port N           Passport over HTTP (default 0 = any free port)
  --passport-tls-port N       Passport over HTTPS (default 0 = any free port)
  --data-dir DIR              accounts, certificates, captures (default: $XDG_DATA_HOME/msn-gateway-inspector,
                              ~/Library/Application Support/... on macOS, %APPDATA%\\... on Windows)
  -h, --help                  show this help

Environment:
  MSN_GATEWAY_INSPECTOR_TOKEN  use this API token instead of a random one (at least 43 characters of
                              A-Z a-z 0-9 - _; for scripted browsers such as end-to-end tests)

Printed lines:
  gateway: http://ADDR:PORT/gateway/gateway.dll
  inspector: http://ADDR:PORT/#token=TOKEN
  ns: ADDR:PORT
  sb: ADDR:PORT
  passport: http://ADDR:PORT
  passport-tls: https://ADDR:PORT
`;

function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new Error(`--${name} must be a port number 0..65535, got "${value}"`);
  return Number(value);
}

export function parseUpstream(value: string): HeadlessOptions['upstream'] {
  if (value === 'emulator') return 'emulator';
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
  const p = m?.[2] === undefined ? 1863 : Number(m[2]);
  if (!m || p < 1 || p > 65535) throw new Error(`--upstream must be "emulator" or HOST[:PORT], got "${value}"`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: p };
}

export const TOKEN_ENV = 'MSN_GATEWAY_INSPECTOR_TOKEN';

/** A token chosen by the user must be as strong as a generated one. */
export function tokenFromEnv(env: NodeJS.ProcessEnv): string | undefined | { error: string } {
  const value = env[TOKEN_ENV];
  if (value === undefined || value === '') return undefined;
  if (!/^[A-Za-z0-9_-]{43,256}$/.test(value)) return { error: `${TOKEN_ENV} must be 43 to 256 characters of A-Z a-z 0-9 - _` };
  return value;
}

/** The options, or an error message for the user. */
export function parseHeadlessArgs(argv: string[], env: NodeJS.ProcessEnv = {}): HeadlessOptions | { help: true } | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'gateway-host': { type: 'string' },
        'gateway-port': { type: 'string' },
        upstream: { type: 'string' },
        profile: { type: 'string' },
        'ui-port': { type: 'string' },
        capture: { type: 'string' },
        'no-capture': { type: 'boolean' },
        'emulator-open': { type: 'boolean' },
        'ns-port': { type: 'string' },
        'sb-port': { type: 'string' },
        'passport-port': { type: 'string' },
        'passport-tls-port': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };
  try {
    const profile = values.profile;
    if (profile !== undefined && profile !== 'faithful' && profile !== 'lenient') throw new Error(`--profile must be faithful or lenient, got "${profile}"`);
    if (values.capture !== undefined && values['no-capture']) throw new Error('--capture and --no-capture exclude each other');
    const host = values['gateway-host'];
    if (host !== undefined && !/^[A-Za-z0-9.:-]{1,255}$/.test(host)) throw new Error(`--gateway-host must be an address or host name, got "${host}"`);
    const options: HeadlessOptions = {
      gatewayHost: host,
      gatewayPort: port('gateway-port', values['gateway-port']),
      upstream: values.upstream === undefined ? undefined : parseUpstream(values.upstream),
      profile,
      uiPort: port('ui-port', values['ui-port']),
      capture: values['no-capture'] ? false : values.capture,
      emulatorOpen: values['emulator-open'] ?? false,
      nsPort: port('ns-port', values['ns-port']),
      sbPort: port('sb-port', values['sb-port']),
      passportPort: port('passport-port', values['passport-port']),
      passportTlsPort: port('passport-tls-port', values['passport-tls-port']),
      dataDir: values['data-dir'],
    };
    const token = tokenFromEnv(env);
    if (typeof token === 'object') throw new Error(token.error);
    options.token = token;
    for (const key of Object.keys(options) as (keyof HeadlessOptions)[]) if (options[key] === undefined) delete options[key];
    return options;
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export interface HeadlessRunHooks {
  /** Resolves when the run should stop; default: the first SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
}

function signalled(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function runHeadless(argv: string[], io: CliIo, hooks: HeadlessRunHooks = {}): Promise<number> {
  const parsed = parseHeadlessArgs(argv, process.env);
  if ('help' in parsed) {
    io.out(HEADLESS_USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.err(`msn-gateway-inspector headless: ${parsed.error}\n\n${HEADLESS_USAGE}`);
    return 2;
  }
  // A capture file that would be refused is refused before anything listens.
  if (typeof parsed.capture === 'string') {
    try {
      const target = await resolveCaptureTarget(parsed.capture);
      if (target.kind === 'file') await checkCaptureFile(target.file);
    } catch (error) {
      io.err(`msn-gateway-inspector headless: --capture: ${(error as Error).message}\n`);
      return 1;
    }
  }
  // Listen for signals before starting, so an early Ctrl+C still closes what was opened.
  const stop = hooks.stopSignal ?? signalled();
  let headless;
  try {
    headless = await startHeadless({ ...parsed, warn: (m) => io.err(`${m}\n`) });
  } catch (error) {
    const e = error as Error & { remedies?: string[] };
    io.err(`msn-gateway-inspector headless: ${e.message}\n`);
    if (e.remedies && !e.message.includes('Remedies')) for (const r of e.remedies) io.err(`  - ${r}\n`);
    return 1;
  }
  io.out(`${headless.lines().join('\n')}\n`);
  if (headless.addresses.capture) io.err(`capture log: ${headless.addresses.capture}\n`);
  await stop;
  io.err('closing...\n');
  await headless.close();
  return 0;
}

export { HEADLESS_DEFAULTS };
