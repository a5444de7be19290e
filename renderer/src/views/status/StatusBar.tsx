// Status bar: gateway address and port, upstream, profile, capture state and size, connection, errors.
import { useInspector } from '../../store/context.tsx';
import { connectHelp } from './connect-help.ts';

export function StatusBar() {
  const status = useInspector((s) => s.status);
  const settings = useInspector((s) => s.settings);
  const connection = useInspector((s) => s.connection);
  const lastError = useInspector((s) => s.lastError);
  const setError = useInspector((s) => s.setError);
  const setOverlay = useInspector((s) => s.setOverlay);
  const help = connectHelp(status, settings);
  const g = status?.gateway;
  return (
    <footer className="status-bar" role="status" aria-label="Status">
      <span className={g?.listening ? 'ok' : 'bad'}>
        Gateway {g ? `${g.host}:${g.port}` : '…'} {g && !g.listening ? `not listening${g.error ? `: ${g.error}` : ''}` : ''}
      </span>
      {help.portNote ? (
        <button type="button" className="link" onClick={() => setOverlay('settings')} title={help.portNote}>
          why not port 80?
        </button>
      ) : null}
      <span>Upstream {status?.upstream ?? '…'}</span>
      <span>Profile {settings?.gateway.profile ?? '…'}</span>
      <span>{status ? (status.capturing ? 'Capturing' : 'Paused') : ''}</span>
      <span>
        {status ? `${status.counts.sessions} sessions · ${status.counts.commands} commands (${status.counts.inMemory} in memory${status.counts.evicted ? `, ${status.counts.evicted} on disk only` : ''})` : ''}
        {status?.captureFile ? ` · ${status.captureFile}` : ''}
      </span>
      <span className={`conn ${connection}`}>{connection === 'open' ? '' : connection === 'connecting' ? 'Connecting…' : 'Disconnected, retrying…'}</span>
      {lastError ? (
        <span role="alert" className="error-text">
          {lastError}{' '}
          <button type="button" aria-label="Dismiss error" onClick={() => setError(null)}>✕</button>
        </span>
      ) : null}
    </footer>
  );
}
