import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli.ts';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msn-decode-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function decode(bytes: Uint8Array | string, ...flags: string[]) {
  const file = join(dir, `stream-${Math.random().toString(36).slice(2)}.bin`);
  await writeFile(file, bytes);
  let out = '';
  let err = '';
  const code = await main(['decode', file, ...flags], { out: (t) => (out += t), err: (t) => (err += t) });
  const items = out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  return { code, items, err };
}

describe('decode command', () => {
  it('prints one JSON object per command with verb, trid, args and payload length in bytes', async () => {
    const body = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhé ☃';
    const bodyBytes = new TextEncoder().encode(body).length;
    const { code, items } = await decode(`VER 1 MSNP8 CVR0\r\nMSG 4 N ${bodyBytes}\r\n${body}OUT\r\n`, '--server', 'sb');
    expect(code).toBe(0);
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ verb: 'VER', trid: 1, args: ['1', 'MSNP8', 'CVR0'], payloadLength: null, errorCode: null });
    expect(items[1]).toMatchObject({ verb: 'MSG', trid: 4, args: ['4', 'N', String(bodyBytes)], payloadLength: bodyBytes });
    expect(bodyBytes).toBeGreaterThan(body.length);
    expect(items[2]).toMatchObject({ verb: 'OUT', trid: null, args: [] });
    expect(items[1].offset).toBe(18);
  });

  it('reports numeric errors and malformed lines without stopping', async () => {
    const { code, items } = await decode('201 19\r\nvEr nonsense\r\nQNG 50\r\n', '--from', 'server');
    expect(code).toBe(0);
    expect(items.map((i) => i.verb)).toEqual(['201', null, 'QNG']);
    expect(items[0]).toMatchObject({ errorCode: 201, trid: 19 });
    expect(typeof items[1].malformed).toBe('string');
    expect(items[2]).toMatchObject({ payloadLength: null, trid: null, args: ['50'] });
  });

  it('follows the VER exchange: UUX carries a payload from MSNP11 on', async () => {
    const xml = '<Data><PSM>hi</PSM></Data>';
    const { items } = await decode(`VER 1 MSNP11 CVR0\r\nUUX 2 ${xml.length}\r\n${xml}`);
    expect(items[1]).toMatchObject({ verb: 'UUX', payloadLength: xml.length, version: 11 });
  });

  it('honours --protocol over what VER says', async () => {
    const { items } = await decode('ADL 5 OK\r\n', '--from', 'server', '--protocol', 'MSNP15');
    expect(items[0]).toMatchObject({ verb: 'ADL', payloadLength: null, version: 15 });
  });

  it('rejects a missing file and bad options with a clear message and a non-zero exit', async () => {
    let err = '';
    const io = { out: () => undefined, err: (t: string) => (err += t) };
    expect(await main(['decode', join(dir, 'nope.bin')], io)).toBe(1);
    expect(err).toContain('no such file');
    err = '';
    expect(await main(['decode', dir], io)).toBe(1);
    expect(err).toContain('directory');
    err = '';
    expect(await main(['decode', 'x', '--protocol', 'MSNP99'], io)).toBe(2);
    expect(err).toContain('--protocol must be MSNP2 to MSNP21');
    err = '';
    expect(await main(['decode', 'x', '--from', 'both'], io)).toBe(2);
    expect(err).toContain('--from must be client or server');
  });

  it('runs as the installed command', async () => {
    const file = join(dir, 'cli.bin');
    await writeFile(file, 'CHL 0 15570131571988941333\r\n');
    const { stdout } = await run(process.execPath, ['bin/msn-gateway-inspector.mjs', 'decode', file, '--from', 'server']);
    expect(JSON.parse(stdout)).toMatchObject({ verb: 'CHL', trid: 0, payloadLength: null });
    const help = await run(process.execPath, ['bin/msn-gateway-inspector.mjs', '--help']);
    expect(help.stdout).toContain('decode FILE');
    await expect(run(process.execPath, ['bin/msn-gateway-inspector.mjs', 'decode', join(dir, 'missing')])).rejects.toMatchObject({ code: 1 });
  });
});
