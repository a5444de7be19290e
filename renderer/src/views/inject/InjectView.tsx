// Inject: compose a command from a template, see its exact bytes and length live, validate with the
// codec, then send it to the server or to the client of the chosen session.
import { useEffect, useMemo, useState } from 'react';
import { useInspector } from '../../store/context.tsx';
import { useOperation } from '../../store/use-operation.ts';
import { compose } from './compose.ts';
import { TEMPLATES } from './templates.ts';

export function InjectView() {
  const sessionsById = useInspector((s) => s.sessionsById);
  const scope = useInspector((s) => s.scopeSessionId);
  const draft = useInspector((s) => s.injectDraft);
  const run = useOperation();
  const open = useMemo(() => [...sessionsById.values()].filter((s) => s.state === 'open'), [sessionsById]);
  const [sessionId, setSessionId] = useState<string>('');
  const [line, setLine] = useState('');
  const [trid, setTrid] = useState('auto');
  const [payload, setPayload] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);

  useEffect(() => {
    if (draft) {
      setSessionId(draft.sessionId);
      setLine(draft.line);
      setPayload(draft.payload === '' ? null : draft.payload);
      setTrid('auto');
    }
  }, [draft]);

  const chosen = sessionsById.get(sessionId) ?? sessionsById.get(scope ?? '') ?? open[0];
  const composeFor = (to: 'server' | 'client') =>
    chosen ? compose({ sessionId: chosen.id, server: chosen.server, version: chosen.version, to, line, trid, payload }) : ({ ok: false, error: 'No open session to inject into.' } as const);
  const toServer = composeFor('server');
  const toClient = composeFor('client');

  const send = async (to: 'server' | 'client') => {
    const composed = to === 'server' ? toServer : toClient;
    if (!composed.ok) return;
    const answer = await run('inject.send', composed.request);
    if (answer) setResult(answer.ok ? `Sent to the ${to} (${atob(answer.raw).length} bytes).` : `Refused: ${answer.error}`);
  };

  const templates = chosen ? TEMPLATES[chosen.server] : null;
  const applyTemplate = (value: string) => {
    const [to, index] = value.split(':');
    const t = templates?.[to as 'server' | 'client'][Number(index)];
    if (!t) return;
    setLine(t.line);
    setTrid(t.trid === 'auto' ? 'auto' : '');
    setPayload(t.payload);
  };

  const shown = toServer.ok ? toServer : toClient;
  return (
    <section aria-label="Inject" className="panel inject">
      <h2 className="panel-title">Inject</h2>
      <form className="stack" onSubmit={(e) => e.preventDefault()}>
        <label>
          Session{' '}
          <select value={chosen?.id ?? ''} onChange={(e) => setSessionId(e.target.value)}>
            {open.length === 0 ? <option value="">no open session</option> : null}
            {open.map((s) => (
              <option key={s.id} value={s.id}>
                {s.server} {s.id} {s.user ?? ''}
              </option>
            ))}
          </select>
        </label>
        {templates ? (
          <label>
            Template{' '}
            <select value="" onChange={(e) => applyTemplate(e.target.value)}>
              <option value="">choose…</option>
              {(['server', 'client'] as const).map((to) => (
                <optgroup key={to} label={`to the ${to}`}>
                  {templates[to].map((t, i) => (
                    <option key={i} value={`${to}:${i}`}>
                      {t.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Command <input aria-label="Command" className="mono" value={line} onChange={(e) => setLine(e.target.value)} placeholder="CHG NLN 0" spellCheck={false} />
        </label>
        <label>
          TrID <input aria-label="TrID" className="mono short" value={trid} onChange={(e) => setTrid(e.target.value)} placeholder="auto, a number, or empty" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={payload !== null} onChange={(e) => setPayload(e.target.checked ? '' : null)} /> Payload
        </label>
        {payload !== null ? (
          <>
            {/* A textarea's value has bare LF line breaks; MIME payloads in MSNP need CRLF. */}
            <textarea aria-label="Payload" className="mono" rows={6} value={payload} onChange={(e) => setPayload(e.target.value.replace(/\r?\n/g, '\r\n'))} spellCheck={false} />
            <span className="muted" aria-live="polite">
              {shown.ok ? `${shown.payloadBytes ?? 0} bytes` : `${new TextEncoder().encode(payload).length} bytes`}
            </span>
          </>
        ) : null}
        {shown.ok ? (
          <pre className="code preview" aria-label="Wire preview">{shown.preview.replace(/\r\n/g, '↵\n')}</pre>
        ) : null}
        {!toServer.ok && !toClient.ok ? <p role="alert" className="error-box">{toServer.error}</p> : null}
        <div className="actions">
          <button type="button" disabled={!toServer.ok} title={toServer.ok ? '' : toServer.error} onClick={() => void send('server')}>
            Send to server
          </button>
          <button type="button" disabled={!toClient.ok} title={toClient.ok ? '' : toClient.error} onClick={() => void send('client')}>
            Send to client
          </button>
        </div>
        {result ? <p aria-live="polite">{result}</p> : null}
      </form>
    </section>
  );
}
