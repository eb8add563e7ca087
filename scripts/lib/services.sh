#!/usr/bin/env bash
# Sourced by scripts/test.sh. Starts or installs what the test suite needs on this machine:
# PostgreSQL (database tests run on SQLite and PostgreSQL), Debian Chromium (browser e2e),
# gofmt (checks the Go files the golden paths generate) and mkdocs (TechDocs of the portal).

services_log() { printf '\033[1;34m[services]\033[0m %s\n' "$*" >&2; }

apt_install() {
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
    echo "Missing Debian packages: $*. Install them (apt-get install $*) and run again." >&2
    return 1
  fi
  services_log "apt-get install $*"
  if [ ! -f /var/lib/apt/lists/lock ] || [ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v lock | head -1)" ]; then
    apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 || {
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
  }
}

ensure_debian_tools() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v gofmt >/dev/null || [ -x /usr/lib/go/bin/gofmt ] || missing+=(golang-go)
  command -v mkdocs >/dev/null || missing+=(mkdocs mkdocs-material)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

# TechDocs renders with plain mkdocs + mkdocs-material (Debian's packages; techdocs-core is not
# needed, see techdocs.generator.mkdocs in app-config.yaml). Installed when we can (root and apt);
# otherwise the exact command is printed and the portal starts without rendered docs.
mkdocs_material_works() {
  command -v mkdocs >/dev/null || return 1
  local site
  site="$(mktemp -d)"
  mkdir -p "$site/docs" && echo '# ok' >"$site/docs/index.md"
  printf 'site_name: check\ntheme:\n  name: material\n' >"$site/mkdocs.yml"
  (cd "$site" && mkdocs build -q -d "$site/out" >/dev/null 2>&1)
  local ok=$?
  rm -rf "$site"
  return $ok
}

ensure_mkdocs() {
  if mkdocs_material_works; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt_install mkdocs mkdocs-material && return 0
  fi
  echo "TechDocs pages need mkdocs and mkdocs-material. Install them with 'sudo apt-get install mkdocs mkdocs-material' (Debian/Ubuntu) or 'python3 -m pip install mkdocs mkdocs-material', then restart; the portal runs meanwhile, but docs pages will show a build error." >&2
  return 1
}

ensure_postgres() {
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
  # TestDatabases falls back to Docker for engines without a connection string when CI is set;
  # there is no Docker here, and we name every engine we test.
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    return 0
  fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    services_log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  fi
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING" >&2
  return 1
}
