// A command's payload as the codec decoded it: MIME headers and body, pretty XML, text or hex.
import { useState } from 'react';
import type { CommandDetail } from '../../../../shared/api/contract.ts';
import { hexDump } from '../../../../shared/msnp/hex.ts';
import { base64ToBytes } from '../../lib/base64.ts';

export function PayloadView({ detail }: { detail: CommandDetail }) {
  const [hex, setHex] = useState(false);
  const p = detail.payload;
  if (p === null) return <p className="muted">No payload.</p>;
  return (
    <div className="payload">
      <label className="inline">
        <input type="checkbox" checked={hex} onChange={(e) => setHex(e.target.checked)} /> Hex with offsets
      </label>
      {hex ? <HexBlock raw={detail.raw} /> : <Decoded payload={p} />}
    </div>
  );
}

function Decoded({ payload: p }: { payload: NonNullable<CommandDetail['payload']> }) {
  switch (p.kind) {
    case 'mime':
      return (
        <>
          <table className="kv" aria-label="MIME headers">
            <tbody>
              {p.headers.map(([name, value], i) => (
                <tr key={i}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">Body: {p.bodyBytes} bytes</p>
          <pre className="code">{p.bodyText}</pre>
        </>
      );
    case 'xml':
      return <pre className="code" aria-label="XML">{p.pretty}</pre>;
    case 'binary':
      return (
        <>
          <p>{p.summary}</p>
          <pre className="code">{p.hex}</pre>
        </>
      );
    case 'text':
      return <pre className="code">{p.text}</pre>;
  }
}

export function HexBlock({ raw }: { raw: string }) {
  const dump = hexDump(base64ToBytes(raw));
  return <pre className="code hex" aria-label="Hex dump">{dump.lines.join('\n')}</pre>;
}
