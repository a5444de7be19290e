// Presence vocabulary shared by the NS, the hub and the bot.

export const STATUSES = ['NLN', 'BSY', 'IDL', 'BRB', 'AWY', 'PHN', 'LUN', 'HDN'] as const;
export type Status = (typeof STATUSES)[number];

export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

export interface PresenceState {
  status: Status;
  /** Client capabilities exactly as sent in CHG (`0`, `1073791020`, or `caps:extcaps` in MSNP16+). */
  caps: string;
  /** MSN object exactly as sent in CHG (still URL-encoded), or null. */
  msnobj: string | null;
}

/** What watchers are told about someone: null when they appear offline (not logged in, or HDN). */
export interface VisiblePresence extends PresenceState {
  handle: string;
  friendlyName: string;
}
