// Checks the shape of what arrives on the WebSocket before anything trusts it.
import type { ServerMessage } from '../../../shared/api/contract.ts';

/** Largest message the UI will parse; a batch far past this means something is wrong upstream. */
export const MAX_MESSAGE_CHARS = 64 * 1024 * 1024;

export function parseServerMessage(text: string): ServerMessage | null {
  if (text.length > MAX_MESSAGE_CHARS) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.kind === 'events') {
    const b = m.batch as Record<string, unknown> | null;
    if (typeof b !== 'object' || b === null || !Array.isArray(b.commands) || !Array.isArray(b.sessions)) return null;
    return value as ServerMessage;
  }
  if (m.kind === 'result' && typeof m.id === 'number' && typeof m.ok === 'boolean') {
    if (!m.ok && typeof m.error !== 'string') return null;
    return value as ServerMessage;
  }
  return null;
}
