// The grid's rows for the current filter and scope, recomputed incrementally as batches land.
import { useMemo, useRef } from 'react';
import { useInspector } from '../../store/context.tsx';
import { VisibleCommands } from '../../store/visible.ts';
import type { VisibleRows } from '../../store/visible.ts';

export function useVisibleCommands(): VisibleRows {
  const cache = useRef<VisibleCommands | null>(null);
  cache.current ??= new VisibleCommands();
  const commands = useInspector((s) => s.commands);
  // Appends keep the array: the version is what changes.
  const version = useInspector((s) => s.commandsVersion);
  const epoch = useInspector((s) => s.commandsEpoch);
  const sessionsById = useInspector((s) => s.sessionsById);
  const filterText = useInspector((s) => s.filterText);
  const scopeSessionId = useInspector((s) => s.scopeSessionId);
  const older = useInspector((s) => s.older.commands);
  return useMemo(
    () => cache.current!.compute({ commands, epoch, sessionsById, filterText, scopeSessionId, older }),
    [commands, version, epoch, sessionsById, filterText, scopeSessionId, older],
  );
}
