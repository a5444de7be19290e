// The hosts-file helper against a temporary hosts file: exact lines, marked block add/remove with
// a backup, CRLF kept, elevation command shapes and the DNS check.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BLOCK_BEGIN,
  BLOCK_END,
  changeHostsFile,
  checkResolution,
  elevatedCopyCommand,
  hostsLines,
  hostsPath,
  MAX_HOSTS_BYTES,
  otherEntries,
  withBlock,
  withoutBlock,
} from '../../electron/shell/hosts-file.ts';
import type { Runner } from '../../electron/shell/hosts-file.ts';

const ORIGINAL = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n\n# a comment\n10.0.0.5 fileserver\n';
let dir: string;
let hosts: string;
let work: string;
const now = () => new Date('2025-01-02T03:04:05.678Z');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hosts-'));
  hosts = join(dir, 'hosts');
  work = join(dir, 'userData');
  writeFileSync(hosts, ORIGINAL);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lines and paths', () => {
  it('gives the exact lines for the listen address (a wildcard is reached on loopback)', () => {
    expect(hostsLines()).toEqual(['127.0.0.1 gateway.messenger.hotmail.com', '127.0.0.1 messenger.hotmail.com']);
    expect(hostsLines('0.0.0.0')).toEqual(hostsLines('127.0.0.1'));
    expect(hostsLines('192.168.1.20')[0]).toBe('192.168.1.20 gateway.messenger.hotmail.com');
    expect(hostsLines('::')[1]).toBe('::1 messenger.hotmail.com');
  });

  it('knows each OS hosts path', () => {
    expect(hostsPath('linux')).toBe('/etc/hosts');
    expect(hostsPath('darwin')).toBe('/etc/hosts');
    expect(hostsPath('win32', {})).toBe('C:\\Windows\\System32\\drivers\\etc\\hosts');
    expect(hostsPath('win32', { SystemRoot: 'D:\\WINNT' })).toBe('D:\\WINNT\\System32\\drivers\\etc\\hosts');
  });
});

