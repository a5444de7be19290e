// Who may call the API over IPC: only the main window's own web contents, from its top frame,
// showing our bundled renderer (a file:// URL under out/renderer). Anything else (another window,
// a navigated or injected frame, a remote page) is refused before the payload is looked at.
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SenderEvent {
  sender: { id: number };
  senderFrame?: { url: string; parent?: unknown } | null;
}

export interface SenderPolicy {
  /** The main window's web contents id, or null while there is no window. */
  windowId: () => number | null;
  /** Absolute directory of the bundled renderer (out/renderer). */
  rendererDir: string;
}

export function isRendererUrl(url: string, rendererDir: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
  let path: string;
  try {
    path = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const rel = relative(rendererDir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Null when the sender is trusted, else the reason it is not. */
export function senderRefusal(event: SenderEvent, policy: SenderPolicy): string | null {
  const windowId = policy.windowId();
  if (windowId === null || event.sender?.id !== windowId) return 'the request did not come from the inspector window';
  const frame = event.senderFrame;
  if (!frame) return 'the requesting frame is gone';
  if (frame.parent) return 'the request came from a sub-frame';
  if (!isRendererUrl(frame.url, policy.rendererDir)) return 'the request came from a page other than the bundled inspector UI';
  return null;
}
