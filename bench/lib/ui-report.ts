// The UI bench's markdown table: each figure beside its same-run baseline and whether the goal holds.
import { formatNumber, markdownTable } from './table.ts';

export interface Figure {
  measure: string;
  goal: string;
  value: number;
  unit: string;
  /** Undefined when the figure has no goal. */
  ok?: boolean;
  baseline: number;
  baselineIs: string;
}

export function printReport(chromium: string, commands: number, figures: readonly Figure[], out: string): void {
  const rows = figures.map((f) => [
    f.measure,
    f.goal,
    `${formatNumber(f.value)} ${f.unit}`.trim(),
    f.baselineIs ? `${formatNumber(f.baseline)} ${f.unit}`.trim() : '',
    f.baselineIs,
    f.ok === undefined ? '' : f.ok ? 'yes' : 'NO',
  ]);
  process.stdout.write(`\n## UI bench: Chromium ${chromium}, ${commands} commands\n\n`);
  process.stdout.write(`${markdownTable(['measure', 'goal', 'result', 'baseline', 'baseline is', 'goal met'], rows)}\n\n`);
  process.stdout.write(`JSON: ${out}\n`);
}
