// Hosts-file helper: the exact lines that point the Messenger host names at this machine, a DNS
// check of where they resolve now, and adding/removing our marked block with a backup. Writing a
// system hosts file needs elevation: pkexec (Linux), osascript (macOS) or an elevated PowerShell
// (Windows) copy a prepared file over it; the file logic itself is plain and works on any path.
import { execFile } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';

export const HOSTS_NAMES = ['gateway.messenger.hotmail.com', 'messenger.hotmail.com'] as const;
export const BLOCK_BEGIN = '# >>> MSN Gateway Inspector: added by its hosts-file helper; remove them there >>>';
export const BLOCK_END = '# <<< MSN Gateway Inspector <<<';
/** A hosts file bigger than this is not ours to rewrite. */
export const MAX_HOSTS_BYTES = 4 * 1024 * 1024;

export function hostsPath(platform: NodeJS.Platform, env: Record<string, string | undefined> = process.env): string {
  if (platform === 'win32') return `${env.SystemRoot ?? env.windir ?? 'C:\\Windows'}\\System32\\drivers\\etc\\hosts`;
  return '/etc/hosts';
}

/** A wildcard listen address is reached through loopback. */
export function clientAddress(listenHost: string): string {
  if (listenHost === '0.0.0.0' || listenHost === '' || listenHost === 'localhost') return '127.0.0.1';
  if (listenHost === '::') return '::1';
  return listenHost;
}

export function hostsLines(listenHost = '127.0.0.1', names: readonly string[] = HOSTS_NAMES): string[] {
  const address = clientAddress(listenHost);
  return names.map((name) => `${address} ${name}`);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Removes every block of ours; `removed` counts them. */
export function withoutBlock(text: string): { text: string; removed: number } {
  const eol = eolOf(text);
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  let inside = false;
  let removed = 0;
  for (const line of lines) {
    if (!inside && line.trim() === BLOCK_BEGIN) {
      inside = true;
      removed++;
      continue;
    }
    if (inside) {
      if (line.trim() === BLOCK_END) inside = false;
      continue;
    }
    kept.push(line);
  }
  // An unterminated block (cut by hand) is dropped to its end rather than left half-present.
  return { text: kept.join(eol), removed };
}

export function withBlock(text: string, lines: readonly string[]): string {
  const eol = eolOf(text);
  let base = withoutBlock(text).text;
  if (base.length && !base.endsWith('\n')) base += eol;
  return `${base}${[BLOCK_BEGIN, ...lines, BLOCK_END].join(eol)}${eol}`;
}

/** Lines outside our block that map one of the names (they may win over ours). */
export function otherEntries(text: string, names: readonly string[] = HOSTS_NAMES): string[] {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return withoutBlock(text)
    .text.split(/\r?\n/)
    .filter((line) => {
      const body = line.replace(/#.*/, '').trim();
      if (!body) return false;
      const [, ...hosts] = body.split(/\s+/);
      return hosts.some((h) => wanted.has(h.toLowerCase()));
    });
}

export interface Resolution {
  name: string;
  addresses: string[];
  /** True when an address is loopback or one of this machine's interfaces. */
  local: boolean;
  error: string | null;
}

type Lookup = (name: string) => Promise<{ address: string }[]>;

export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) out.add(i.address);
  return out;
}

