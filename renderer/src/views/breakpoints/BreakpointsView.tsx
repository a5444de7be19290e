// Breakpoints: rules (filter grammar, direction) that hold matching commands; each held command can
// be edited, forwarded or dropped before its countdown forwards it unchanged.
import { useEffect, useState } from 'react';
import type { HeldCommand } from '../../../../shared/api/contract.ts';
import { base64ToBytes, bytesToBase64, utf8OrNull } from '../../lib/base64.ts';
import { arrow } from '../../lib/format.ts';
import { useInspector } from '../../store/context.tsx';
import { useOperation } from '../../store/use-operation.ts';

export function BreakpointsView() {
  const breakpoints = useInspector((s) => s.breakpoints);
  const held = useInspector((s) => s.held);
  const setBreakpoints = useInspector((s) => s.setBreakpoints);
  const run = useOperation();
  const [filter, setFilter] = useState('');
  const [direction, setDirection] = useState<'both' | 'client' | 'server'>('both');
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    const list = await run('breakpoints.list', {});
    if (list) setBreakpoints(list.breakpoints, list.held);
  };
  const add = async () => {
    const answer = await run('breakpoints.set', { filter, direction, enabled: true });
    if (answer && 'error' in answer) setError(answer.error);
    else if (answer) {
      setError(null);
      setFilter('');
      await refresh();
    }
  };

  return (
    <section aria-label="Breakpoints" className="panel breakpoints">
      <h2 className="panel-title">Breakpoints</h2>
      <form className="row-form" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <input aria-label="Breakpoint filter" className="mono" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="verb:MSG server:sb" />
        <select aria-label="Breakpoint direction" value={direction} onChange={(e) => setDirection(e.target.value as typeof direction)}>
          <option value="both">both directions</option>
          <option value="client">client → server</option>
          <option value="server">server → client</option>
        </select>
        <button type="submit" disabled={filter.trim() === ''}>Add breakpoint</button>
      </form>
      {error ? <p role="alert" className="error-box">{error}</p> : null}
      <ul className="plain">
        {breakpoints.map((b) => (
          <li key={b.id}>
            <label className="inline">
              <input type="checkbox" checked={b.enabled} onChange={async () => { await run('breakpoints.set', { ...b, enabled: !b.enabled }); await refresh(); }} />{' '}
              <code>{b.filter}</code> ({b.direction})
            </label>{' '}
            <button type="button" aria-label={`Remove breakpoint ${b.filter}`} onClick={async () => { await run('breakpoints.remove', { id: b.id }); await refresh(); }}>✕</button>
          </li>
        ))}
      </ul>
      <h3>Held ({held.length})</h3>
      {held.length === 0 ? <p className="muted">Nothing held. Matching commands stop here until you forward or drop them.</p> : null}
      {held.map((h) => <HeldItem key={h.id} held={h} />)}
    </section>
  );
}

function useCountdown(deadline: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

function HeldItem({ held }: { held: HeldCommand }) {
  const run = useOperation();
  const original = utf8OrNull(base64ToBytes(held.raw));
  const [text, setText] = useState(original ?? '');
  const seconds = useCountdown(held.deadline);
  const edited = original !== null && text !== original;
  return (
    <article className="held" aria-label={`Held command ${held.id}`}>
      <p>
        {arrow(held.direction)} session {held.sessionId} · forwards by itself in <span aria-label="seconds left">{seconds}</span> s
      </p>
      {original === null ? (
        <p className="muted">Binary payload: it can be forwarded or dropped, not edited as text.</p>
      ) : (
        // A textarea's value has bare LF line breaks; MSNP commands and MIME headers end in CRLF.
        <textarea aria-label="Held command bytes" className="mono" rows={4} value={text} onChange={(e) => setText(e.target.value.replace(/\r?\n/g, '\r\n'))} spellCheck={false} />
      )}
      <div className="actions">
        <button type="button" onClick={() => void run('held.forward', edited ? { id: held.id, raw: bytesToBase64(new TextEncoder().encode(text)) } : { id: held.id })}>
          {edited ? 'Forward edited' : 'Forward'}
        </button>
        <button type="button" onClick={() => void run('held.drop', { id: held.id })}>Drop</button>
      </div>
    </article>
  );
}
