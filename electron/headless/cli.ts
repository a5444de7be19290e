// The `msn-gateway-inspector` command: a small dispatcher; each subcommand lives in its own file.
import { runDecode, DECODE_USAGE } from './decode-command.ts';
import { runExport, EXPORT_USAGE } from './export-command.ts';
import { runHeadless } from './headless-command.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const HELP = `msn-gateway-inspector: a local MSN Messenger HTTP gateway and MSNP inspector

Usage: msn-gateway-inspector <command> [options]

Commands:
  decode FILE    decode one direction of a raw MSNP byte stream, one JSON object per line
  headless       run gateway, emulator and inspector in Node; the UI in a browser
  export CAPTURE export a saved capture as HAR, pcapng or a transcript (redacted by default)
  help           show this help

Run 'msn-gateway-inspector <command> --help' for a command's options.
`;

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(HELP);
      return command === undefined ? 2 : 0;
    case 'decode':
      if (rest.includes('--help') || rest.includes('-h')) {
        io.out(DECODE_USAGE);
        return 0;
      }
      return runDecode(rest, io);
    case 'headless':
      return runHeadless(rest, io);
    case 'export':
      if (rest.includes('--help') || rest.includes('-h')) {
        io.out(EXPORT_USAGE);
        return 0;
      }
      return runExport(rest, io);
    default:
      io.err(`msn-gateway-inspector: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}