/** dns.lookup goes through the OS resolver, so it sees the hosts file as the client would. */
export async function checkResolution(
  names: readonly string[] = HOSTS_NAMES,
  lookup: Lookup = (name) => dns.lookup(name, { all: true }),
  mine: Set<string> = localAddresses(),
): Promise<Resolution[]> {
  return Promise.all(
    names.map(async (name): Promise<Resolution> => {
      try {
        const addresses = (await lookup(name)).map((a) => a.address);
        return { name, addresses, local: addresses.some((a) => isLoopback(a) || mine.has(a)), error: null };
      } catch (err) {
        return { name, addresses: [], local: false, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
      }
    }),
  );
}

// ---- elevation ----

export interface ElevatedCommand {
  file: string;
  args: string[];
}

function appleScriptString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function powershellString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A command that copies `source` over `target` with administrator rights (no shell parsing of paths on Linux). */
export function elevatedCopyCommand(platform: NodeJS.Platform, source: string, target: string): ElevatedCommand {
  if (platform === 'darwin') {
    const script = `do shell script "/bin/cp " & quoted form of ${appleScriptString(source)} & " " & quoted form of ${appleScriptString(target)} with administrator privileges`;
    return { file: '/usr/bin/osascript', args: ['-e', script] };
  }
  if (platform === 'win32') {
    const inner = `Copy-Item -LiteralPath ${powershellString(source)} -Destination ${powershellString(target)} -Force`;
    const encoded = Buffer.from(inner, 'utf16le').toString('base64');
    const outer = `$p = Start-Process -FilePath powershell.exe -Verb RunAs -Wait -PassThru -WindowStyle Hidden -ArgumentList '-NoProfile','-NonInteractive','-EncodedCommand','${encoded}'; exit $p.ExitCode`;
    return { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', outer] };
  }
  // cp into the existing file keeps its owner and mode.
  return { file: 'pkexec', args: ['/bin/cp', '--', source, target] };
}

export type Runner = (cmd: ElevatedCommand) => Promise<{ code: number; stderr: string }>;

export const runCommand: Runner = (cmd) =>
  new Promise((resolve) => {
    execFile(cmd.file, cmd.args, { timeout: 120_000, windowsHide: true }, (err, _stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stderr: String(stderr || (err ? err.message : '')) });
    });
  });

// ---- add / remove ----

export interface HostsChangeOptions {
  path: string;
  action: 'add' | 'remove';
  /** Lines for `add` (from hostsLines). */
  lines?: readonly string[];
  /** Where backups and the prepared file go (the app's data directory). */
  workDir: string;
  platform: NodeJS.Platform;
  /** Default: whether the file is writable by this process. */
  canWrite?: (path: string) => boolean;
  run?: Runner;
  now?: () => Date;
}

export type HostsChangeResult =
  | { ok: true; changed: false; message: string }
  | { ok: true; changed: true; backup: string; elevated: boolean; message: string }
  | { ok: false; error: string; backup: string | null; manual: string | null };

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

export async function changeHostsFile(o: HostsChangeOptions): Promise<HostsChangeResult> {
  let current: string;
  try {
    const bytes = readFileSync(o.path);
    if (bytes.length > MAX_HOSTS_BYTES) return { ok: false, error: `${o.path} is larger than ${MAX_HOSTS_BYTES} bytes; edit it by hand`, backup: null, manual: null };
    current = bytes.toString('utf8');
  } catch (err) {
    return { ok: false, error: `cannot read ${o.path}: ${(err as Error).message}`, backup: null, manual: null };
  }
  const next = o.action === 'add' ? withBlock(current, o.lines ?? hostsLines()) : withoutBlock(current).text;
  if (next === current) {
    return { ok: true, changed: false, message: o.action === 'add' ? 'The lines are already in the hosts file.' : 'The hosts file has no lines of ours.' };
  }
  const t = stamp((o.now ?? (() => new Date()))());
  mkdirSync(o.workDir, { recursive: true });
  const backup = join(o.workDir, `hosts.${t}.bak`);
  writeFileSync(backup, current);
  const verb = o.action === 'add' ? 'Added' : 'Removed';
  if ((o.canWrite ?? writable)(o.path)) {
    try {
      writeFileSync(o.path, next);
      return { ok: true, changed: true, backup, elevated: false, message: `${verb} the lines; the previous file is saved as ${backup}.` };
    } catch (err) {
      return { ok: false, error: `cannot write ${o.path}: ${(err as Error).message}`, backup, manual: null };
    }
  }
  const prepared = join(o.workDir, `hosts.${t}.new`);
  writeFileSync(prepared, next);
  const cmd = elevatedCopyCommand(o.platform, prepared, o.path);
  const manual = o.platform === 'win32' ? `copy /y "${prepared}" "${o.path}"  (in an Administrator command prompt)` : `sudo cp "${prepared}" "${o.path}"`;
  const result = await (o.run ?? runCommand)(cmd);
  let after = '';
  try {
    after = readFileSync(o.path, 'utf8');
  } catch {
    // Reported below as not applied.
  }
  if (after === next) return { ok: true, changed: true, backup, elevated: true, message: `${verb} the lines with administrator rights; the previous file is saved as ${backup}.` };
  const why = result.code === 0 ? 'the file did not change' : `the elevated copy failed (exit code ${result.code}${result.stderr ? `: ${result.stderr.trim().slice(0, 300)}` : ''})`;
  return { ok: false, error: `${o.path} was not changed: ${why}. Run this yourself instead: ${manual}`, backup, manual };
}
