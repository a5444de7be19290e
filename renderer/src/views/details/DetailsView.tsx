// Details of the selected command: decoded fields with the command's description, the error's name
// and meaning, the payload, the raw HTTP of its exchange; resend it or edit a copy in the composer.
import { useState } from 'react';
import type { CommandDetail } from '../../../../shared/api/contract.ts';
import { base64ToBytes, utf8Lossy } from '../../lib/base64.ts';
import { arrow, formatTime } from '../../lib/format.ts';
import { useInspector } from '../../store/context.tsx';
import { useOperation } from '../../store/use-operation.ts';
import { HttpView } from './HttpView.tsx';
import { PayloadView } from './PayloadView.tsx';
import { useCommandDetail, useExchangeDetail } from './use-detail.ts';

type Tab = 'fields' | 'payload' | 'http';

export function DetailsView() {
  const selectedId = useInspector((s) => s.selectedCommandId);
  const detail = useCommandDetail(selectedId);
  const exchangeId = detail.state === 'ready' ? (detail.value?.command.exchangeId ?? null) : null;
  const exchange = useExchangeDetail(exchangeId);
  const [tab, setTab] = useState<Tab>('fields');

  let body;
  if (detail.state === 'idle') body = <p className="muted">Select a command to see it decoded.</p>;
  else if (detail.state === 'loading') body = <p className="muted">Loading…</p>;
  else if (detail.state === 'error') body = <p role="alert">Could not load command: {detail.error}</p>;
  else if (detail.value === null) body = <p className="muted">This command is no longer in memory (see the capture file).</p>;
  else
    body = (
      <>
        <CommandHeader detail={detail.value} />
        <div role="tablist" aria-label="Detail views" className="tabs">
          {(['fields', 'payload', 'http'] as const).map((t) => (
            <button key={t} role="tab" type="button" aria-selected={tab === t} onClick={() => setTab(t)}>
              {t === 'fields' ? 'Fields' : t === 'payload' ? 'Payload' : 'HTTP'}
            </button>
          ))}
        </div>
        <div role="tabpanel">
          {tab === 'fields' ? <Fields detail={detail.value} /> : null}
          {tab === 'payload' ? <PayloadView detail={detail.value} /> : null}
          {tab === 'http' ? (
            exchange.state === 'ready' && exchange.value ? <HttpView detail={exchange.value} /> : <p className="muted">{exchangeId === null ? 'Not carried by an HTTP exchange (injected or upstream-only).' : 'Loading…'}</p>
          ) : null}
        </div>
      </>
    );
  return (
    <section aria-label="Details" className="panel details">
      <h2 className="panel-title">Details</h2>
      {body}
    </section>
  );
}

function CommandHeader({ detail }: { detail: CommandDetail }) {
  const c = detail.command;
  const run = useOperation();
  const setInjectDraft = useInspector((s) => s.setInjectDraft);
  const selectCommand = useInspector((s) => s.selectCommand);
  const edit = () => {
    const raw = base64ToBytes(detail.raw);
    const text = utf8Lossy(raw);
    const crlf = text.indexOf('\r\n');
    const line = (crlf < 0 ? text : text.slice(0, crlf)).split(' ');
    // The composer fills in TrID and length itself: drop them from the edited line.
    const args = c.trid !== null ? line.slice(2) : line.slice(1);
    if (c.payloadLength !== null) args.pop();
    setInjectDraft({ sessionId: c.sessionId, to: c.direction === 'client' ? 'server' : 'client', line: [line[0], ...args].join(' '), payload: crlf < 0 ? '' : text.slice(crlf + 2) });
  };
  return (
    <div className="detail-head">
      <p>
        <b>{c.verb ?? 'malformed'}</b> {arrow(c.direction)} · session {c.sessionId} · {formatTime(c.time)} · {c.size} bytes
        {c.origin !== 'wire' ? ` · ${c.origin}` : ''}
      </p>
      <p>{detail.description}</p>
      {detail.error ? (
        <p className="error-box" role="note">
          Error {detail.error.code} {detail.error.name}: {detail.error.meaning}
        </p>
      ) : null}
      {c.malformed ? <p className="error-box">Malformed: {c.malformed}</p> : null}
      <div className="actions">
        {c.pairId !== null ? (
          <button type="button" onClick={() => selectCommand(c.pairId)}>
            Go to {c.direction === 'client' ? 'reply' : 'request'}
          </button>
        ) : null}
        <button type="button" onClick={() => void run('inject.resend', { commandId: c.id })}>
          Resend
        </button>
        <button type="button" onClick={edit}>
          Edit in composer
        </button>
      </div>
    </div>
  );
}

function Fields({ detail }: { detail: CommandDetail }) {
  if (detail.fields.length === 0) return <p className="muted">No arguments.</p>;
  return (
    <table className="kv" aria-label="Decoded fields">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Value</th>
          <th scope="col">On the wire</th>
        </tr>
      </thead>
      <tbody>
        {detail.fields.map((f, i) => (
          <tr key={i}>
            <th scope="row">{f.name}</th>
            <td>{f.value}</td>
            <td className="muted">{f.raw !== f.value ? f.raw : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
