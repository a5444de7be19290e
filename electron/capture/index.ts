// Public entry of the capture log and the exports.
export { CaptureWriter, CAPTURE_DEFAULTS, type CaptureWriterOptions, type CaptureWriterStats, type CaptureFullInfo } from './log.ts';
export { resolveCaptureTarget, checkCaptureFile, continuationFile, CaptureTargetError, type CaptureTarget } from './target.ts';
export { readCapture, readAllEvents, captureFiles, captureFileSet, type CaptureReader, type CaptureProblem, type ReadCaptureOptions } from './read.ts';
export { saveSegments } from './save-run.ts';
export { CaptureIndex, readRange, indexCapture, type CaptureIndexEntry, type RangeResult } from './range.ts';
export type { RetentionReport, RemovedSegment } from './retention.ts';
export { CAPTURE_FORMAT, CAPTURE_VERSION, CaptureFormatError, type CaptureHeader } from './format.ts';
export { redactEvents, type RedactOptions } from './redact.ts';
export { PLACEHOLDER } from './redact-command.ts';
export { toHar, importHar, HarImportError, type Har, type HarEntry, type HarOptions } from './har.ts';
export { toPcapng, type PcapngOptions } from './pcapng.ts';
export { toTranscript, type TranscriptOptions } from './transcript.ts';
