#!/usr/bin/env bash
# Sourced by scripts/test.sh. Starts or installs what the test suite needs on this machine:
# PostgreSQL (database tests run on SQLite and PostgreSQL), Debian Chromium (browser e2e),
# gofmt (checks the Go files the golden paths generate), terraform with a local provider mirror
# (template conformance suite) and mkdocs (TechDocs of the portal).

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
  # The generated CI's shell (portal-push) runs in the contract test: curl and jq, as on a runner.
  command -v curl >/dev/null || missing+=(curl)
  command -v jq >/dev/null || missing+=(jq)
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

# Terraform for the template conformance suite (generated modules must pass real fmt, validate
# and mock-provider tests). There is no registry access here, so the hashicorp/aws provider comes
# from a filesystem mirror: ML_INFRA_TF_PROVIDER_MIRROR, or a folder found under the usual roots.
# Writes a CLI config into .toolchain/terraform/ and exports TF_CLI_CONFIG_FILE. On CI a missing
# terraform or mirror fails the run; the suite must never pass by not running.
find_tf_provider_mirror() {
  if [ -n "${ML_INFRA_TF_PROVIDER_MIRROR:-}" ]; then
    [ -d "$ML_INFRA_TF_PROVIDER_MIRROR/registry.terraform.io/hashicorp/aws" ] && echo "$ML_INFRA_TF_PROVIDER_MIRROR"
    return 0
  fi
  local root found
  for root in "$HOME/.terraform.d/plugins" "$HOME/.local/share/terraform/plugins" \
    /usr/local/share/terraform/plugins /usr/share/terraform/plugins /opt /usr/local /srv; do
    [ -d "$root" ] || continue
    found="$(find "$root" -maxdepth 5 -type d -path '*/registry.terraform.io/hashicorp/aws' -print -quit 2>/dev/null)"
    if [ -n "$found" ]; then
      dirname "$(dirname "$(dirname "$found")")"
      return 0
    fi
  done
}

# On CI the run stops here; locally the other suites still run and the conformance suite fails
# with the same explanation.
tf_missing() {
  echo "$1" >&2
  if [ "${CI:-}" = "true" ]; then return 1; fi
  services_log "continuing without terraform: the template conformance tests will fail"
}

ensure_terraform() {
  local how="Install Terraform >= 1.10 (HashiCorp release archive or your OS package manager) and a filesystem mirror of hashicorp/aws 5.x (terraform providers mirror <dir>), then set ML_INFRA_TF_PROVIDER_MIRROR=<dir>."
  if ! command -v terraform >/dev/null; then
    tf_missing "terraform is not on PATH: the template conformance suite needs it. $how"
    return
  fi
  local mirror
  mirror="$(find_tf_provider_mirror)"
  if [ -z "$mirror" ]; then
    tf_missing "No filesystem mirror of the hashicorp/aws provider found (ML_INFRA_TF_PROVIDER_MIRROR=${ML_INFRA_TF_PROVIDER_MIRROR:-unset}). $how"
    return
  fi
  local dir="$ML_INFRA_ROOT/.toolchain/terraform"
  # The plugin cache links into the mirror, so it lives outside the repository: TechDocs builds the
  # portal's docs from the repository root and refuses a tree with links that point outside it.
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/ml-infra-portal/terraform-plugin-cache"
  mkdir -p "$dir" "$cache"
  rm -rf "$dir/plugin-cache"
  cat > "$dir/terraformrc" <<RC
# Written by scripts/lib/services.sh (ensure_terraform). Providers come only from the mirror;
# the cache lets every init link the provider instead of copying it.
plugin_cache_dir = "$cache"
# Without a lock file entry an init reinstalls the provider into the cache: it deletes and
# recreates the cached link, and a validate or test running meanwhile in another folder finds
# no provider. Taking the cached provider as it is keeps the cache read-only after the first init.
plugin_cache_may_break_dependency_lock_file = true
disable_checkpoint = true

provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
  export TF_CLI_CONFIG_FILE="$dir/terraformrc"
  services_log "terraform $(terraform version -json | node -p 'JSON.parse(require("fs").readFileSync(0)).terraform_version'), aws provider mirror $mirror"
}
