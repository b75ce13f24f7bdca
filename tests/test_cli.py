"""`gobex check`, `gobex rules`, `gobex explain`, `gobex --version`, `python -m gobex`.

Most tests run the CLI in-process (`main(argv, registry=...)`) against a private
registry of test-only rules, so that they do not depend on the rule set being
written; a few run the real command as a subprocess, end to end.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pytest

from gobex import __version__
from gobex.cli.main import main
from gobex.finding import Finding, Severity, TextEdit
from gobex.registry import Registry
from gobex.rule import Group, Match, Rule, RuleContext
from gobex.rules.idiomatic.unused_nolint import RULE as UNUSED_NOLINT
from gobex.rules.postgres.unclosed_rows import RULE as UNCLOSED_ROWS

ROOT = Path(__file__).resolve().parent.parent

# -- test-only rules ------------------------------------------------------------------

DOC = """A call to a test marker.

## What it does
Reports calls to a marker function (a rule that exists only in the tests).

## Why is this bad
It is not; the tests need a rule whose findings they control.

## Example
```go
marker()
```

## Use instead
```go
fixed()
```
"""


@dataclass(frozen=True)
class Toy:
    callee: str
    message: str
    rename_to: str | None = None
    unsafe: bool = False
    crash: bool = False


TOYS = MappingProxyType(
    {
        "TST901": Toy("marker", "marker is called", rename_to="fixed"),
        "TST902": Toy("unsafeMarker", "unsafeMarker is called", "unsafeFixed", unsafe=True),
        "TST903": Toy("legacy", "legacy is called before Go 1.22"),
        "TST904": Toy("boom", "never reported", crash=True),
        "OBS901": Toy("preview", "preview is called"),
    }
)


def toy_check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    toy = TOYS[ctx.rule.code]
    if toy.crash:
        raise RuntimeError("the toy rule exploded")
    name = match["fn"]
    fixes = []
    if toy.rename_to is not None:
        edit = TextEdit(name.start_byte, name.end_byte, toy.rename_to)
        title = f"Rename `{toy.callee}` to `{toy.rename_to}`"
        fixes.append(ctx.fix(title, [edit], unsafe=toy.unsafe))
    yield ctx.finding(match["call"], toy.message, fixes=fixes)


def toy_rule(
    code: str,
    name: str,
    severity: Severity = Severity.WARNING,
    group: Group = Group.STABLE,
    max_go: int | None = None,
) -> Rule:
    callee = TOYS[code].callee
    rule = Rule(
        code=code,
        name=name,
        severity=severity,
        query=f'(call_expression function: (identifier) @fn (#eq? @fn "{callee}")) @call',
        doc=DOC,
        fixable=TOYS[code].rename_to is not None,
        group=group,
        max_go=max_go,
    )
    rule.check(toy_check)
    return rule


MARKER = toy_rule("TST901", "toy-marker")
UNSAFE_MARKER = toy_rule("TST902", "toy-unsafe-marker")
LEGACY = toy_rule("TST903", "toy-legacy", Severity.INFO, max_go=22)
CRASH = toy_rule("TST904", "toy-crash", Severity.ERROR)
PREVIEW = toy_rule("OBS901", "toy-preview", Severity.INFO, group=Group.PREVIEW)
REGISTRY = Registry([MARKER, UNSAFE_MARKER, LEGACY, CRASH, PREVIEW, UNCLOSED_ROWS, UNUSED_NOLINT])

REQUIRED_KEYS = {
    "path": str,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "code": str,
    "name": str,
    "severity": str,
    "message": str,
    "fixable": bool,
}


# -- helpers --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def records(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.out.splitlines()]

    def pairs(self) -> list[tuple[str, str, int]]:
        """(path, code, line) of each JSON Lines record."""
        return [(str(r["path"]), str(r["code"]), int(str(r["line"]))) for r in self.records()]


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def gobex(capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    def run(*argv: str, registry: Registry | None = REGISTRY) -> Run:
        code = main(list(argv), registry=registry)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run


def go(body: str, package: str = "toy") -> str:
    return f"package {package}\n\nfunc f() {{\n{body}}}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# -- paths ----------------------------------------------------------------------------


def test_directories_recurse_skipping_vendor_testdata_and_hidden(gobex, tmp_path) -> None:
    body = go("\tmarker()\n")
    for rel in (
        "a.go",
        "pkg/b.go",
        "pkg/deep/er/c.go",
        "vendor/mod/d.go",
        "pkg/vendor/e.go",
        "pkg/testdata/f.go",
        ".hidden/g.go",
        "pkg/.cache/h.go",
        "_scratch/i.go",
    ):
        write(tmp_path / rel, body)
    write(tmp_path / "pkg" / "notes.txt", "marker()\n")
    run = gobex("check", "--format", "jsonl", ".")
    assert run.code == 1
    assert sorted(path for path, _, _ in run.pairs()) == ["a.go", "pkg/b.go", "pkg/deep/er/c.go"]


def test_named_files_and_skipped_directories_are_linted_when_named(gobex, tmp_path) -> None:
    write(tmp_path / "vendor" / "mod" / "v.go", go("\tmarker()\n"))
    write(tmp_path / "pkg" / "testdata" / "t.go", go("\tmarker()\n"))
    write(tmp_path / "pkg" / "p.go", go("\tmarker()\n"))
    run = gobex("check", "--format", "jsonl", "vendor/mod/v.go", "pkg/testdata")
    assert sorted(path for path, _, _ in run.pairs()) == ["pkg/testdata/t.go", "vendor/mod/v.go"]


def test_a_file_named_twice_is_reported_once(gobex, tmp_path) -> None:
    write(tmp_path / "pkg" / "p.go", go("\tmarker()\n"))
    run = gobex("check", "--format", "jsonl", "pkg", "pkg/p.go")
    assert run.pairs() == [("pkg/p.go", "TST901", 4)]


def test_no_path_means_the_current_directory(gobex, tmp_path) -> None:
    write(tmp_path / "here.go", go("\tmarker()\n"))
    run = gobex("check", "--format", "jsonl")
    assert run.pairs() == [("here.go", "TST901", 4)]


def test_no_go_files_is_a_warning_not_a_failure(gobex, tmp_path) -> None:
    write(tmp_path / "docs" / "README.md", "marker()\n")
    write(tmp_path / "docs" / "testdata" / "x.go", go("\tmarker()\n"))
    run = gobex("check", "docs")
    assert run.code == 0
    assert "gobex: warning: no Go files found under the given paths" in run.err


def test_an_unreadable_directory_is_reported_and_fails_the_run(
    gobex, tmp_path, monkeypatch
) -> None:
    write(tmp_path / "ok" / "a.go", go("\tmarker()\n"))
    write(tmp_path / "locked" / "b.go", go("\tmarker()\n"))
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        # Tests run as root, where permission bits do not stop reading.
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run = gobex("check", "--format", "jsonl", ".")
    assert run.code == 2
    assert "gobex: error: cannot read ./locked: Permission denied" in run.err
    assert run.pairs() == [("ok/a.go", "TST901", 4)]


def test_stdin_with_stdin_filename(gobex, tmp_path, monkeypatch) -> None:
    stdin(monkeypatch, go("\tmarker()\n").encode())
    run = gobex("check", "--format", "jsonl", "--stdin-filename", "svc/handler.go", "-")
    assert run.code == 1
    assert run.pairs() == [("svc/handler.go", "TST901", 4)]


def test_stdin_without_a_file_name(gobex, monkeypatch) -> None:
    stdin(monkeypatch, go("\tmarker()\n").encode())
    run = gobex("check", "-")
    assert run.code == 1
    assert run.out.startswith("<stdin>:4:2: TST901")


def test_stdin_filename_finds_the_config_of_an_unsaved_file(gobex, tmp_path, monkeypatch) -> None:
    write(tmp_path / "proj" / ".gobex.toml", 'ignore = ["TST901"]\n')
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    stdin(monkeypatch, go("\tmarker()\n").encode())
    # proj/new/ does not exist yet: the buffer is unsaved.
    run = gobex("check", "--stdin-filename", str(tmp_path / "proj" / "new" / "x.go"), "-")
    assert run.code == 0, run.out + run.err


def test_stdin_fix_writes_the_fixed_source_to_stdout(gobex, monkeypatch) -> None:
    stdin(monkeypatch, go("\tmarker()\n\tunsafeMarker()\n").encode())
    run = gobex("check", "--fix", "--stdin-filename", "x.go", "-")
    assert run.out == go("\tfixed()\n\tunsafeMarker()\n")
    assert "x.go:5:2: TST902" in run.err  # what remains goes to stderr
    assert run.code == 1


def test_stdin_cannot_be_combined_with_paths(gobex, tmp_path) -> None:
    write(tmp_path / "a.go", go("\tmarker()\n"))
    run = gobex("check", "-", "a.go")
    assert run.code == 2
    assert "cannot be combined" in run.err


# -- selection ------------------------------------------------------------------------

SELECTION_SOURCE = go("\tmarker()\n\tunsafeMarker()\n\tpreview()\n")


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((), {"TST901", "TST902"}),  # stable rules; OBS901 is preview
        (("--select", "TST901"), {"TST901"}),
        (("--select", "toy-unsafe-marker"), {"TST902"}),
        (("--select", "tst901"), {"TST901"}),
        (("--select", "TST"), {"TST901", "TST902"}),
        (("--select", "TST90"), {"TST901", "TST902"}),
        (("--select", "ALL"), {"TST901", "TST902"}),
        (("--select", "TST901,toy-unsafe-marker"), {"TST901", "TST902"}),
        (("--select", "TST901", "--select", "TST902"), {"TST901", "TST902"}),
        (("--ignore", "TST901"), {"TST902"}),
        (("--ignore", "toy-marker"), {"TST902"}),
        (("--ignore", "TST"), set()),
        (("--select", "TST", "--ignore", "TST902"), {"TST901"}),
        (("--select", "TST901", "--ignore", "TST"), {"TST901"}),  # exact beats prefix
        (("--select", "OBS901"), {"OBS901"}),  # naming a preview rule enables it
        (("--select", "OBS"), set()),  # a prefix does not, without --preview
        (("--select", "OBS", "--preview"), {"OBS901"}),
        (("--extend-select", "OBS901"), {"TST901", "TST902", "OBS901"}),
        (("--extend-select", "toy-preview"), {"TST901", "TST902", "OBS901"}),
        (("--preview",), {"TST901", "TST902", "OBS901"}),
        (("--select", "TST901", "--extend-select", "TST902"), {"TST901", "TST902"}),
    ],
)
def test_select_ignore_extend_select(gobex, tmp_path, flags, expected) -> None:
    write(tmp_path / "s.go", SELECTION_SOURCE)
    run = gobex("check", "--format", "jsonl", *flags, "s.go")
    assert {code for _, code, _ in run.pairs()} == expected
    assert run.code == (1 if expected else 0)


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_an_unknown_selector_on_the_command_line_is_a_usage_error(gobex, tmp_path, flag) -> None:
    write(tmp_path / "s.go", SELECTION_SOURCE)
    run = gobex("check", flag, "TST901,TST99", "s.go")
    assert run.code == 2
    assert f"{flag}: unknown rule or prefix 'TST99'" in run.err
    assert run.out == ""


# -- fixes ----------------------------------------------------------------------------

FIX_SOURCE = go("\tmarker()\n\tunsafeMarker()\n\tmarker()\n")


def test_fix_writes_safe_fixes_and_reports_what_remains(gobex, tmp_path) -> None:
    path = write(tmp_path / "f.go", FIX_SOURCE)
    run = gobex("check", "--fix", "f.go")
    assert path.read_text() == go("\tfixed()\n\tunsafeMarker()\n\tfixed()\n")
    assert run.code == 1
    assert "f.go:5:2: TST902 unsafeMarker is called" in run.out
    assert "TST901" not in run.out
    assert "Found 3 problems (2 fixed, 1 remaining)." in run.out
    assert "1 more fixable with `--fix --unsafe-fixes`." in run.out


def test_fix_with_unsafe_fixes_fixes_everything_and_exits_zero(gobex, tmp_path) -> None:
    path = write(tmp_path / "f.go", FIX_SOURCE)
    run = gobex("check", "--fix", "--unsafe-fixes", "f.go")
    assert path.read_text() == go("\tfixed()\n\tunsafeFixed()\n\tfixed()\n")
    assert run.code == 0
    assert "Found 3 problems (3 fixed, 0 remaining)." in run.out


def test_fix_with_nothing_fixable_leaves_the_file_alone(gobex, tmp_path) -> None:
    path = write(tmp_path / "f.go", go("\tlegacy()\n"))
    before = path.stat().st_mtime_ns
    run = gobex("check", "--fix", "--go-version", "1.21", "f.go")
    assert run.code == 1
    assert path.stat().st_mtime_ns == before
    assert "Found 1 problem." in run.out


def test_diff_prints_a_unified_diff_and_writes_nothing(gobex, tmp_path) -> None:
    path = write(tmp_path / "f.go", FIX_SOURCE)
    run = gobex("check", "--diff", "f.go")
    assert path.read_text() == FIX_SOURCE
    assert run.code == 1
    assert run.out.splitlines() == [
        "--- a/f.go",
        "+++ b/f.go",
        "@@ -1,7 +1,7 @@",
        " package toy",
        " ",
        " func f() {",
        "-\tmarker()",
        "+\tfixed()",
        " \tunsafeMarker()",
        "-\tmarker()",
        "+\tfixed()",
        " }",
    ]
    assert "Would fix 2 problems in 1 file." in run.err


def test_diff_with_unsafe_fixes_includes_them(gobex, tmp_path) -> None:
    write(tmp_path / "f.go", FIX_SOURCE)
    run = gobex("check", "--diff", "--unsafe-fixes", "f.go")
    assert "+\tunsafeFixed()" in run.out
    assert "Would fix 3 problems in 1 file." in run.err


def test_diff_exits_zero_when_there_is_nothing_to_fix(gobex, tmp_path) -> None:
    write(tmp_path / "f.go", go("\tunsafeMarker()\n"))
    run = gobex("check", "--diff", "f.go")
    assert run.code == 0
    assert run.out == ""
    assert "No fixes available." in run.err


def test_unsafe_fixes_without_fix_or_diff_warns(gobex, tmp_path) -> None:
    write(tmp_path / "f.go", go("\tunsafeMarker()\n"))
    run = gobex("check", "--unsafe-fixes", "f.go")
    assert "--unsafe-fixes has no effect without --fix or --diff" in run.err
    assert run.code == 1


# -- exit codes -----------------------------------------------------------------------


def test_exit_zero_when_clean(gobex, tmp_path) -> None:
    write(tmp_path / "ok.go", go("\tfine()\n"))
    run = gobex("check", "ok.go")
    assert run.code == 0
    assert run.out == "All checks passed!\n"
    assert run.err == ""


def test_exit_one_with_findings_and_zero_with_exit_zero(gobex, tmp_path) -> None:
    write(tmp_path / "f.go", go("\tmarker()\n"))
    assert gobex("check", "f.go").code == 1
    run = gobex("check", "--exit-zero", "f.go")
    assert run.code == 0
    assert "f.go:4:2: TST901" in run.out


def test_missing_path_exits_two(gobex, tmp_path) -> None:
    write(tmp_path / "f.go", go("\tmarker()\n"))
    run = gobex("check", "f.go", "nope.go")
    assert run.code == 2
    assert "nope.go: no such file or directory" in run.err
    assert run.out == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--bogus"],
        ["check", "--format", "xml"],
        ["check", "-j", "many"],
        ["rules", "--format", "yaml"],
        ["frobnicate"],
    ],
)
def test_bad_usage_exits_two(argv, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv, registry=REGISTRY)
    assert exit_info.value.code == 2
    assert "gobex: error:" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_two(gobex) -> None:
    run = gobex()
    assert run.code == 2
    assert "check" in run.err and "explain" in run.err


def test_bad_go_version_and_missing_config_exit_two(gobex, tmp_path) -> None:
    write(tmp_path / "f.go", go("\tmarker()\n"))
    run = gobex("check", "--go-version", "one.twenty", "f.go")
    assert run.code == 2
    assert "not a Go version" in run.err
    run = gobex("check", "--config", "missing.toml", "f.go")
    assert run.code == 2
    assert "config file not found: missing.toml" in run.err


def test_a_crashing_rule_is_reported_and_the_run_continues(gobex, tmp_path) -> None:
    write(tmp_path / "a" / "crash.go", go("\tmarker()\n\tboom()\n\tunsafeMarker()\n"))
    write(tmp_path / "b" / "fine.go", go("\tmarker()\n"))
    run = gobex("check", "--format", "jsonl", "--exit-zero", "a", "b")
    assert run.code == 2  # --exit-zero never hides an internal error
    assert run.pairs() == [
        ("a/crash.go", "TST901", 4),
        ("a/crash.go", "TST902", 6),
        ("b/fine.go", "TST901", 4),
    ]
    assert "rule TST904 crashed on a/crash.go:5: RuntimeError: the toy rule exploded" in run.err


def test_crash_reports_are_the_same_in_worker_processes(gobex, tmp_path) -> None:
    write(tmp_path / "a" / "crash.go", go("\tboom()\n"))
    write(tmp_path / "b" / "fine.go", go("\tmarker()\n"))
    write(tmp_path / "c" / "other.go", go("\tunsafeMarker()\n"))
    serial = gobex("check", "-j", "1", ".")
    parallel = gobex("check", "-j", "2", ".")
    assert serial.code == parallel.code == 2
    assert serial.out == parallel.out
    assert serial.err == parallel.err
    assert "rule TST904 crashed on a/crash.go:4" in parallel.err


def test_a_rule_module_that_fails_to_import_is_an_internal_error(gobex, tmp_path) -> None:
    from gobex.registry import LoadError

    broken = Registry([MARKER], [LoadError("gobex.rules.x.broken", "ImportError: boom", "")])
    write(tmp_path / "f.go", go("\tmarker()\n"))
    run = gobex("check", "--format", "jsonl", "f.go", registry=broken)
    assert run.code == 2
    assert run.pairs() == [("f.go", "TST901", 4)]
    assert "cannot load rule module gobex.rules.x.broken: ImportError: boom" in run.err


# -- workers --------------------------------------------------------------------------


def _tree(root: Path) -> None:
    for index in range(6):
        body = "\tmarker()\n" * (index % 3) + "\tunsafeMarker()\n" + "\tlegacy()\n"
        write(root / f"pkg{index}" / "a.go", go(body, f"pkg{index}"))
        write(root / f"pkg{index}" / "b.go", go("\tpreview()\n\tmarker()\n", f"pkg{index}"))


@pytest.mark.parametrize("output", [("--format", "text"), ("--format", "jsonl"), ("--statistics",)])
def test_one_and_two_workers_give_the_same_results(gobex, tmp_path, output) -> None:
    _tree(tmp_path)
    serial = gobex("check", "--go-version", "1.21", "-j", "1", *output, ".")
    parallel = gobex("check", "--go-version", "1.21", "-j", "2", *output, ".")
    assert serial.code == parallel.code == 1
    assert serial.out == parallel.out
    assert serial.err == parallel.err
    assert serial.out.strip()


def test_one_and_two_workers_fix_the_same_way(gobex, tmp_path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    _tree(tmp_path / "one")
    _tree(tmp_path / "two")
    serial = gobex("check", "--fix", "-j", "1", "one")
    parallel = gobex("check", "--fix", "-j", "2", "two")
    assert serial.out.replace("one/", "") == parallel.out.replace("two/", "")
    for file in sorted((tmp_path / "one").rglob("*.go")):
        twin = tmp_path / "two" / file.relative_to(tmp_path / "one")
        assert file.read_text() == twin.read_text()
        assert "marker()" not in file.read_text().replace("unsafeMarker()", "")


# -- statistics, config, go version ---------------------------------------------------


def test_statistics_counts_per_rule_most_frequent_first(gobex, tmp_path) -> None:
    write(tmp_path / "a.go", go("\tmarker()\n\tmarker()\n\tunsafeMarker()\n"))
    write(tmp_path / "b.go", go("\tmarker()\n"))
    run = gobex("check", "--statistics", ".")
    assert run.code == 1
    assert run.out.splitlines() == [
        "3\tTST901\t[*] toy-marker",
        "1\tTST902\t[ ] toy-unsafe-marker",
    ]


def test_explicit_config_file(gobex, tmp_path) -> None:
    write(tmp_path / "settings" / "strict.toml", 'select = ["TST902"]\n')
    write(tmp_path / ".gobex.toml", 'select = ["TST901"]\n')
    write(tmp_path / "f.go", SELECTION_SOURCE)
    assert {c for _, c, _ in gobex("check", "--format", "jsonl", "f.go").pairs()} == {"TST901"}
    run = gobex("check", "--format", "jsonl", "--config", "settings/strict.toml", "f.go")
    assert {c for _, c, _ in run.pairs()} == {"TST902"}


def test_command_line_selection_overrides_the_config_file(gobex, tmp_path) -> None:
    write(tmp_path / ".gobex.toml", 'select = ["TST901"]\nignore = ["TST902"]\n')
    write(tmp_path / "f.go", SELECTION_SOURCE)
    run = gobex("check", "--format", "jsonl", "--select", "TST", "f.go")
    assert {c for _, c, _ in run.pairs()} == {"TST901"}  # config ignore still applies
    run = gobex("check", "--format", "jsonl", "--extend-select", "OBS901", "f.go")
    assert {c for _, c, _ in run.pairs()} == {"TST901", "OBS901"}


def test_go_version_flag(gobex, tmp_path) -> None:
    write(tmp_path / "f.go", go("\tlegacy()\n"))
    assert gobex("check", "--format", "jsonl", "f.go").pairs() == []  # unknown: newest Go
    assert gobex("check", "--format", "jsonl", "--go-version", "1.21", "f.go").pairs() == [
        ("f.go", "TST903", 4)
    ]
    assert gobex("check", "--go-version", "go1.22", "f.go").code == 0


def test_go_version_from_the_nearest_go_mod(gobex, tmp_path) -> None:
    write(
        tmp_path / "mod" / "go.mod", "module example.com/toy\n\ngo 1.21.5\n\ntoolchain go1.23.1\n"
    )
    write(tmp_path / "mod" / "pkg" / "f.go", go("\tlegacy()\n"))
    write(tmp_path / "newer" / "go.mod", "module example.com/newer\n\ngo 1.22\n")
    write(tmp_path / "newer" / "f.go", go("\tlegacy()\n"))
    run = gobex("check", "--format", "jsonl", "mod", "newer")
    assert run.pairs() == [("mod/pkg/f.go", "TST903", 4)]
    assert gobex("check", "--go-version", "1.22", "mod").code == 0  # the flag beats go.mod


# -- output ---------------------------------------------------------------------------


def test_text_output_layout(gobex, tmp_path) -> None:
    write(tmp_path / "t.go", go("\tmarker()\n\tunsafeMarker()\n"))
    run = gobex("check", "t.go")
    assert run.out == (
        "t.go:4:2: TST901 [*] marker is called\n"
        "  |\n"
        "4 |     marker()\n"
        "  |     ^^^^^^^^\n"
        "  = help: Rename `marker` to `fixed`\n"
        "\n"
        "t.go:5:2: TST902 unsafeMarker is called\n"
        "  |\n"
        "5 |     unsafeMarker()\n"
        "  |     ^^^^^^^^^^^^^^\n"
        "  = help: Rename `unsafeMarker` to `unsafeFixed` (unsafe)\n"
        "\n"
        "Found 2 problems.\n"
        "[*] 1 fixable with `gobex check --fix`.\n"
        "1 more fixable with `--fix --unsafe-fixes`.\n"
    )


def test_text_output_of_a_multi_line_finding_underlines_its_first_line(gobex, tmp_path) -> None:
    write(tmp_path / "m.go", go("\tx := 1\n\tmarker(\n\t\tx,\n\t)\n"))
    run = gobex("check", "m.go")
    lines = run.out.splitlines()
    assert lines[0] == "m.go:5:2: TST901 [*] marker is called"
    assert lines[2] == "5 |     marker("
    assert lines[3] == "  |     ^^^^^^^"


def test_text_output_expands_tabs_to_four_columns_and_keeps_carets_aligned(gobex, tmp_path) -> None:
    write(tmp_path / "t.go", go("\tx :=\tmarker()\n\t_ = x\n"))
    lines = gobex("check", "t.go").out.splitlines()
    assert lines[0] == "t.go:4:7: TST901 [*] marker is called"  # the tab is one character
    assert lines[2] == "4 |     x :=    marker()"
    assert lines[3] == "  |             ^^^^^^^^"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _colour_run(monkeypatch: pytest.MonkeyPatch, *argv: str) -> str:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    main(["check", *argv], registry=REGISTRY)
    return terminal.getvalue()


def test_colour_only_on_a_terminal(gobex, tmp_path, monkeypatch) -> None:
    write(tmp_path / "t.go", go("\tmarker()\n"))
    assert "\x1b[" not in gobex("check", "t.go").out  # captured: not a terminal
    coloured = _colour_run(monkeypatch, "t.go")
    assert "\x1b[1;33mTST901\x1b[0m" in coloured  # a warning, in yellow
    assert "\x1b[" not in _colour_run(monkeypatch, "--no-color", "t.go")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in _colour_run(monkeypatch, "t.go")


def test_force_color_colours_output_that_is_not_a_terminal(gobex, tmp_path, monkeypatch) -> None:
    write(tmp_path / "t.go", go("\tmarker()\n"))
    monkeypatch.setenv("FORCE_COLOR", "1")
    run = gobex("check", "t.go")
    assert "\x1b[1;33mTST901\x1b[0m" in run.out
    assert "\x1b[1mt.go:4:2:\x1b[0m" in run.out
    assert "\x1b[" not in gobex("check", "--no-color", "t.go").out  # the flag wins
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert "\x1b[" not in gobex("check", "t.go").out
    # JSON Lines is never coloured.
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" not in gobex("check", "--format", "jsonl", "t.go").out


# -- the JSON Lines contract ----------------------------------------------------------


def test_jsonl_records_have_exactly_the_contract_keys_and_types(gobex, tmp_path) -> None:
    write(tmp_path / "j.go", go("\tmarker()\n\tunsafeMarker()\n\tlegacy()\n"))
    run = gobex("check", "--format", "jsonl", "--go-version", "1.21", "j.go")
    assert run.code == 1
    lines = run.out.splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    for record in records:
        fixable = bool(record["fixable"])
        expected_keys = set(REQUIRED_KEYS) | ({"fix"} if fixable else set())
        assert set(record) == expected_keys
        for key, kind in REQUIRED_KEYS.items():
            assert type(record[key]) is kind, (key, record[key])
        assert record["severity"] in ("error", "warning", "info")
    marker, unsafe, legacy = records
    assert marker == {
        "path": "j.go",
        "line": 4,
        "column": 2,
        "end_line": 4,
        "end_column": 10,
        "code": "TST901",
        "name": "toy-marker",
        "severity": "warning",
        "message": "marker is called",
        "fixable": True,
        "fix": {"title": "Rename `marker` to `fixed`", "applicability": "safe"},
    }
    assert unsafe["fix"] == {
        "title": "Rename `unsafeMarker` to `unsafeFixed`",
        "applicability": "unsafe",
    }
    assert (legacy["code"], legacy["fixable"], legacy["severity"]) == ("TST903", False, "info")


def test_jsonl_positions_are_one_based_and_end_is_exclusive(gobex, tmp_path) -> None:
    # `marker(` starts line 1 at column 1 of its own file; the call spans three lines.
    write(tmp_path / "p.go", "package toy\n\nvar _ = func() int {\nmarker(\n\t1,\n)\nreturn 0 }\n")
    (record,) = gobex("check", "--format", "jsonl", "p.go").records()
    assert (record["line"], record["column"]) == (4, 1)
    assert (record["end_line"], record["end_column"]) == (6, 2)  # just after `)`


def test_jsonl_of_a_clean_run_is_empty(gobex, tmp_path) -> None:
    write(tmp_path / "ok.go", go("\tfine()\n"))
    run = gobex("check", "--format", "jsonl", "ok.go")
    assert (run.code, run.out) == (0, "")


# Before `marker()` on its line: a tab, `_ = "`, a rocket (4 UTF-8 bytes, 2 UTF-16
# units, 1 character, 2 terminal cells), two CJK characters (3 bytes, 1 unit, 1 character,
# 2 cells each), `e` + U+0301 COMBINING ACUTE ACCENT (2 characters, 1 cell), `"; `.
PREFIX = '\t_ = "\U0001f680\u6570\u636ee\u0301"; '
NON_ASCII = f"package toy\n\nfunc f() {{\n{PREFIX}marker() // \u6570\u636e\n}}\n"
# 14 characters precede the call: it starts at character column 15, where bytes would
# say 23 and UTF-16 16. The call is 8 characters long: it ends (exclusive) at 23.
COLUMN, END_COLUMN = 15, 23


def test_non_ascii_columns_are_characters_in_jsonl(gobex, tmp_path) -> None:
    assert len(PREFIX) + 1 == COLUMN  # the arithmetic above, checked
    assert len(PREFIX.encode()) + 1 != COLUMN and len(PREFIX.encode("utf-16-le")) // 2 + 1 != COLUMN
    write(tmp_path / "u.go", NON_ASCII)
    (record,) = gobex("check", "--format", "jsonl", "u.go").records()
    assert (record["line"], record["column"]) == (4, COLUMN)
    assert (record["end_line"], record["end_column"]) == (4, END_COLUMN)


def test_non_ascii_columns_are_characters_in_text(gobex, tmp_path) -> None:
    write(tmp_path / "u.go", NON_ASCII)
    lines = gobex("check", "u.go").out.splitlines()
    assert lines[0] == f"u.go:4:{COLUMN}: TST901 [*] marker is called"
    assert lines[2] == "4 | " + PREFIX.replace("\t", "    ") + "marker() // \u6570\u636e"
    # The carets sit under `marker()` on a terminal: the prefix takes 4 (tab) + 5
    # (`_ = "`) + 2 (rocket) + 4 (CJK) + 1 (e + accent) + 3 (`"; `) = 19 cells.
    assert lines[3] == "  | " + " " * 19 + "^" * 8


def test_stdin_non_ascii_columns(gobex, monkeypatch) -> None:
    stdin(monkeypatch, NON_ASCII.encode())
    (record,) = gobex("check", "--format", "jsonl", "-").records()
    assert (record["path"], record["column"], record["end_column"]) == ("<stdin>", 15, 23)


# -- rules, explain, version ----------------------------------------------------------


def test_rules_lists_stable_rules_and_all_with_preview(gobex) -> None:
    run = gobex("rules")
    assert run.code == 0
    codes = [line.split()[0] for line in run.out.splitlines()]
    assert codes == ["IDM001", "PG001", "TST901", "TST902", "TST903", "TST904"]
    marker = next(line for line in run.out.splitlines() if line.startswith("TST901"))
    assert marker.split()[:4] == ["TST901", "toy-marker", "warning", "fix"]
    assert marker.endswith("A call to a test marker.")
    everything = gobex("rules", "--all").out
    assert "OBS901" in everything and "(preview)" in everything


def test_rules_json(gobex) -> None:
    run = gobex("rules", "--format", "json")
    assert run.code == 0
    records = json.loads(run.out)
    assert [r["code"] for r in records] == [
        "IDM001",
        "OBS901",
        "PG001",
        "TST901",
        "TST902",
        "TST903",
        "TST904",
    ]
    preview = next(r for r in records if r["code"] == "OBS901")
    assert preview["name"] == "toy-preview"
    assert preview["area"] == "observability"
    assert preview["severity"] == "info"
    assert preview["group"] == "preview"
    assert preview["fixable"] is False
    assert preview["summary"] == "A call to a test marker."
    assert str(preview["url"]).endswith("OBS901.md")


@pytest.mark.parametrize("key", ["PG001", "pg001", "unclosed-rows"])
def test_explain_prints_the_rule_page(gobex, key) -> None:
    run = gobex("explain", key, registry=None)
    assert run.code == 0
    assert run.out.startswith("# PG001 unclosed-rows\n\nRows from a query are never closed.\n")
    positions = [run.out.index(f"## {s}") for s in ("What it does", "Why is this bad")]
    positions += [run.out.index(f"## {s}") for s in ("Example", "Use instead")]
    assert positions == sorted(positions)
    assert "```go" in run.out


def test_explain_an_unknown_rule_exits_two(gobex) -> None:
    run = gobex("explain", "XYZ999")
    assert run.code == 2
    assert "no rule named 'XYZ999'" in run.err
    assert run.out == ""


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"gobex {__version__}\n"


# -- end to end (subprocesses) --------------------------------------------------------

TOY_MAIN = (
    "import sys; from gobex.cli.main import main; from tests.test_cli import REGISTRY; "
    "sys.exit(main(sys.argv[1:], registry=REGISTRY))"
)


def _subprocess(argv: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    environment.update(env)
    return subprocess.run(
        argv, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300, check=False
    )


def test_python_dash_m_gobex_version(tmp_path) -> None:
    result = _subprocess([sys.executable, "-m", "gobex", "--version"], tmp_path)
    assert (result.returncode, result.stdout) == (0, f"gobex {__version__}\n")


def test_console_script_version(tmp_path) -> None:
    script = Path(sys.executable).with_name("gobex")
    assert script.exists(), f"no console script next to {sys.executable}"
    result = _subprocess([str(script), "--version"], tmp_path)
    assert (result.returncode, result.stdout) == (0, f"gobex {__version__}\n")


def test_python_dash_m_gobex_checks_a_file_with_the_real_rules(tmp_path) -> None:
    source = (ROOT / "rules" / "postgres" / "testdata" / "PG001.go").read_bytes()
    (tmp_path / "repo.go").write_bytes(source)
    argv = [sys.executable, "-m", "gobex", "check", "--select", "PG001", "--format", "jsonl"]
    result = _subprocess([*argv, "repo.go"], tmp_path)
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    want_lines = [
        number
        for number, line in enumerate(source.decode().splitlines(), start=1)
        if "// want" in line
    ]
    assert [r["line"] for r in records] == want_lines
    assert {r["code"] for r in records} == {"PG001"}


def test_end_to_end_exit_codes_and_colour(tmp_path) -> None:
    write(tmp_path / "f.go", go("\tmarker()\n"))
    write(tmp_path / "ok.go", go("\tfine()\n"))
    python = [sys.executable, "-c", TOY_MAIN]
    piped = _subprocess([*python, "check", "f.go"], tmp_path)
    assert piped.returncode == 1
    assert piped.stdout.startswith("f.go:4:2: TST901 [*] marker is called\n")
    assert "\x1b[" not in piped.stdout
    forced = _subprocess([*python, "check", "f.go"], tmp_path, FORCE_COLOR="1")
    assert "\x1b[1;33mTST901\x1b[0m" in forced.stdout
    assert _subprocess([*python, "check", "ok.go"], tmp_path).returncode == 0
    assert _subprocess([*python, "check", "missing.go"], tmp_path).returncode == 2
    assert _subprocess([*python, "check", "--bogus"], tmp_path).returncode == 2
    write(tmp_path / "crash.go", go("\tboom()\n"))
    crashed = _subprocess([*python, "check", "crash.go"], tmp_path)
    assert crashed.returncode == 2
    assert "rule TST904 crashed" in crashed.stderr
    assert "Traceback" not in crashed.stderr


def test_end_to_end_workers_in_real_processes(tmp_path) -> None:
    _tree(tmp_path)
    python = [sys.executable, "-c", TOY_MAIN, "check", "--format", "jsonl"]
    serial = _subprocess([*python, "-j", "1", "."], tmp_path)
    parallel = _subprocess([*python, "-j", "2", "."], tmp_path)
    assert serial.returncode == parallel.returncode == 1, parallel.stderr
    assert serial.stdout == parallel.stdout
    # Per package: one unsafeMarker and one marker in b.go; 0+1+2+0+1+2 markers in a.go.
    assert len(serial.stdout.splitlines()) == 6 + 6 + 6


def test_end_to_end_stdin(tmp_path) -> None:
    python = [sys.executable, "-c", TOY_MAIN, "check", "--format", "jsonl"]
    result = subprocess.run(
        [*python, "--stdin-filename", "x.go", "-"],
        input=NON_ASCII.encode(),
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert (record["path"], record["column"], record["end_column"]) == ("x.go", 15, 23)


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path) -> None:
    write(tmp_path / "many.go", go("\tmarker()\n" * 3000))
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("FORCE_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-c", TOY_MAIN, "check", "many.go"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `gobex check | head -1`
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 141
    assert first.startswith(b"many.go:4:2: TST901")
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_related_locations_in_text_and_jsonl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path / "repo.go",
        "package repo\n\n"
        'import "context"\n\n'
        "func f(ctx context.Context, stop bool) error {\n"
        "\tctx, cancel := context.WithCancel(ctx)\n"
        "\tif stop {\n"
        "\t\treturn nil\n"
        "\t}\n"
        "\tcancel()\n"
        "\t_ = ctx\n"
        "\treturn nil\n"
        "}\n",
    )
    assert main(["check", "--select", "CON001", "--format", "jsonl", str(tmp_path)]) == 1
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert record["code"] == "CON001"
    assert [(r["line"], r["column"]) for r in record["related"]] == [(8, 3)]
    assert main(["check", "--select", "CON001", "--no-color", str(tmp_path)]) == 1
    text = capsys.readouterr().out
    assert f"= note: {tmp_path / 'repo.go'}:8:3: " in text
