// What a caller may tune on the emulated MSNP service. Every field has a default so
// `createEmulator({ accounts, tickets })` works out of the box; tests shorten or disable timers.

export interface ChallengeOptions {
  /** Send `CHL 0` at all (MSNP6+ only; older versions have no challenges). */
  enabled: boolean;
  /** Delay after the first CHG before the first challenge ("shortly after", as the real NS did). */
  firstDelayMs: number;
  /** Mean interval between later challenges; each wait is jittered by +-25 %. 0 = only the first. */
  intervalMs: number;
  /** Disconnect when a challenge stays unanswered this long. 0 = never (lenient default). */
  timeoutMs: number;
  /** Accept any QRY answer (for clients whose product key is unknown). */
  acceptAnyAnswer: boolean;
}

export interface BotOptions {
  enabled: boolean;
  handle: string;
  friendlyName: string;
  /** Mean interval between presence changes (NLN/AWY/BSY). 0 = stays NLN. */
  presenceIntervalMs: number;
  /** Delay before the bot answers a message, so replies arrive after the sender's ACK. */
  replyDelayMs: number;
}

export interface EmulatorOptions {
  /** Lowest and highest MSNP version offered in VER (2..18). */
  minVersion: number;
  maxVersion: number;
  /** `host:port` put in XFR/RNG; default: the SB listener's address, else 127.0.0.1:1864. */
  sbAddress: string | null;
  /** Lifetime of an XFR/RNG cookie (Escargot: 120 s). */
  cookieTtlMs: number;
  challenge: ChallengeOptions;
  bot: BotOptions;
  /** Most simultaneous NS + SB connections. */
  maxConnections: number;
  /** Most participants in one switchboard. */
  maxRoomSize: number;
  /** Longest command line and largest payload accepted from a client. */
  maxLineBytes: number;
  maxPayloadBytes: number;
  /** Most bytes queued for a slow reader before its connection is dropped. */
  maxQueuedBytes: number;
  /** Seconds announced in `QNG n` (MSNP9+). */
  pingIntervalS: number;
}

export interface EmulatorOptionsInput extends Partial<Omit<EmulatorOptions, 'challenge' | 'bot'>> {
  challenge?: Partial<ChallengeOptions>;
  bot?: Partial<BotOptions>;
}

export const DEFAULT_OPTIONS: EmulatorOptions = {
  minVersion: 2,
  maxVersion: 18,
  sbAddress: null,
  cookieTtlMs: 120_000,
  challenge: {
    enabled: true,
    firstDelayMs: 2_000,
    intervalMs: 10 * 60_000,
    timeoutMs: 0,
    acceptAnyAnswer: false,
  },
  bot: {
    enabled: true,
    handle: 'echo@example.com',
    friendlyName: 'Echo Bot',
    presenceIntervalMs: 90_000,
    replyDelayMs: 50,
  },
  maxConnections: 512,
  maxRoomSize: 20,
  maxLineBytes: 8 * 1024,
  maxPayloadBytes: 128 * 1024,
  maxQueuedBytes: 4 * 1024 * 1024,
  pingIntervalS: 50,
};

export function resolveOptions(input: EmulatorOptionsInput = {}): EmulatorOptions {
  const { challenge, bot, ...rest } = input;
  const merged: EmulatorOptions = {
    ...DEFAULT_OPTIONS,
    ...stripUndefined(rest),
    challenge: { ...DEFAULT_OPTIONS.challenge, ...stripUndefined(challenge ?? {}) },
    bot: { ...DEFAULT_OPTIONS.bot, ...stripUndefined(bot ?? {}) },
  };
  if (!Number.isInteger(merged.minVersion) || !Number.isInteger(merged.maxVersion)
    || merged.minVersion < 2 || merged.maxVersion > 18 || merged.minVersion > merged.maxVersion) {
    throw new RangeError(`emulator versions must satisfy 2 <= minVersion <= maxVersion <= 18 (got ${merged.minVersion}..${merged.maxVersion})`);
  }
  if (merged.sbAddress !== null && !/^[^\s:]+:\d{1,5}$/.test(merged.sbAddress)) {
    throw new RangeError(`sbAddress must be host:port (got ${JSON.stringify(merged.sbAddress)})`);
  }
  merged.bot.handle = merged.bot.handle.toLowerCase();
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
