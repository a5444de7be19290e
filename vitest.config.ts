import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// `electron` cannot launch on these machines (its binary is downloaded on first use), so every
// test that reaches the shell gets a fake module instead.
const electronFake = fileURLToPath(new URL('./tests/fakes/electron.ts', import.meta.url));

export default defineConfig({
  test: {
    // The suite (scripts/test-all.sh) names its own report, so a stray run cannot overwrite it.
    reporters: ['default', ['json', { outputFile: process.env.VITEST_JSON_REPORT ?? 'reports/vitest.json' }]],
    projects: [
      {
        resolve: { alias: { electron: electronFake } },
        test: {
          name: 'node',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'tests/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['tests/e2e/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          globals: true,
          include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
        },
      },
    ],
  },
});
