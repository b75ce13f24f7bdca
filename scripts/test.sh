#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what the tests need (Debian
# packages when missing, a virtualenv with gobex and its test extra), then runs pytest.
# Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"

# Debian packages the tests drive, each with the command that shows it is there:
# gofmt (fixed files and examples/ must stay valid, formatted Go).
missing=()
command -v gofmt >/dev/null 2>&1 || missing+=(golang-go)
# Debian's python3 lacks venv/ensurepip until python3-venv is installed.
if [ ! -x .venv/bin/python ] && ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
# tests/editors drives real editors headless: Neovim 0.7 (Debian; 0.11 comes from
# PyPI with the test extra), Emacs 28 with Eglot and go-mode.
[ -x /usr/bin/nvim ] || missing+=(neovim)  # not .venv/bin/nvim (PyPI 0.11)
command -v emacs >/dev/null 2>&1 || missing+=(emacs-nox)
for pkg in elpa-eglot elpa-go-mode; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# >>> VS Code extension tests (tests/test_vscode.py): Chromium drives the workbench;
# ripgrep and libkrb5-dev let code-server install from npm alone.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
# <<< VS Code
if ((${#missing[@]})); then
  echo "scripts/test.sh: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # Another apt may hold the lock for a while: wait for it rather than fail.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# >>> VS Code extension tests: npm ci (client-vscode, tests/vscode) and code-server
# 4.100.3, each only when missing or changed. A failed install is reported by the
# tests themselves (GOBEX_VSCODE_E2E=required turns a missing tool into a failure).
bash tests/vscode/install.sh || echo "scripts/test.sh: tests/vscode/install.sh failed" >&2
export GOBEX_VSCODE_E2E=required
export GOBEX_EDITORS=required  # Neovim and Emacs are installed above: missing = failure
# <<< VS Code

exec .venv/bin/python -m pytest "$@"
