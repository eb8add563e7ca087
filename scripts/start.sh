#!/usr/bin/env bash
# Sets up (when needed) and starts the portal on its embedded default: SQLite in memory, guest
# sign-in, demo data pushed through the real ingestion API. Frontend http://localhost:3000,
# backend http://localhost:7007.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/toolchain.sh
source scripts/lib/services.sh
ensure_dependencies
ensure_mkdocs || true

# Demo data goes in the way CI sends it, once the backend answers.
node scripts/seed-demo-data.mjs --wait &
seed_pid=$!
trap 'kill $seed_pid 2>/dev/null || true' EXIT

yarn start
