"""The examples/ service: `gobex check` reports exactly the defects listed in
examples/EXPECTED.md (code, file, line) and nothing else, and the service is
valid, gofmt-clean Go.

EXPECTED.md is the one source of truth: its list items of the form
``- `path:line` CODE — why`` (path relative to examples/) are the expectations.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from gobex.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXPECTED_MD = EXAMPLES / "EXPECTED.md"
_ENTRY = re.compile(r"^- `(?P<path>[^`:]+):(?P<line>\d+)` (?P<code>[A-Z]{2,3}\d{3}) — \S")

# The first twelve rules (the foundation issue); the service plants each of them.
FIRST_RULES = frozenset(
    {
        "PG001",
        "PG002",
        "API001",
        "API002",
        "CON001",
        "CON002",
        "CON003",
        "ERR001",
        "ERR002",
        "ERR003",
        "CQL001",
        "KFK001",
    }
)

Key = tuple[str, str, int]  # (code, path relative to the repository, line)


def expected_findings(text: str) -> list[Key]:
    """The (code, path, line) entries of EXPECTED.md, paths made relative to the repo root."""
    entries = []
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match:
            path = f"examples/{match['path']}"
            entries.append((match["code"], path, int(match["line"])))
    return entries


def _describe(keys: Counter[Key]) -> str:
    return "\n".join(
        f"  {path}:{line} {code}" + (f" (x{n})" if n > 1 else "")
        for (code, path, line), n in sorted(keys.items(), key=lambda kv: (kv[0][1], kv[0][2]))
    )


def test_expected_md_parses_and_plants_every_first_rule() -> None:
    entries = expected_findings(EXPECTED_MD.read_text(encoding="utf-8"))
    # Every list item that starts with a `path:line` must be a well-formed entry.
    candidates = [
        line
        for line in EXPECTED_MD.read_text(encoding="utf-8").splitlines()
        if re.match(r"^- `[^`]*:\d+`", line)
    ]
    malformed = [line for line in candidates if not _ENTRY.match(line)]
    assert not malformed, f"entries not of the form - `path:line` CODE — why: {malformed}"
    assert len(entries) == len(candidates)
    unplanted = sorted(FIRST_RULES - {code for code, _, _ in entries})
    assert not unplanted, f"EXPECTED.md plants no defect for {unplanted}"
    for code, path, line in entries:
        file = ROOT / path
        assert file.is_file(), f"EXPECTED.md names a missing file: {path}"
        assert 1 <= line <= len(file.read_text(encoding="utf-8").splitlines()), (
            f"{path}:{line} ({code}) is past the end of the file"
        )


def test_expected_parser_reads_entries_and_ignores_prose() -> None:
    text = (
        "# title\n"
        "- `internal/a.go:12` PG001 — rows leak\n"
        "- `internal/b.go:3` ERR003 — dropped\n"
        "Some prose mentioning `internal/c.go:4` PG002 — not an entry.\n"
        "  - `internal/d.go:5` PG002 — indented: a sub-item, not an entry\n"
    )
    assert expected_findings(text) == [
        ("PG001", "examples/internal/a.go", 12),
        ("ERR003", "examples/internal/b.go", 3),
    ]


def test_gobex_check_reports_exactly_the_planted_defects() -> None:
    expected = Counter(expected_findings(EXPECTED_MD.read_text(encoding="utf-8")))
    result = subprocess.run(
        [sys.executable, "-m", "gobex", "check", "--format", "jsonl", "--no-progress", "examples/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), f"gobex check failed:\n{result.stderr}"
    findings = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    reported = Counter((f["code"], f["path"], f["line"]) for f in findings)
    missing = expected - reported
    extra = reported - expected
    messages = {(f["code"], f["path"], f["line"]): f["message"] for f in findings}
    report = []
    if missing:
        report.append("expected (EXPECTED.md) but not reported:\n" + _describe(missing))
    if extra:
        report.append(
            "reported but not expected:\n"
            + "\n".join(
                f"  {path}:{line} {code} {messages[(code, path, line)]}"
                for (code, path, line) in sorted(extra, key=lambda k: (k[1], k[2]))
            )
        )
    assert not report, "\n".join(report)
    assert result.returncode == 1, "findings were reported, so the exit code must be 1"


def _go_files() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.go"))


def test_examples_parse_without_syntax_errors() -> None:
    files = _go_files()
    assert len(files) >= 8
    broken = [
        str(path.relative_to(ROOT))
        for path in files
        if SourceFile.parse(str(path), path.read_bytes()).root.has_error
    ]
    assert not broken, f"tree-sitter finds syntax errors in {broken}"


def test_examples_are_gofmt_clean() -> None:
    gofmt = shutil.which("gofmt") or ("/usr/bin/gofmt" if Path("/usr/bin/gofmt").exists() else None)
    if gofmt is None:
        pytest.skip("gofmt is missing: install the Debian package golang-go (scripts/test.sh does)")
    result = subprocess.run(
        [gofmt, "-l", "-e", str(EXAMPLES)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", f"not gofmt-formatted:\n{result.stdout}"


def test_examples_module_targets_go_1_21() -> None:
    # CON002 (loop variable captured) only applies below Go 1.22; the planted
    # defect relies on the module's go line.
    go_mod = (EXAMPLES / "go.mod").read_text(encoding="utf-8")
    assert re.search(r"^go 1\.21(\.\d+)?$", go_mod, re.MULTILINE), go_mod
