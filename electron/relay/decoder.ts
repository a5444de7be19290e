// The codec decoder the relay reads commands with: one ConnectionDecoder per session, so framing
// follows the VER exchange and payloads (which may contain anything) are never mistaken for lines.
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import type { DecoderFactory } from './command-watch.ts';

export const defaultDecoderFactory: DecoderFactory = (server) => new ConnectionDecoder(server);
