// The raw HTTP request and response of the exchange a command travelled in.
import type { ExchangeDetail } from '../../../../shared/api/contract.ts';
import { base64ToBytes, utf8Lossy } from '../../lib/base64.ts';
import { formatDuration } from '../../lib/format.ts';
import { HexBlock } from './PayloadView.tsx';

const MAX_TEXT = 256 * 1024;

function bodyText(b64: string) {
  const bytes = base64ToBytes(b64);
  const text = utf8Lossy(bytes.subarray(0, MAX_TEXT));
  return bytes.length > MAX_TEXT ? `${text}\n… ${bytes.length - MAX_TEXT} more bytes` : text;
}

export function HttpView({ detail }: { detail: ExchangeDetail }) {
  const x = detail.exchange;
  const t = x.timings;
  const binaryBody = (b64: string | null) => b64 !== null && /[\x00-\x08\x0e-\x1f]/.test(utf8Lossy(base64ToBytes(b64).subarray(0, 4096)));
  return (
    <div className="http">
      <p>
        Exchange #{x.id} · {x.kind} · {x.status ?? 'outstanding'}
        {x.reason ? ` (${x.reason})` : ''}
        {t.answered !== null ? ` · ${formatDuration(t.answered - t.received)}` : ''}
        {t.forwarded !== null && t.firstUpstreamByte !== null ? ` · upstream ${formatDuration(t.firstUpstreamByte - t.forwarded)}` : ''}
      </p>
      <h4>Request</h4>
      <pre className="code" aria-label="HTTP request">{bodyText(detail.requestHead)}{binaryBody(detail.requestBody) ? '' : bodyText(detail.requestBody)}</pre>
      {binaryBody(detail.requestBody) ? <HexBlock raw={detail.requestBody} /> : null}
      <h4>Response</h4>
      {detail.responseHead === null ? (
        <p className="muted">No response yet (long poll outstanding or the request is still open).</p>
      ) : (
        <>
          <pre className="code" aria-label="HTTP response">{bodyText(detail.responseHead)}{binaryBody(detail.responseBody) ? '' : bodyText(detail.responseBody ?? '')}</pre>
          {binaryBody(detail.responseBody) ? <HexBlock raw={detail.responseBody!} /> : null}
        </>
      )}
    </div>
  );
}
