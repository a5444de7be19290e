// Public face of the emulated MSNP server.
export { createEmulator } from './emulator.ts';
export type { Emulator, EmulatorAddresses, EmulatorInit, ListenOptions } from './emulator.ts';
export { DEFAULT_OPTIONS, resolveOptions } from './options.ts';
export type { BotOptions, ChallengeOptions, EmulatorOptions, EmulatorOptionsInput } from './options.ts';
export type { Hub } from './hub.ts';
