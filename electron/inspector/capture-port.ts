// What the inspector needs from the capture room (electron/capture, helper H8). The lead adapts
// H8's CaptureWriter/readCapture/exports to this. Methods may throw (or reject) with an Error whose
// message is shown to the user; the inspector turns it into `{ ok: false, error }`.
import type { ExportFormat } from '../../shared/api/contract.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';

/**
 * Events to load. A source may also offer `batches()` (the capture reader does): the same events in
 * arrays, which loads a big capture with one await per batch instead of one per event.
 */
export type EventSource = (Iterable<GatewayEvent> | AsyncIterable<GatewayEvent>) & { batches?: () => AsyncIterable<readonly GatewayEvent[]> };

export interface CapturePort {
  /** Every gateway event while capturing is on (not while paused), in order. */
  append(event: GatewayEvent): void;
  /** The live capture log's path, if one is being written. */
  currentFile(): string | null;
  /** Reads a saved capture (NDJSON) for offline analysis. */
  open(path: string): Promise<EventSource>;
  /** Writes the current capture to `path`; resolves with the bytes written. */
  save(path: string): Promise<{ bytes: number }>;
  export(path: string, format: ExportFormat, options: { unredacted: boolean }): Promise<{ bytes: number }>;
  /** Reads a foreign file (HAR) back into events. */
  import(path: string): Promise<EventSource>;
}
