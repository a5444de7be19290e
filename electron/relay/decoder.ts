// The codec decoder the relay reads commands with: one ConnectionDecoder per session, so framing
// follows the VER exchange and payloads (which may contain anything) are never mistaken for lines.
// The relay only looks for a few verbs, so it skips TrID pairing (the inspector pairs on its own).
import { ConnectionDecoder } from '../../shared/msnp/connection.ts';
import type { DecoderFactory } from './command-watch.ts';

export const defaultDecoderFactory: DecoderFactory = (server) => new ConnectionDecoder(server, { trackPairs: false });
