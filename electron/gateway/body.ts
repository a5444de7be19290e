// Reads a request body up to a limit without buffering past it.
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Uint8Array } | { ok: false; tooLarge: boolean; received: number };

const EMPTY = new Uint8Array(0);
/** Every poll's answer: shared, since nobody writes to it. */
const EMPTY_BODY: BodyResult = Object.freeze({ ok: true, body: EMPTY });

export function readBody(req: IncomingMessage, maxBytes: number, done: (result: BodyResult) => void): void {
  const headers = req.headers;
  const declared = headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    done({ ok: false, tooLarge: true, received: 0 });
    return;
  }
  // No body to wait for (every poll): answer now instead of listening for an empty stream's end.
  // Node dumps the (empty) request stream itself once the response is finished.
  if (declared === '0' || (declared === undefined && headers['transfer-encoding'] === undefined)) {
    done(EMPTY_BODY);
    return;
  }
  if (declared !== undefined) {
    // A small body nearly always arrives with its head, and Node parses it right after handing
    // the head over: one tick later it is all buffered, and one read() takes it, without the
    // data/end listeners and the two ticks of a flowing stream.
    process.nextTick(readWhole, req, Number(declared), maxBytes, done);
    return;
  }
  listen(req, maxBytes, done);
}

function readWhole(req: IncomingMessage, length: number, maxBytes: number, done: (result: BodyResult) => void): void {
  if (req.complete && !req.destroyed && req.readableLength === length) {
    // With no size, read() of a paused stream returns everything buffered: exactly the body.
    const body = req.read() as Buffer | null;
    if (body !== null) {
      done({ ok: true, body });
      return;
    }
  }
  listen(req, maxBytes, done);
}

/** The general case: a body still arriving, or chunked. */
function listen(req: IncomingMessage, maxBytes: number, done: (result: BodyResult) => void): void {
  const chunks: Buffer[] = [];
  let total = 0;
  let finished = false;
  const finish = (r: BodyResult): void => {
    if (finished) return;
    finished = true;
    done(r);
  };
  // Chunks after a finish (the rest of a too-large body) are dropped here rather than by
  // removing the listener, which costs more than the check on the path every body takes.
  const onData = (chunk: Buffer): void => {
    if (finished) return;
    total += chunk.length;
    if (total > maxBytes) {
      chunks.length = 0;
      req.pause();
      finish({ ok: false, tooLarge: true, received: total });
      return;
    }
    chunks.push(chunk);
  };
  req.on('data', onData);
  req.on('end', () => {
    if (total === 0) finish(EMPTY_BODY);
    else finish({ ok: true, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total) });
  });
  req.on('aborted', () => finish({ ok: false, tooLarge: false, received: total }));
  req.on('error', () => finish({ ok: false, tooLarge: false, received: total }));
}
