"""Emacs 28 + Eglot in batch mode, configured by the Eglot snippet of
docs/editors/emacs.md read from the guide: exact diagnostics in Flymake, then
Eglot's quick-fix command (eager edits: Eglot keeps no `data`) applied to the buffer."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.editors.conftest import (
    DEFECTS_GO,
    FIRST_CALL,
    FIXED_GO,
    HERE,
    MESSAGE,
    SECOND_CALL,
    emacs,
    gobex_on_path,
    line_and_columns,
    require,
)
from tests.editors.guides import snippet

pytestmark = pytest.mark.editor


@pytest.fixture(autouse=True)
def _emacs_installed() -> None:
    require(emacs(), "emacs-nox 28 with elpa-eglot and elpa-go-mode")


def expected(needle: str, line_offset: int = 0) -> dict[str, object]:
    """A diagnostic as Flymake holds it: 1-based lines, character columns."""
    line, before, through = line_and_columns(needle)
    return {
        "line": line + 1 + line_offset,
        "column": len(before),
        "end_line": line + 1 + line_offset,
        "end_column": len(through),
        "code": "PG001",
        "message": MESSAGE,
        "type": "eglot-error",
    }


def test_eglot_shows_exact_diagnostics_and_applies_the_quick_fix(
    project: Path, tmp_path: Path
) -> None:
    assert DEFECTS_GO.count("QueryContext") == 2
    out = tmp_path / "result.json"
    config = tmp_path / "gobex-eglot.el"
    config.write_text(snippet("emacs.md", "emacs-eglot"), encoding="utf-8")
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "PATH": gobex_on_path(tmp_path / "bin"),
        "GOBEX_SNIPPET": str(config),
        "GOBEX_FILE": str(project / "repo.go"),
        "GOBEX_OUT": str(out),
    }
    (tmp_path / "home").mkdir()
    completed = subprocess.run(
        [str(emacs()), "--batch", "--no-site-file", "-l", str(HERE / "eglot_test.el")],
        env=env,
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=240,
        check=False,
    )
    assert out.exists(), (
        f"emacs wrote no result (exit {completed.returncode}): {completed.stderr!r}"
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, (
        result["error"],
        completed.stderr.decode(errors="replace")[-3000:],
    )
    assert completed.returncode == 0
    assert result["mode"] == "go-mode"  # from auto-mode-alist; its hook started Eglot
    assert result["diagnostics"] == [expected(FIRST_CALL), expected(SECOND_CALL)]
    assert result["actions"] == [
        "gobex (PG001): Add `defer rows.Close()`",
        "gobex (PG001): Suppress PG001 on this line",
    ]
    assert result["eager"] is True  # no codeAction/resolve for a client without `data` support
    assert result["chosen"] == "gobex (PG001): Add `defer rows.Close()`"  # the preferred one
    assert result["text"] == FIXED_GO
    assert result["after_fix"] == [expected(SECOND_CALL, line_offset=1)]
    # The snippet's settings are valid: gobex sent no "invalid settings" warning
    # (nor anything else).
    assert result["messages"] == []
