// Open, save, import and export captures by path (the core does the file work; the renderer has
// no file system). Exports are redacted unless asked otherwise.
import { useState } from 'react';
import type { ExportFormat } from '../../../../shared/api/contract.ts';
import { useOperation } from '../../store/use-operation.ts';
import { Dialog } from './Dialog.tsx';

type Action = 'open' | 'save' | 'export' | 'import';

export function FileDialog() {
  const run = useOperation();
  const [path, setPath] = useState('');
  const [action, setAction] = useState<Action>('save');
  const [format, setFormat] = useState<ExportFormat>('har');
  const [unredacted, setUnredacted] = useState(false);
  const [result, setResult] = useState<string | null>(null);

  const go = async () => {
    const p = path.trim();
    const answer =
      action === 'open' ? await run('capture.open', { path: p })
      : action === 'import' ? await run('capture.import', { path: p })
      : action === 'save' ? await run('capture.save', { path: p })
      : await run('capture.export', { path: p, format, unredacted });
    if (!answer) return;
    if (!answer.ok) setResult(`Failed: ${answer.error}`);
    else setResult('bytes' in answer ? `Wrote ${answer.bytes} bytes.` : `Loaded ${answer.commands} commands.`);
  };

  return (
    <Dialog title="Capture files">
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void go(); }}>
        <label>
          Action{' '}
          <select value={action} onChange={(e) => setAction(e.target.value as Action)}>
            <option value="save">Save capture (NDJSON)</option>
            <option value="open">Open a saved capture</option>
            <option value="export">Export</option>
            <option value="import">Import (HAR, transcript)</option>
          </select>
        </label>
        {action === 'export' ? (
          <>
            <label>
              Format{' '}
              <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
                <option value="har">HAR</option>
                <option value="pcapng">pcapng (Wireshark)</option>
                <option value="transcript">text transcript</option>
                <option value="ndjson">NDJSON</option>
              </select>
            </label>
            <label className="inline"><input type="checkbox" checked={unredacted} onChange={(e) => setUnredacted(e.target.checked)} /> Include passwords, tickets and cookies (unredacted)</label>
          </>
        ) : null}
        <label>Path <input aria-label="Path" className="mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/capture.ndjson" /></label>
        <button type="submit" disabled={path.trim() === ''}>Go</button>
        {result ? <p aria-live="polite">{result}</p> : null}
      </form>
    </Dialog>
  );
}
