// The inspector's CapturePort on top of the capture room: this run's NDJSON log (CaptureWriter),
// reopening saved captures, saving the run as one file, exports (HAR, pcapng, transcript, NDJSON)
// and HAR import.
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { ExportFormat } from '../../shared/api/contract.ts';
import type { GatewayEvent } from '../../shared/api/gateway-events.ts';
import { saveSegments } from '../capture/save-run.ts';
import { CAPTURE_FORMAT, CAPTURE_VERSION, CaptureWriter, importHar, readCapture, toHar, toPcapng, toTranscript } from '../capture/index.ts';
import type { CaptureFullInfo, CaptureHeader, RetentionReport } from '../capture/index.ts';
import type { CapturePort, EventSource } from '../inspector/capture-port.ts';

/** A HAR bigger than this is not read into memory. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

export interface HeadlessCapture {
  port: CapturePort;
  writer: CaptureWriter;
  close(): Promise<void>;
}

export interface HeadlessCaptureOptions {
  /** A directory of `capture-*` segment files; or give `file`. */
  dir?: string;
  /** The file the run is written to (see CaptureWriterOptions.file). */
  file?: string;
  appVersion: string;
  diskBytes?: number;
  /** For tests: a small segment size shows rotation. */
  segmentBytes?: number;
  onRetention?: (report: RetentionReport) => void;
  onError?: (error: Error) => void;
  onFull?: (info: CaptureFullInfo) => void;
}

export async function openHeadlessCapture(options: HeadlessCaptureOptions): Promise<HeadlessCapture> {
  const writer = await CaptureWriter.open({
    ...(options.file !== undefined ? { file: options.file } : { dir: options.dir }),
    appVersion: options.appVersion,
    ...(options.diskBytes !== undefined ? { diskBytes: options.diskBytes } : {}),
    ...(options.segmentBytes !== undefined ? { segmentBytes: options.segmentBytes } : {}),
    onRetention: options.onRetention,
    onError: options.onError,
    onFull: options.onFull,
  });

  /** This run's events, re-read from its segment files (everything queued is flushed first). */
  async function* runEvents(): AsyncGenerator<GatewayEvent> {
    await writer.flush();
    for (const file of [...writer.segmentFiles]) {
      for await (const event of readCapture(file)) yield event;
    }
  }

  /** This run as one capture file: the segments' lines after one header (bytes copied, not re-encoded). */
  async function saveRun(path: string): Promise<number> {
    await writer.flush();
    const header: CaptureHeader = {
      format: CAPTURE_FORMAT,
      version: CAPTURE_VERSION,
      app: options.appVersion,
      started: writer.started.toISOString(),
      captureId: writer.captureId,
      segment: 0,
    };
    return saveSegments(path, header, [...writer.segmentFiles]);
  }

  async function allEvents(): Promise<GatewayEvent[]> {
    const events: GatewayEvent[] = [];
    for await (const event of runEvents()) events.push(event);
    return events;
  }

  const port: CapturePort = {
    append: (event) => writer.write(event),
    currentFile: () => writer.currentFile,
    async open(path): Promise<EventSource> {
      return readCapture(path);
    },
    async save(path) {
      return { bytes: await saveRun(path) };
    },
    async export(path, format: ExportFormat, { unredacted }) {
      if (format === 'ndjson') return { bytes: await saveRun(path) };
      const events = await allEvents();
      let data: string | Uint8Array;
      if (format === 'har') {
        data = `${JSON.stringify(toHar(events, { unredacted, creator: { name: 'msn-gateway-inspector', version: options.appVersion } }), null, 2)}\n`;
      } else if (format === 'pcapng') data = toPcapng(events, { unredacted });
      else if (format === 'transcript') data = toTranscript(events, { unredacted });
      else throw new Error(`unknown export format ${JSON.stringify(format)}`);
      await writeFile(path, data, { flag: 'wx' });
      return { bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length };
    },
    async import(path) {
      const info = await stat(path);
      if (info.size > MAX_IMPORT_BYTES) throw new Error(`"${path}" is ${info.size} bytes; at most ${MAX_IMPORT_BYTES} can be imported`);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`"${path}" is not a HAR file: ${(error as Error).message}`);
      }
      return importHar(json);
    },
  };

  return { port, writer, close: () => writer.close() };
}
