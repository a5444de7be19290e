// Orders sessions for the Sessions view: NS sessions by first activity, each followed by the SB
// sessions it opened; SBs whose parent is unknown stand on their own.
import type { SessionRecord } from '../../../../shared/api/contract.ts';

export interface SessionRow {
  session: SessionRecord;
  level: 1 | 2;
}

export function sessionTree(sessions: Iterable<SessionRecord>): SessionRow[] {
  const all = [...sessions].sort((a, b) => a.firstActivity - b.firstActivity || a.id.localeCompare(b.id));
  const ids = new Set(all.map((s) => s.id));
  const children = new Map<string, SessionRecord[]>();
  for (const s of all) {
    if (s.parentSessionId !== null && ids.has(s.parentSessionId) && s.parentSessionId !== s.id) {
      const list = children.get(s.parentSessionId) ?? [];
      list.push(s);
      children.set(s.parentSessionId, list);
    }
  }
  const rows: SessionRow[] = [];
  for (const s of all) {
    const nested = s.parentSessionId !== null && ids.has(s.parentSessionId) && s.parentSessionId !== s.id;
    if (nested) continue;
    rows.push({ session: s, level: 1 });
    for (const child of children.get(s.id) ?? []) rows.push({ session: child, level: 2 });
  }
  return rows;
}
