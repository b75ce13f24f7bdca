#!/usr/bin/env bash
# Installs what tests/test_vscode.py needs, idempotently (a second run installs nothing):
#   - client-vscode/node_modules and tests/vscode/node_modules from their package-lock.json
#     (`npm ci`, only when the lock file changed since the last install);
#   - code-server 4.100.3 from npm into ${GOBEX_TEST_TOOLS:-~/.cache/gobex-tests}.
# Chromium, ripgrep and libkrb5-dev come from Debian (scripts/test.sh installs them).
# Called by scripts/test.sh; safe to run concurrently (one install at a time).
set -euo pipefail
cd "$(dirname "$0")/../.."

CODE_SERVER_VERSION=4.100.3
TOOLS="${GOBEX_TEST_TOOLS:-$HOME/.cache/gobex-tests}"
CODE_SERVER_DIR="$TOOLS/code-server-$CODE_SERVER_VERSION"
mkdir -p "$TOOLS"

if ! command -v npm >/dev/null 2>&1; then
  echo "tests/vscode/install.sh: npm (Node 20) is missing" >&2
  exit 1
fi

exec 9>"$TOOLS/.install.lock"
flock 9

for dir in client-vscode tests/vscode; do
  stamp="$dir/node_modules/.gobex-installed-lock.json"
  if ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "tests/vscode/install.sh: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done

if [ ! -f "$CODE_SERVER_DIR/.installed" ]; then
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$node_major" != 20 ]; then
    echo "tests/vscode/install.sh: code-server $CODE_SERVER_VERSION needs Node 20, found $(node --version)" >&2
    exit 1
  fi
  rg="$(command -v rg || true)"
  if [ -z "$rg" ]; then
    echo "tests/vscode/install.sh: ripgrep (rg) is missing" >&2
    exit 1
  fi
  echo "tests/vscode/install.sh: installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR" >&2
  # @vscode/ripgrep downloads rg from GitHub unless its cache holds the archive:
  # put Debian's rg there under the name it looks for.
  cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  archive="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -s "$archive" ]; then
    mkdir -p "$cache"
    staging="$(mktemp -d)"
    cp "$rg" "$staging/rg"
    tar -C "$staging" -czf "$archive.tmp" rg
    mv "$archive.tmp" "$archive"
    rm -rf "$staging"
  fi
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  # node-pty's install runs `npx node-gyp` (yes: no prompt); as root npm drops
  # privileges for install scripts unless told not to.
  npm_config_yes=true npm_config_unsafe_perm=true \
    npm install --prefix "$CODE_SERVER_DIR" --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION"
  touch "$CODE_SERVER_DIR/.installed"
fi
