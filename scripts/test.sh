#!/usr/bin/env bash
# Sets up (when needed) and runs every test: type-check, lint, unit/integration tests of every
# package (database tests on SQLite and PostgreSQL), and the browser end-to-end suite against the
# real portal in Debian Chromium. Prints a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/toolchain.sh
source scripts/lib/services.sh
ensure_dependencies
ensure_debian_tools
ensure_postgres
ensure_terraform

results_dir="$PWD/node_modules/.cache/ml-infra-test-results"
rm -rf "$results_dir" && mkdir -p "$results_dir"

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }

step "Type-check (tsc)"
yarn tsc

step "Lint and formatting"
yarn lint:all
yarn prettier:check

step "Unit and integration tests (jest, SQLite + PostgreSQL)"
CI=true yarn test --json --outputFile="$results_dir/jest.json"

step "End-to-end (Playwright + Debian Chromium against the started portal)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results_dir/e2e.json" CI=true yarn test:e2e

node scripts/lib/summarize-tests.mjs "$results_dir/jest.json" "$results_dir/e2e.json"
