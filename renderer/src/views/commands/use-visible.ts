// The grid's rows for the current filter and scope, recomputed incrementally as batches land.
import { useMemo, useRef } from 'react';
import { useInspector } from '../../store/context.tsx';
import { VisibleCommands } from '../../store/visible.ts';
import type { VisibleRows } from '../../store/visible.ts';

export function useVisibleCommands(): VisibleRows {
  const cache = useRef<VisibleCommands | null>(null);
  cache.current ??= new VisibleCommands();
  const commands = useInspector((s) => s.commands);
  const epoch = useInspector((s) => s.commandsEpoch);
  const sessionsById = useInspector((s) => s.sessionsById);
  const filterText = useInspector((s) => s.filterText);
  const scopeSessionId = useInspector((s) => s.scopeSessionId);
  return useMemo(
    () => cache.current!.compute({ commands, epoch, sessionsById, filterText, scopeSessionId }),
    [commands, epoch, sessionsById, filterText, scopeSessionId],
  );
}
