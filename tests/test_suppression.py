"""`//nolint` directives (golangci-lint compatible), generated files, and IDM001 unused-nolint.

The rules are test-only (a private Registry with the real IDM001), so the tests do
not depend on the rule set being written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gobex.cli.main import main
from gobex.config import Config
from gobex.engine import Engine
from gobex.finding import Finding, Severity
from gobex.fixer import apply_edits
from gobex.registry import Registry
from gobex.rule import Match, Rule, RuleContext
from gobex.rules.idiomatic.unused_nolint import RULE as UNUSED_NOLINT
from gobex.source import SourceFile


def _check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if ctx.text(match["fn"]) == "boom":
        raise RuntimeError("the toy rule exploded")
    yield ctx.finding(match["call"], f"{ctx.text(match['fn'])} is called")


def _rule(code: str, name: str, callee: str) -> Rule:
    rule = Rule(
        code=code,
        name=name,
        severity=Severity.WARNING,
        query=f'(call_expression function: (identifier) @fn (#eq? @fn "{callee}")) @call',
        doc="A call to a test marker.\n",
    )
    rule.check(_check)
    return rule


ALPHA = _rule("TST901", "toy-alpha", "alpha")
BETA = _rule("TST902", "toy-beta", "beta")
CRASH = _rule("TST903", "toy-crash", "boom")
REGISTRY = Registry([ALPHA, BETA, CRASH, UNUSED_NOLINT])


def lint(text: str, config: Config | None = None, path: Path | None = None) -> list[Finding]:
    engine = Engine(config or Config(), registry=REGISTRY)
    source = SourceFile.parse("s.go", text.encode())
    return list(engine.lint(source, path=path).findings)


def reported(text: str, config: Config | None = None, path: Path | None = None) -> list[str]:
    """`LINE:CODE` of every finding (1-based lines)."""
    source = SourceFile.parse("s.go", text.encode())
    return [f"{source.lines.line_of(f.start) + 1}:{f.code}" for f in lint(text, config, path=path)]


def func(body: str) -> str:
    return f"package toy\n\nfunc f() {{\n{body}}}\n"


# -- directive syntax ------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        "//nolint",
        "//nolint:all",
        "//nolint:gobex",
        "//nolint:GOBEX",
        "//nolint:TST901",
        "//nolint:tst901",
        "//nolint:toy-alpha",
        "//nolint:TST901,toy-beta // both named; the reason follows",
        "//nolint:errcheck,TST901 // other linters' names are allowed",
        "//nolint:errcheck, TST901",
        "//nolint: TST901",
        "//nolint // a reason",
    ],
)
def test_a_trailing_directive_silences_its_line(comment: str) -> None:
    text = func(f"\talpha() {comment}\n\talpha()\n")
    assert [r for r in reported(text) if r.endswith("TST901")] == ["5:TST901"]


@pytest.mark.parametrize(
    "comment",
    [
        "// nolint",  # a space after // makes it prose, not a directive
        "// nolint:TST901",
        "//  nolint:all",
        "//nolintTST901",
        "//nolint:errcheck",  # another linter's name only
        "//nolint:TST902",  # another gobex rule
        "//nolint:unused-nolint",
        "/* nolint */",
        "// see https://example.com/nolint",
    ],
)
def test_comments_that_do_not_silence_the_line(comment: str) -> None:
    text = func(f"\talpha() {comment}\n")
    assert "4:TST901" in reported(text)


# -- coverage ---------------------------------------------------------------------------


def test_a_directive_above_a_statement_covers_all_of_it() -> None:
    text = func(
        "\t//nolint:TST901 // the whole call below\n"
        "\tx := pair(\n"
        "\t\talpha(),\n"
        "\t\talpha(),\n"
        "\t)\n"
        "\t_ = alpha()\n"
    )
    assert reported(text) == ["9:TST901"]


def test_a_directive_above_an_if_covers_its_body() -> None:
    text = func("\t//nolint:TST901\n\tif alpha() {\n\t\talpha()\n\t}\n\talpha()\n")
    assert reported(text) == ["8:TST901"]


def test_a_directive_above_a_declaration_covers_the_declaration() -> None:
    text = (
        "package toy\n\n"
        "// f does things.\n"
        "//\n"
        "//nolint:TST901\n"
        "func f() {\n\talpha()\n\tif true {\n\t\talpha()\n\t}\n}\n\n"
        "func g() {\n\talpha()\n}\n"
    )
    assert reported(text) == ["14:TST901"]


def test_a_directive_above_a_block_s_first_statement_covers_only_that_statement() -> None:
    text = func("\t//nolint:TST901\n\talpha()\n\talpha()\n\tbeta()\n")
    assert reported(text) == ["6:TST901", "7:TST902"]


def test_a_directive_above_a_var_spec_and_a_composite_literal_element() -> None:
    text = (
        "package toy\n\n"
        "var (\n\t//nolint:TST901\n\ta = alpha()\n\tb = alpha()\n)\n\n"
        "var t = T{\n\t//nolint:TST901\n\tA: alpha(),\n\tB: alpha(),\n}\n"
    )
    assert reported(text) == ["6:TST901", "12:TST901"]


def test_a_directive_followed_by_a_blank_line_covers_nothing_below() -> None:
    text = func("\t//nolint:TST901\n\n\talpha()\n")
    assert reported(text) == ["4:IDM001", "6:TST901"]  # and IDM001 says so


def test_a_trailing_directive_on_a_multi_line_statement_covers_only_its_line() -> None:
    text = func("\tx := pair(alpha(), //nolint:TST901\n\t\talpha())\n")
    assert reported(text) == ["5:TST901"]


def test_a_directive_before_package_covers_the_file_for_the_rules_it_names() -> None:
    text = (
        "// Copyright 2025 The Authors.\n\n"
        "//nolint:TST901 // legacy package, tracked in JIRA-1\n"
        "package toy\n\n"
        "func f() {\n\talpha()\n\tbeta()\n}\n\nfunc g() {\n\talpha()\n}\n"
    )
    assert reported(text) == ["8:TST902"]


def test_a_bare_directive_before_package_covers_everything() -> None:
    text = "//nolint\npackage toy\n\nfunc f() {\n\talpha()\n\tbeta()\n}\n"
    assert reported(text) == []


# -- generated files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "// Code generated by protoc-gen-go. DO NOT EDIT.\n",
        "// Code generated by mockery v2.40.1. DO NOT EDIT.\r\n",
        "// Copyright 2025.\n\n// Code generated by sqlc; DO NOT EDIT.\n",
    ],
)
def test_generated_files_are_skipped(header: str) -> None:
    engine = Engine(Config(), registry=REGISTRY)
    data = (header + "\npackage toy\n\nfunc f() {\n\talpha()\n}\n").encode()
    result = engine.lint(SourceFile.parse("gen.go", data))
    assert result.findings == ()
    assert result.skipped == "generated file"


@pytest.mark.parametrize(
    "header",
    [
        "// Code generated by hand; edit freely.\n",
        "// Code generated by protoc-gen-go. DO NOT EDIT\n",  # no period: not the convention
        "// code generated by protoc-gen-go. DO NOT EDIT.\n",
        "//Code generated by x. DO NOT EDIT.\n",
    ],
)
def test_lookalike_headers_are_not_generated(header: str) -> None:
    text = header + "\npackage toy\n\nfunc f() {\n\talpha()\n}\n"
    assert reported(text) == ["6:TST901"]


def test_the_cli_skips_generated_files_silently(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    body = "package toy\n\nfunc f() {\n\talpha()\n}\n"
    (tmp_path / "api.pb.go").write_text(
        "// Code generated by protoc-gen-go. DO NOT EDIT.\n\n" + body
    )
    (tmp_path / "api.go").write_text(body)
    code = main(["check", "--format", "jsonl", "."], registry=REGISTRY)
    captured = capsys.readouterr()
    assert code == 1
    assert [line.split('"')[3] for line in captured.out.splitlines()] == ["api.go"]
    assert captured.err == ""


# -- IDM001 unused-nolint ----------------------------------------------------------------


def unused(text: str, config: Config | None = None, path: Path | None = None) -> list[Finding]:
    return [f for f in lint(text, config, path) if f.code == "IDM001"]


def test_a_named_rule_that_silenced_nothing_is_reported_at_the_comment() -> None:
    text = func("\tbeta() //nolint:TST901 // was needed once\n")
    source = SourceFile.parse("s.go", text.encode())
    (finding,) = unused(text)
    assert finding.message == "unused //nolint for TST901: nothing is reported here"
    assert finding.severity is Severity.INFO
    assert source.slice(finding.start, finding.end) == "//nolint:TST901 // was needed once"
    assert reported(text) == ["4:TST902", "4:IDM001"]


def test_a_name_is_reported_as_written() -> None:
    (finding,) = unused(func("\t//nolint:toy-alpha\n\tbeta()\n"))
    assert finding.message == "unused //nolint for toy-alpha: nothing is reported here"


def test_only_the_stale_names_of_a_directive_are_reported() -> None:
    (finding,) = unused(func("\talpha() //nolint:TST901,toy-beta,errcheck\n"))
    assert finding.message == "unused //nolint for toy-beta: nothing is reported here"


@pytest.mark.parametrize(
    "comment",
    [
        "//nolint",
        "//nolint:all",
        "//nolint:gobex",
        "//nolint:gobex,TST901",
        "//nolint:errcheck,gosec // other linters",
        "//nolint:TST999 // not a gobex rule: perhaps another linter's",
        "// nolint:TST901 // not a directive",
        "//nolint:TST901,IDM001 // silences its own report",
        "//nolint:TST901,unused-nolint",
    ],
)
def test_directives_that_are_not_reported(comment: str) -> None:
    assert unused(func(f"\tbeta() {comment}\n")) == []


def test_not_reported_for_a_rule_that_did_not_run() -> None:
    text = func("\talpha() //nolint:TST902\n")
    assert len(unused(text)) == 1
    assert unused(text, Config(select=("TST901", "IDM001"))) == []  # TST902 not selected
    config = Config(per_file_ignores={"*.go": ("TST902",)}, root=Path.cwd())
    assert unused(text, config, path=Path("svc/a.go")) == []  # ignored for this file
    assert unused(text, Config(ignore=("IDM001",))) == []  # IDM001 itself off
    config = Config(per_file_ignores={"*.go": ("unused-nolint",)}, root=Path.cwd())
    assert unused(text, config, path=Path("svc/a.go")) == []


def test_not_reported_for_a_rule_that_crashed() -> None:
    text = func("\tboom()\n\talpha() //nolint:TST903\n")
    engine = Engine(Config(), registry=REGISTRY)
    result = engine.lint(SourceFile.parse("s.go", text.encode()))
    assert [f.code for f in result.failures] == ["TST903"]
    assert [f.code for f in result.findings] == ["TST901"]


def test_a_file_wide_directive_that_silenced_nothing_is_reported() -> None:
    text = "//nolint:TST902\npackage toy\n\nfunc f() {\n\talpha()\n}\n"
    (finding,) = unused(text)
    assert finding.message.startswith("unused //nolint for TST902")


def fixed(text: str) -> str:
    (finding,) = unused(text)
    (fix,) = finding.fixes
    assert fix.is_safe
    return apply_edits(text.encode(), fix.edits).decode()


def test_fix_removes_a_trailing_directive_and_the_space_before_it() -> None:
    text = func("\tbeta() //nolint:TST901 // obsolete\n")
    assert fixed(text) == func("\tbeta()\n")


def test_fix_removes_an_own_line_directive_with_its_line() -> None:
    text = func("\tx := 1\n\t//nolint:TST901\n\tbeta()\n")
    assert fixed(text) == func("\tx := 1\n\tbeta()\n")


def test_fix_removes_the_directive_and_its_doc_separator_line() -> None:
    text = "package toy\n\n// f does things.\n//\n//nolint:TST901\nfunc f() {}\n"
    assert fixed(text) == "package toy\n\n// f does things.\nfunc f() {}\n"


def test_fix_removes_only_the_stale_names_keeping_the_reason() -> None:
    text = func("\talpha() //nolint:TST901,toy-beta,errcheck // see #12\n")
    (finding,) = unused(text)
    assert finding.fixes[0].title == "Remove toy-beta from the //nolint"
    assert fixed(text) == func("\talpha() //nolint:TST901,errcheck // see #12\n")


def test_fixed_directives_report_nothing_more() -> None:
    for text in (
        func("\tbeta() //nolint:TST901\n"),
        func("\talpha() //nolint:TST901,TST902 // why\n"),
        func("\t//nolint:toy-alpha\n\tbeta()\n"),
    ):
        assert unused(fixed(text)) == []


def test_check_fix_applies_the_unused_nolint_fix(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "a.go"
    path.write_text(func("\talpha() //nolint:TST901,TST902\n\tbeta() //nolint:toy-alpha\n"))
    code = main(["check", "--fix", "a.go"], registry=REGISTRY)
    out = capsys.readouterr().out
    assert path.read_text() == func("\talpha() //nolint:TST901\n\tbeta()\n")
    assert "a.go:5:2: TST902 beta is called" in out
    assert code == 1


def test_names_after_spaces_are_parsed_like_golangci_lint() -> None:
    # golangci-lint trims spaces around each name: `//nolint: a, b` names a and b.
    assert reported(func("\tbeta() //nolint: TST901 // names TST901 only\n\talpha()\n")) == [
        "4:TST902",
        "4:IDM001",
        "5:TST901",
    ]
    assert reported(func("\tbeta() //nolint:TST901, toy-beta\n\talpha()\n")) == [
        "4:IDM001",
        "5:TST901",
    ]
