// `decode FILE`: one direction of a raw MSNP byte stream in, one JSON object per item out.
import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import type { Direction, Item, ServerKind } from '../../shared/msnp/types.ts';
import type { CliIo } from './cli.ts';

export const DECODE_USAGE = `Usage: msn-gateway-inspector decode FILE [--from client|server] [--protocol MSNPn] [--server ns|sb]

Reads one direction of a raw MSNP byte stream from FILE ('-' for standard input) and prints one
JSON object per item, one per line: verb, trid, args, payloadLength, errorCode, offset, length,
and malformed (the reason) for bytes that are not a valid command.

Options:
  --from client|server   who sent the bytes (default: client)
  --protocol MSNPn       protocol version, 2..21 (default: follow the VER exchange, else MSNP8)
  --server ns|sb         notification server or switchboard (default: ns)
`;

interface DecodeOptions {
  file: string;
  direction: Direction;
  server: ServerKind;
  version: number | null;
}

export function parseDecodeArgs(argv: string[]): DecodeOptions | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { from: { type: 'string' }, protocol: { type: 'string' }, server: { type: 'string' } },
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return positionals.length === 0 ? 'missing FILE' : `expected one FILE, got ${positionals.length}`;
  const from = values.from ?? 'client';
  if (from !== 'client' && from !== 'server') return `--from must be client or server, not "${from}"`;
  const server = (values.server ?? 'ns').toUpperCase();
  if (server !== 'NS' && server !== 'SB') return `--server must be ns or sb, not "${values.server}"`;
  let version: number | null = null;
  if (values.protocol !== undefined) {
    const match = /^(?:MSNP)?(\d{1,2})$/i.exec(values.protocol);
    version = match ? Number(match[1]) : NaN;
    if (!(version >= 2 && version <= 21)) return `--protocol must be MSNP2 to MSNP21, not "${values.protocol}"`;
  }
  return { file: positionals[0], direction: from, server, version };
}

export function itemToJson(item: Item, version: number): Record<string, unknown> {
  if (item.kind === 'malformed') {
    return { verb: null, trid: null, args: [], payloadLength: null, errorCode: null, offset: item.offset, length: item.raw.length, version, malformed: item.reason };
  }
  return {
    verb: item.verb,
    trid: item.trid,
    args: item.args,
    payloadLength: item.payloadLength,
    errorCode: item.errorCode,
    offset: item.offset,
    length: item.raw.length,
    version,
  };
}

export async function runDecode(argv: string[], io: CliIo): Promise<number> {
  const options = parseDecodeArgs(argv);
  if (typeof options === 'string') {
    io.err(`decode: ${options}\n\n${DECODE_USAGE}`);
    return 2;
  }
  if (options.file !== '-') {
    const problem = await unreadable(options.file);
    if (problem) {
      io.err(`decode: cannot read "${options.file}": ${problem}\n`);
      return 1;
    }
  }
  const decoder = new ConnectionDecoder(options.server, {
    version: options.version ?? undefined,
    followVer: options.version === null,
  });
  const emit = (items: Item[]) => {
    if (items.length === 0) return;
    let text = '';
    for (const item of items) text += JSON.stringify(itemToJson(item, decoder.version)) + '\n';
    io.out(text);
  };
  try {
    const stream = options.file === '-' ? process.stdin : createReadStream(options.file);
    for await (const chunk of stream) emit(decoder.push(options.direction, chunk as Uint8Array));
    emit(decoder.end(options.direction));
  } catch (error) {
    io.err(`decode: failed reading "${options.file}": ${(error as Error).message}\n`);
    return 1;
  }
  return 0;
}

async function unreadable(file: string): Promise<string | null> {
  try {
    await access(file, constants.R_OK);
    const info = await stat(file);
    return info.isDirectory() ? 'it is a directory' : null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
  }
}
