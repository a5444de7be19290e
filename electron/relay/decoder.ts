// The codec decoder the relay uses by default.
// TEMPORARY: shared/msnp/connection.ts (ConnectionDecoder) is being written by another helper;
// until it lands this returns a decoder that sees nothing (no SB learning, no PNG/OUT detection).
import type { DecoderFactory } from './command-watch.ts';

export const defaultDecoderFactory: DecoderFactory = () => ({ push: () => [] });
