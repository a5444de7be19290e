// `export CAPTURE --format har|pcapng|transcript [--unredacted] -o FILE`: a saved capture (a file,
// with a named capture's continuation files, or a directory of segment files) to a file other
// tools open. Redacted unless asked otherwise.
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CaptureFormatError } from '../capture/format.ts';
import { toHar } from '../capture/har.ts';
import { toPcapng } from '../capture/pcapng.ts';
import { readAllEvents } from '../capture/read.ts';
import { toTranscript } from '../capture/transcript.ts';
import type { CliIo } from './cli.ts';

export const EXPORT_USAGE = `Usage: msn-gateway-inspector export CAPTURE --format har|pcapng|transcript [--unredacted] -o FILE

Exports a saved capture for other tools. CAPTURE is a capture file (one written with
'headless --capture run.ndjson' is read with its continuation files run.0001.ndjson, ... beside
it), one capture-*.ndjson segment file, or a directory holding one capture's segment files:
  har         HAR 1.2 of the gateway's HTTP traffic (browser dev tools, Fiddler, mitmproxy)
  pcapng      both legs as TCP (client <-> gateway HTTP, gateway <-> server MSNP) for Wireshark:
              tshark -r FILE -d tcp.port==80,http -d tcp.port==1864,msnms
  transcript  one line per command, libpurple style (C: NS 000: VER 1 MSNP8 CVR0)

Login hashes, Passport tickets, switchboard cookies and the profile's auth fields are replaced
by [redacted] unless --unredacted is given.

Options:
  --format FORMAT   har, pcapng or transcript (required)
  -o, --output FILE where to write (required; replaced if it exists)
  --unredacted      keep every secret in the export
`;

const FORMATS = ['har', 'pcapng', 'transcript'] as const;
type Format = (typeof FORMATS)[number];

interface ExportOptions {
  capture: string;
  format: Format;
  output: string;
  unredacted: boolean;
}

export function parseExportArgs(argv: string[]): ExportOptions | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string' }, output: { type: 'string', short: 'o' }, unredacted: { type: 'boolean' } },
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return positionals.length === 0 ? 'missing CAPTURE' : `expected one CAPTURE, got ${positionals.length}`;
  if (values.format === undefined) return 'missing --format (har, pcapng or transcript)';
  if (!(FORMATS as readonly string[]).includes(values.format)) return `--format must be har, pcapng or transcript, not "${values.format}"`;
  if (values.output === undefined || values.output === '') return 'missing -o FILE';
  return { capture: positionals[0], format: values.format as Format, output: values.output, unredacted: values.unredacted ?? false };
}

export async function runExport(argv: string[], io: CliIo): Promise<number> {
  const options = parseExportArgs(argv);
  if (typeof options === 'string') {
    io.err(`export: ${options}\n\n${EXPORT_USAGE}`);
    return 2;
  }
  if (resolve(options.output) === resolve(options.capture)) {
    io.err('export: the output file is the capture itself; choose another -o FILE\n');
    return 2;
  }
  const outDir = await stat(resolve(options.output, '..')).catch(() => null);
  if (!outDir?.isDirectory()) {
    io.err(`export: cannot write "${options.output}": its directory does not exist\n`);
    return 1;
  }

  let read;
  try {
    read = await readAllEvents(options.capture, { onProblem: (p) => io.err(`export: warning: ${p.file} at byte ${p.offset}: ${p.message}\n`) });
  } catch (error) {
    const why = error instanceof CaptureFormatError ? error.message : `cannot read "${options.capture}": ${(error as Error).message}`;
    io.err(`export: ${why}\n`);
    return 1;
  }
  const { events, headers } = read;
  const redact = { unredacted: options.unredacted };
  let data: Uint8Array | string;
  let what: string;
  if (options.format === 'har') {
    const har = toHar(events, { ...redact, creator: { name: 'MSN Gateway Inspector', version: headers[0]?.app ?? 'unknown' } });
    data = JSON.stringify(har, null, 1) + '\n';
    what = `${har.log.entries.length} HTTP exchanges`;
  } else if (options.format === 'pcapng') {
    data = toPcapng(events, redact);
    what = `${data.length} bytes of pcapng`;
  } else {
    data = toTranscript(events, redact);
    what = `${data.split('\n').filter((l) => /^[CS]: /.test(l)).length} commands`;
  }

  // Written beside the target and renamed, so a failed export never leaves half a file.
  const temp = `${options.output}.${process.pid}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, options.output);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    io.err(`export: cannot write "${options.output}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 1;
  }
  io.out(`exported ${events.length} events (${what}) to ${options.output}${options.unredacted ? ' UNREDACTED: it contains login secrets' : ' (redacted)'}\n`);
  return 0;
}
