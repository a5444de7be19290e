// Compiles the enabled highlight rules once; rows ask for their colour while rendering.
import { useMemo } from 'react';
import type { CommandRecord } from '../../../../shared/api/contract.ts';
import { parseFilter } from '../../../../shared/api/filter.ts';
import { useInspector } from '../../store/context.tsx';
import type { HighlightColor } from '../../store/types.ts';
import { compileForCommands } from '../../store/visible.ts';

export function useHighlighter(): (c: CommandRecord) => HighlightColor | null {
  const rules = useInspector((s) => s.highlightRules);
  const sessionsById = useInspector((s) => s.sessionsById);
  return useMemo(() => {
    const compiled = rules
      .filter((r) => r.enabled)
      .map((r) => ({ color: r.color, parsed: parseFilter(r.filter) }))
      .filter((r) => r.parsed.errors.length === 0 && r.parsed.terms.length > 0)
      .map((r) => ({ color: r.color, match: compileForCommands(r.parsed, sessionsById) }));
    if (compiled.length === 0) return () => null;
    return (c: CommandRecord) => compiled.find((r) => r.match(c))?.color ?? null;
  }, [rules, sessionsById]);
}
