// The keyboard help (?): every shortcut from the one table the handler uses.
import { LOCAL_KEYS, SHORTCUTS } from '../../shortcuts.ts';
import { Dialog } from './Dialog.tsx';

export function HelpOverlay() {
  return (
    <Dialog title="Keyboard shortcuts">
      <table className="kv">
        <tbody>
          {[...SHORTCUTS.map((s) => ({ keys: s.keys, help: s.help })), ...LOCAL_KEYS].map((s) => (
            <tr key={s.keys}>
              <th scope="row"><kbd>{s.keys}</kbd></th>
              <td>{s.help}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
