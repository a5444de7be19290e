// Settings: gateway address, port and profile, upstream, retention, breakpoint timeout, theme;
// plus the hosts-file lines and proxy setting to give Messenger.
import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/api/contract.ts';
import { useInspector } from '../../store/context.tsx';
import { useOperation } from '../../store/use-operation.ts';
import { connectHelp } from './connect-help.ts';
import { Dialog } from './Dialog.tsx';

export function SettingsDialog() {
  const current = useInspector((s) => s.settings);
  const status = useInspector((s) => s.status);
  const setSettings = useInspector((s) => s.setSettings);
  const run = useOperation();
  const [draft, setDraft] = useState<Settings | null>(current);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setDraft(current), [current]);
  const help = connectHelp(status, current);
  if (!draft) return <Dialog title="Settings"><p className="muted">Loading settings…</p></Dialog>;

  const save = async () => {
    const answer = await run('settings.set', draft);
    if (!answer) return;
    if ('error' in answer) setMessage(answer.error);
    else {
      setSettings(answer.settings);
      setMessage(answer.restartNeeded ? 'Saved. The gateway restarts to apply the new address.' : 'Saved.');
    }
  };
  const up = draft.upstream;
  return (
    <Dialog title="Settings">
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <fieldset>
          <legend>Gateway</legend>
          <label>Address <input value={draft.gateway.host} onChange={(e) => setDraft({ ...draft, gateway: { ...draft.gateway, host: e.target.value } })} /></label>
          <label>Port <input type="number" min={0} max={65535} value={draft.gateway.port} onChange={(e) => setDraft({ ...draft, gateway: { ...draft.gateway, port: Number(e.target.value) } })} /></label>
          <label>
            Profile{' '}
            <select value={draft.gateway.profile} onChange={(e) => setDraft({ ...draft, gateway: { ...draft.gateway, profile: e.target.value as 'faithful' | 'lenient' } })}>
              <option value="faithful">faithful (as the real service behaved)</option>
              <option value="lenient">lenient (forgiving for third-party clients)</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Upstream</legend>
          <label className="inline"><input type="radio" checked={up.kind === 'emulator'} onChange={() => setDraft({ ...draft, upstream: { kind: 'emulator' } })} /> Built-in emulator</label>
          <label className="inline"><input type="radio" checked={up.kind === 'tcp'} onChange={() => setDraft({ ...draft, upstream: { kind: 'tcp', host: 'messenger.hotmail.com', port: 1863 } })} /> MSNP server</label>
          {up.kind === 'tcp' ? (
            <>
              <label>Host <input value={up.host} onChange={(e) => setDraft({ ...draft, upstream: { ...up, host: e.target.value } })} /></label>
              <label>Port <input type="number" value={up.port} onChange={(e) => setDraft({ ...draft, upstream: { ...up, port: Number(e.target.value) } })} /></label>
            </>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Capture</legend>
          <label>Commands kept in memory <input type="number" min={1000} value={draft.retention.memoryCommands} onChange={(e) => setDraft({ ...draft, retention: { ...draft.retention, memoryCommands: Number(e.target.value) } })} /></label>
          <label>Disk limit (MB) <input type="number" min={1} value={draft.retention.diskMegabytes} onChange={(e) => setDraft({ ...draft, retention: { ...draft.retention, diskMegabytes: Number(e.target.value) } })} /></label>
          <label>Breakpoint auto-forward (ms) <input type="number" min={1000} value={draft.breakpointTimeoutMs} onChange={(e) => setDraft({ ...draft, breakpointTimeoutMs: Number(e.target.value) })} /></label>
          <label>
            Theme{' '}
            <select value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value as Settings['theme'] })}>
              <option value="system">follow the system</option>
              <option value="light">light</option>
              <option value="dark">dark</option>
            </select>
          </label>
        </fieldset>
        <button type="submit">Save settings</button>
        {message ? <p aria-live="polite">{message}</p> : null}
      </form>
      <h3>Connecting Messenger</h3>
      <p>Hosts file lines:</p>
      <pre className="code">{help.hostsLines.join('\n')}</pre>
      <p>Or HTTP proxy: <code>{help.proxy}</code></p>
      {help.portNote ? <p className="note">{help.portNote}</p> : null}
    </Dialog>
  );
}
