#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: typecheck, build, unit and integration tests
# (vitest), end-to-end tests in Debian's Chromium (Playwright). Ends with `N passed, N failed`.
# With TEST_SOAK=1 (CI), also the 10-minute soak.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
mkdir -p reports
rm -f reports/suite-vitest.json reports/playwright.json reports/playwright-electron.json
step_failures=0

step() {
  local name=$1; shift
  echo "== $name"
  if ! "$@"; then
    echo "!! $name failed"
    step_failures=$((step_failures + 1))
  fi
}

if ! command -v /usr/bin/chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "!! Debian's Chromium is missing: apt-get install chromium (or set CHROMIUM_PATH); .ci/run installs it"
fi

step typecheck npm run --silent typecheck
step build npm run --silent build
step "unit and integration tests" env VITEST_JSON_REPORT=reports/suite-vitest.json vitest run
step "end-to-end tests" playwright test
step "desktop smoke test (skips itself without an Electron binary)" playwright test -c tests/e2e/electron.config.ts
step "package check (stub Electron, asar contents, fuses)" node scripts/pack-check.mjs
# TEST_SOAK=1 (CI sets it): the 10-minute soak too, counted as one test (bench/soak.bench.ts).
if [ -n "${TEST_SOAK:-}" ]; then
  rm -f reports/bench-soak.json
  step "soak: sessions opening and closing for 10 minutes, heap after GC flat" npm run --silent soak
fi

node scripts/tally.mjs "$step_failures"