describe('block edits (pure)', () => {
  it('adds one marked block, replaces it on a second add, and removal restores the original bytes', () => {
    const added = withBlock(ORIGINAL, hostsLines());
    expect(added).toBe(`${ORIGINAL}${BLOCK_BEGIN}\n127.0.0.1 gateway.messenger.hotmail.com\n127.0.0.1 messenger.hotmail.com\n${BLOCK_END}\n`);
    const again = withBlock(added, hostsLines('10.1.1.1'));
    expect(again.split(BLOCK_BEGIN)).toHaveLength(2);
    expect(again).toContain('10.1.1.1 messenger.hotmail.com');
    expect(again).not.toContain('127.0.0.1 messenger.hotmail.com');
    expect(withoutBlock(added)).toEqual({ text: ORIGINAL, removed: 1 });
  });

  it('keeps CRLF line ends and adds a missing final newline before the block', () => {
    const crlf = '127.0.0.1 localhost\r\n10.0.0.5 fs';
    const added = withBlock(crlf, hostsLines());
    expect(added).toBe(`127.0.0.1 localhost\r\n10.0.0.5 fs\r\n${BLOCK_BEGIN}\r\n127.0.0.1 gateway.messenger.hotmail.com\r\n127.0.0.1 messenger.hotmail.com\r\n${BLOCK_END}\r\n`);
    expect(added.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('drops an unterminated block to its end and finds other lines naming the hosts', () => {
    expect(withoutBlock(`a\n${BLOCK_BEGIN}\n1.2.3.4 x\n`).text).toBe('a');
    const text = `${ORIGINAL}1.2.3.4 Messenger.Hotmail.com # old\n# 5.6.7.8 gateway.messenger.hotmail.com\n`;
    expect(otherEntries(withBlock(text, hostsLines()))).toEqual(['1.2.3.4 Messenger.Hotmail.com # old']);
  });
});

describe('changeHostsFile on a temporary hosts file', () => {
  it('adds with a backup of the previous file, is idempotent, and removes back to the original', async () => {
    const added = await changeHostsFile({ path: hosts, action: 'add', lines: hostsLines(), workDir: work, platform: 'linux', now });
    expect(added).toMatchObject({ ok: true, changed: true, elevated: false });
    const backup = (added as { backup: string }).backup;
    expect(backup).toBe(join(work, 'hosts.2025-01-02T03-04-05-678Z.bak'));
    expect(readFileSync(backup, 'utf8')).toBe(ORIGINAL);
    expect(readFileSync(hosts, 'utf8')).toBe(withBlock(ORIGINAL, hostsLines()));

    const twice = await changeHostsFile({ path: hosts, action: 'add', lines: hostsLines(), workDir: work, platform: 'linux', now });
    expect(twice).toEqual({ ok: true, changed: false, message: 'The lines are already in the hosts file.' });

    const removed = await changeHostsFile({ path: hosts, action: 'remove', workDir: work, platform: 'linux', now: () => new Date('2025-01-02T03:05:00Z') });
    expect(removed).toMatchObject({ ok: true, changed: true });
    expect(readFileSync(hosts, 'utf8')).toBe(ORIGINAL);
    expect(await changeHostsFile({ path: hosts, action: 'remove', workDir: work, platform: 'linux' })).toMatchObject({ ok: true, changed: false });
  });

  it('uses the elevated copy when the file is not writable, and checks the result', async () => {
    const commands: { file: string; args: string[] }[] = [];
    const pkexec: Runner = async (cmd) => {
      commands.push(cmd);
      // What `pkexec /bin/cp -- SRC DST` does, without the elevation.
      copyFileSync(cmd.args[2], cmd.args[3]);
      return { code: 0, stderr: '' };
    };
    const r = await changeHostsFile({ path: hosts, action: 'add', workDir: work, platform: 'linux', canWrite: () => false, run: pkexec, now });
    expect(r).toMatchObject({ ok: true, changed: true, elevated: true });
    expect(commands).toEqual([{ file: 'pkexec', args: ['/bin/cp', '--', join(work, 'hosts.2025-01-02T03-04-05-678Z.new'), hosts] }]);
    expect(readFileSync(hosts, 'utf8')).toContain(BLOCK_BEGIN);
  });

  it('reports a refused elevation with the command to run by hand, and leaves the file alone', async () => {
    const denied: Runner = async () => ({ code: 126, stderr: 'Not authorized\n' });
    const r = await changeHostsFile({ path: hosts, action: 'add', workDir: work, platform: 'linux', canWrite: () => false, run: denied, now });
    expect(r.ok).toBe(false);
    const f = r as { error: string; manual: string; backup: string };
    expect(f.error).toContain('the elevated copy failed (exit code 126: Not authorized)');
    expect(f.manual).toBe(`sudo cp "${join(work, 'hosts.2025-01-02T03-04-05-678Z.new')}" "${hosts}"`);
    expect(readFileSync(hosts, 'utf8')).toBe(ORIGINAL);
    expect(readdirSync(work).sort()).toEqual(['hosts.2025-01-02T03-04-05-678Z.bak', 'hosts.2025-01-02T03-04-05-678Z.new']);
  });

  it('refuses a missing or oversized hosts file clearly', async () => {
    expect(await changeHostsFile({ path: join(dir, 'nope'), action: 'add', workDir: work, platform: 'linux' })).toMatchObject({ ok: false, error: expect.stringMatching(/^cannot read /) });
    writeFileSync(hosts, Buffer.alloc(MAX_HOSTS_BYTES + 1, 0x20));
    expect(await changeHostsFile({ path: hosts, action: 'add', workDir: work, platform: 'linux' })).toMatchObject({ ok: false, error: expect.stringMatching(/larger than/) });
  });
});

describe('elevatedCopyCommand', () => {
  it('macOS: osascript with administrator privileges, paths quoted for AppleScript and the shell', () => {
    const cmd = elevatedCopyCommand('darwin', '/Users/a "b"/hosts.new', '/etc/hosts');
    expect(cmd.file).toBe('/usr/bin/osascript');
    expect(cmd.args).toEqual([
      '-e',
      'do shell script "/bin/cp " & quoted form of "/Users/a \\"b\\"/hosts.new" & " " & quoted form of "/etc/hosts" with administrator privileges',
    ]);
  });

  it("Windows: an elevated PowerShell Copy-Item, its script base64-encoded so paths need no shell quoting", () => {
    const cmd = elevatedCopyCommand('win32', "C:\\Users\\o'neil\\hosts.new", 'C:\\Windows\\System32\\drivers\\etc\\hosts');
    expect(cmd.file).toBe('powershell.exe');
    const outer = cmd.args.at(-1)!;
    expect(outer).toMatch(/Start-Process -FilePath powershell\.exe -Verb RunAs -Wait -PassThru/);
    const encoded = /'-EncodedCommand','([A-Za-z0-9+/=]+)'/.exec(outer)![1];
    expect(Buffer.from(encoded, 'base64').toString('utf16le')).toBe("Copy-Item -LiteralPath 'C:\\Users\\o''neil\\hosts.new' -Destination 'C:\\Windows\\System32\\drivers\\etc\\hosts' -Force");
  });
});

describe('checkResolution', () => {
  it('says whether each name resolves to this machine', async () => {
    const answers: Record<string, string[]> = { 'gateway.messenger.hotmail.com': ['127.0.0.1'], 'messenger.hotmail.com': ['203.0.113.9'], 'lan.example': ['192.168.1.20'] };
    const lookup = async (name: string) => {
      if (!answers[name]) throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
      return answers[name].map((address) => ({ address }));
    };
    const r = await checkResolution(['gateway.messenger.hotmail.com', 'messenger.hotmail.com', 'lan.example', 'gone.example'], lookup, new Set(['192.168.1.20']));
    expect(r).toEqual([
      { name: 'gateway.messenger.hotmail.com', addresses: ['127.0.0.1'], local: true, error: null },
      { name: 'messenger.hotmail.com', addresses: ['203.0.113.9'], local: false, error: null },
      { name: 'lan.example', addresses: ['192.168.1.20'], local: true, error: null },
      { name: 'gone.example', addresses: [], local: false, error: 'ENOTFOUND' },
    ]);
  });

  it('uses the OS resolver by default (localhost is this machine)', async () => {
    const [r] = await checkResolution(['localhost']);
    expect(r.local).toBe(true);
  });
});

describe('runHostsDialog', () => {
  const lookup = async () => [{ address: '203.0.113.9' }];
  const dialogWith = (...responses: number[]) => {
    const shown: { message: string; detail?: string; buttons?: string[] }[] = [];
    return {
      shown,
      dialog: {
        showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
        showSaveDialog: async () => ({ canceled: true }),
        showMessageBox: async (_w: unknown, o: { message: string; detail?: string; buttons?: string[] }) => {
          shown.push(o);
          return { response: responses.shift() ?? 3 };
        },
      },
    };
  };

  it('shows the lines and the DNS answer, and adds the block after the user confirms', async () => {
    const { runHostsDialog } = await import('../../electron/shell/hosts-dialog.ts');
    const { dialog, shown } = dialogWith(0, 0);
    const r = await runHostsDialog({ dialog, window: null, platform: 'linux', listenHost: '127.0.0.1', workDir: work, path: hosts, lookup });
    expect(r).toBe('added');
    expect(shown[0].message).toBe('Point the Messenger names at this machine?');
    expect(shown[0].detail).toContain(`Lines for ${hosts}:\n  127.0.0.1 gateway.messenger.hotmail.com\n  127.0.0.1 messenger.hotmail.com`);
    expect(shown[0].detail).toContain('messenger.hotmail.com: 203.0.113.9');
    expect(shown[0].buttons).toEqual(['Add Lines', 'Remove Lines', 'Copy Lines', 'Close']);
    expect(shown[1].message).toMatch(/^Added the lines; the previous file is saved as /);
    expect(readFileSync(hosts, 'utf8')).toContain(BLOCK_BEGIN);
  });

  it('copies the lines or does nothing, as asked', async () => {
    const { runHostsDialog } = await import('../../electron/shell/hosts-dialog.ts');
    const copied: string[] = [];
    const copy = dialogWith(2);
    expect(await runHostsDialog({ dialog: copy.dialog, window: null, platform: 'linux', listenHost: '0.0.0.0', workDir: work, path: hosts, lookup, copyText: (t) => copied.push(t) })).toBe('copied');
    expect(copied).toEqual(['127.0.0.1 gateway.messenger.hotmail.com\n127.0.0.1 messenger.hotmail.com']);
    const close = dialogWith(3);
    expect(await runHostsDialog({ dialog: close.dialog, window: null, platform: 'linux', listenHost: '127.0.0.1', workDir: work, path: hosts, lookup })).toBe('none');
    expect(readFileSync(hosts, 'utf8')).toBe(ORIGINAL);
  });
});
