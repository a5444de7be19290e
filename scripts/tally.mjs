// Adds up the test reports into the one closing line CI reads: `N passed, N failed`.
// A step that failed without a report (typecheck, build, a crashed runner) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = Number(process.argv[2] ?? 0);
let skipped = 0;

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);

const vitest = read('reports/suite-vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
  // A file that failed to load has no tests in it but is a failure all the same.
  for (const file of vitest.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1;
  }
}
for (const file of ['reports/playwright.json', 'reports/playwright-electron.json']) {
  const playwright = read(file);
  if (!playwright) continue;
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
}
// The soak (TEST_SOAK=1) is one test: a failed run is already counted as a failed step.
if (process.env.TEST_SOAK && read('reports/bench-soak.json')?.ok === true) passed += 1;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exitCode = failed > 0 ? 1 : 0;
