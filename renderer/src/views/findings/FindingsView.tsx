// Findings: what the inspector noticed (missing replies, TrID reuse, length mismatches, 400s...);
// choosing one selects its command or exchange.
import { useMemo } from 'react';
import { formatTime } from '../../lib/format.ts';
import { useInspector } from '../../store/context.tsx';

const MAX_SHOWN = 500;

export function FindingsView() {
  const findings = useInspector((s) => s.findings);
  const scope = useInspector((s) => s.scopeSessionId);
  const selectCommand = useInspector((s) => s.selectCommand);
  const selectExchange = useInspector((s) => s.selectExchange);
  const shown = useMemo(() => {
    const scoped = scope === null ? findings : findings.filter((f) => f.sessionId === scope);
    return scoped.slice(-MAX_SHOWN).reverse();
  }, [findings, scope]);
  return (
    <section aria-label="Findings" className="panel findings">
      <h2 className="panel-title">Findings ({shown.length})</h2>
      {shown.length === 0 ? <p className="muted">No findings{scope ? ' for this session' : ''}.</p> : null}
      <ul className="plain findings-list">
        {shown.map((f) => (
          <li key={f.id} className={`finding ${f.severity}`}>
            <button
              type="button"
              onClick={() => {
                if (f.commandId !== null) selectCommand(f.commandId);
                else if (f.exchangeId !== null) selectExchange(f.exchangeId);
              }}
            >
              <span className="sev">{f.severity}</span> <code>{f.code}</code> {f.message} <span className="muted">{formatTime(f.time)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
