#!/usr/bin/env bash
# npm test: every test the project has, against real things. Type check, unit tests, integration
# tests (real SQLite and PostgreSQL, the Microsoft 365 stand-in with real Dovecot and Postfix),
# then a production build and the browser tests in Debian's chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p .test-reports
rm -f .test-reports/*.json

bash e2e/support/ensure-system-packages.sh || exit 1

status=0
step() {
  echo
  echo "=== $1"
  shift
  "$@" || status=1
}

step "Type check" npx tsc --noEmit -p tsconfig.json
step "Unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=.test-reports/vitest-unit.json
step "Integration tests" npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=.test-reports/vitest-integration.json
step "Production build" npm run build --silent
step "Browser tests" npx playwright test

node e2e/support/summarize-results.mjs || status=1
exit $status
