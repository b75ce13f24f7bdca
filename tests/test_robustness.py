"""No input crashes the engine with every rule selected; a failing rule is isolated;
every fix of every rule keeps the file parseable.

These tests run ALL rules (including preview ones), so a crash in any rule is a
failure here: the assertion message carries the rule's traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tree_sitter import Node

from gobex.config import Config
from gobex.engine import Engine, LintResult
from gobex.facts import PackageIndex
from gobex.finding import Finding, Severity
from gobex.fixer import apply_edits, fix_edits, fix_until_stable
from gobex.registry import Registry
from gobex.rule import SECTIONS, Match, Rule, RuleContext
from gobex.source import SourceFile, TextChange
from tests.test_source import corpus_files, edits_of, fixture_files

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def engine() -> Engine:
    built = Engine(Config(select=("ALL",), preview=True))
    assert not built.config_errors, built.config_errors
    return built


def lint(data: bytes, path: str = "input.go") -> LintResult:
    source = SourceFile.parse(path, data)
    result = engine().lint(source, PackageIndex.of([source], engine().models), Path(path))
    assert not result.failures, "\n\n".join(f.traceback for f in result.failures)
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= len(data), finding
        for fix in finding.fixes:
            for edit in fix.edits:
                assert 0 <= edit.start <= edit.end <= len(data), (finding.code, fix.title)
    return result


def go_sources() -> list[Path]:
    """Fixtures (they exercise every rule) and a sample of real files."""
    return [p for p in fixture_files() if p.suffix == ".go"] + corpus_files()


# A header that imports every modelled package, so that no rule is skipped for lack
# of an import, and a body with the shapes the rules look for.
HEADER = """package p

import (
\t"context"
\t"database/sql"
\t"errors"
\t"fmt"
\t"io"
\t"net/http"
\t"sync"
\t"time"

\t"github.com/IBM/sarama"
\t"github.com/gocql/gocql"
\t"github.com/jackc/pgx/v5"
\t"github.com/jackc/pgx/v5/pgxpool"
\t"github.com/jmoiron/sqlx"
\t"golang.org/x/sync/errgroup"
)

var _ = []any{errors.New, io.EOF, sync.Mutex{}, time.Second, pgx.ErrNoRows, sqlx.Open}
var _ = errgroup.WithContext

"""

BODY = """rows, err := db.Query("SELECT 1")
if err != nil {
\treturn fmt.Errorf("query: %v", err)
}
for rows.Next() {
}
resp, err := http.Get("http://x")
if err == io.EOF {
\treturn err
}
_ = resp
ctx2, cancel := context.WithTimeout(ctx, time.Second)
_, _ = ctx2, cancel
iter := session.Query("SELECT 1").Iter()
iter.Close()
producer, _ := sarama.NewAsyncProducer(nil, nil)
_ = producer
conn, _ := pool.Acquire(ctx)
_ = conn
var wg sync.WaitGroup
for _, v := range items {
\tgo func() {
\t\twg.Add(1)
\t\t_ = v
\t}()
}
"""

FUNC_OPEN = (
    "func f(ctx context.Context, db *sql.DB, session *gocql.Session, "
    "pool *pgxpool.Pool, items []int, x bool, p *int, ch chan int) error {\n"
)


def program(body: str) -> bytes:
    return (HEADER + FUNC_OPEN + body + "\nreturn nil\n}\n").encode()


def test_the_header_and_body_reach_the_rules() -> None:
    """The robustness inputs are only worth something if rules run on them."""
    result = lint(program(BODY))
    codes = {f.code for f in result.findings}
    assert len(codes) >= 3, codes


# -- deep nesting ------------------------------------------------------------------------

DEPTH = 3000
# Statements nest less deep here: 1,500 levels are still far past Python's recursion
# limit (a recursive walk over them crashes), and 3,000 pass too, but a rule that
# walks up with `Node.parent` (tree-sitter searches from the root on each call) is
# quadratic in depth and would make these tests take minutes.
STATEMENT_DEPTH = 1500


def _repeat(open_: str, close: str, inner: str, depth: int = DEPTH) -> str:
    return open_ * depth + inner + close * depth


DEEP = {
    "blocks": _repeat("{\n", "}\n", BODY, STATEMENT_DEPTH),
    "ifs": _repeat("if x {\n", "}\n", BODY, STATEMENT_DEPTH),
    "fors": _repeat("for x {\n", "}\n", BODY, STATEMENT_DEPTH),
    "closures": _repeat("func() {\n", "}()\n", BODY, STATEMENT_DEPTH),
    "goroutines": _repeat("go func() {\n", "}()\n", BODY, STATEMENT_DEPTH),
    "deferred": _repeat("defer func() {\n", "}()\n", BODY, STATEMENT_DEPTH),
    "switches": _repeat("switch {\ncase x:\n", "}\n", BODY, STATEMENT_DEPTH),
    "parens": "rows, err := " + _repeat("(", ")", 'db.Query("SELECT 1")') + "\n_, _ = rows, err\n",
    "paren_value": "_ = " + _repeat("(", ")", "x") + "\n",
    "concat": "q := " + " + ".join(['"a"'] * DEPTH) + "\nrows, _ := db.Query(q)\n_ = rows\n",
    "errorf_concat": "return fmt.Errorf(" + " + ".join(['"a"'] * DEPTH) + ' + "%v", err)\n',
    "right_concat": "q := " + _repeat('"a" + (', ")", '"b"') + "\n_, _ = db.Query(q)\n",
    "builder": 'iter := session.Query("")'
    + ".Consistency(gocql.One)" * DEPTH
    + ".Iter()\n_ = iter\n",
    "selectors": "_ = session" + ".X" * DEPTH + "\n",
    "index": "_ = items" + "[0]" * DEPTH + "\n",
    "calls": "_ = " + _repeat("fmt.Sprint(", ")", "1") + "\n",
    "not": "_ = " + "!" * DEPTH + "x\n",
    "deref": "_ = " + "*" * DEPTH + "p\n",
    "receive": "_ = " + "<-" * DEPTH + "ch\n",
    "composite": "_ = " + _repeat("[]any{", "}", "1") + "\n",
    "slice_type": "var v " + "[]" * DEPTH + "int\n_ = v\n",
    "pointer_type": "var v " + "*" * DEPTH + "int\n_ = v\n",
    "map_type": "var v " + "map[string]" * DEPTH + "int\n_ = v\n",
    "func_type": "var v " + "func() " * DEPTH + "\n_ = v\n",
    "struct_type": "var v " + _repeat("struct{ a ", " }", "int") + "\n_ = v\n",
    "assignments": "a0 := rows0\n"
    + "".join(f"a{i + 1} := a{i}\n" for i in range(DEPTH))
    + f"_ = a{DEPTH}\n",
    "labels": "".join(f"L{i}:\n" for i in range(DEPTH)) + "for {\nbreak L0\n}\n",
    "else_ifs": "if x {\n" + "} else if x {\n" * DEPTH + BODY + "}\n",
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting(shape: str) -> None:
    body = DEEP[shape]
    if shape == "assignments":
        body = 'rows0, _ := db.Query("")\n' + body
    lint(program(body))


def test_deep_nesting_still_resolves_names() -> None:
    """Resolution is exact at any depth: a leak 1,500 blocks deep is reported, and
    so is one after a 3,000-term string concatenation."""
    leak = 'rows, err := db.Query("SELECT 1")\nif err != nil {\nreturn err\n}\n_ = rows.Next()\n'
    blocks = lint(program(_repeat("{\n", "}\n", leak, STATEMENT_DEPTH)))
    concat = lint(
        program(
            "q := "
            + " + ".join(['"a"'] * DEPTH)
            + "\nrows, err := db.Query(q)\nif err != nil {\nreturn err\n}\n_ = rows.Next()\n"
        )
    )
    shallow = lint(program(leak))
    expected = {f.code for f in shallow.findings if f.code.startswith("PG")}
    assert expected, "the shallow leak must be reported"
    assert {f.code for f in blocks.findings if f.code.startswith("PG")} == expected
    assert {f.code for f in concat.findings if f.code.startswith("PG")} == expected


# -- big and odd inputs ------------------------------------------------------------------


def test_huge_line() -> None:
    line = "; ".join(['rows, _ := db.Query("SELECT 1"); _ = rows'] * 2000)
    lint(program("{ " + line + " }\n"))
    lint(b"package p\nvar s = `" + b"x" * 1_500_000 + b"`\n")


def test_files_over_max_file_size_are_skipped_with_a_reason() -> None:
    small = Engine(Config(select=("ALL",), preview=True, max_file_size=1000))
    data = program(BODY)
    assert len(data) > 1000
    source = SourceFile.parse("big.go", data)
    result = small.lint(source)
    assert result.findings == ()
    assert result.skipped is not None
    assert "1,000" in result.skipped and f"{len(data):,}" in result.skipped
    # The same file under the limit is analysed.
    assert engine().lint(source).skipped is None


def test_generated_files_are_skipped() -> None:
    data = b"// Code generated by protoc-gen-go. DO NOT EDIT.\n\n" + program(BODY)
    result = engine().lint(SourceFile.parse("x.pb.go", data))
    assert result.skipped is not None and result.findings == ()


ODD = [
    b"",
    b"\x00",
    b"\xef\xbb\xbf",
    b"package",
    b"package p\nfunc",
    b"package p\nfunc f(",
    b"package p\nimport (",
    b'package p\nimport "database/sql"\nfunc f(db *sql.DB) { rows, err := db.Query(',
    program(BODY).replace(b"\n", b"\r\n"),
    program(BODY).replace(b"\n", b"\r"),
    program(BODY).replace(b"rows", "rôws😀".encode()),
    program(BODY).replace(b'"SELECT 1"', b'"\xff\xfe\x00"'),
    b"\xef\xbb\xbf" + program(BODY),
    program(BODY).replace(b"\t", b"\x00"),
    b"}" * 5000,
    b"{" * 5000,
    b"(" * 5000,
    b"package p\n" + b"func f() {" * 3000,
]


@pytest.mark.parametrize("data", ODD, ids=range(len(ODD)))
def test_odd_inputs(data: bytes) -> None:
    lint(data)


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    lint(data)


TOKENS = [
    "package p\n",
    'import "database/sql"\n',
    'import "net/http"\n',
    'import "context"\n',
    'import "fmt"\n',
    "func f(db *sql.DB, ctx context.Context) error {\n",
    "func (r *Repo) g() {\n",
    "type Repo struct { db *sql.DB }\n",
    "}\n",
    "{",
    "(",
    ")",
    "[",
    "]",
    'rows, err := db.Query("x")\n',
    "rows, err := r.db.Query(ctx, q)\n",
    "if err != nil { return err }\n",
    "defer rows.Close()\n",
    "defer func() { rows.Close() }()\n",
    'resp, err := http.Get("u")\n',
    "defer resp.Body.Close()\n",
    "ctx, cancel := context.WithCancel(ctx)\n",
    "go func() { _ = v }()\n",
    "for _, v := range vs {\n",
    'return fmt.Errorf("x: %v", err)\n',
    "if err == sql.ErrNoRows {\n",
    "switch e := err.(type) {\ncase nil:\n",
    "select {\ncase v := <-ch:\n",
    "return rows, nil\n",
    "x := ",
    "rows",
    ".",
    ":=",
    "=",
    "err",
    "//nolint:PG001\n",
    '// want "x"\n',
    "😀",
    "\xff",
    "\n",
    "`",
    '"',
]


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_token_soup(tokens: list[str]) -> None:
    lint("".join(tokens).encode("utf-8", "surrogateescape"))


@SETTINGS
@given(st.data())
def test_truncated_real_files(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(go_sources()), label="file")
    content = path.read_bytes()
    cut = data.draw(st.integers(0, len(content)), label="prefix length")
    lint(content[:cut], path.name)


@SETTINGS
@given(st.data())
def test_spliced_real_files(data: st.DataObject) -> None:
    """A piece of one file pasted into another at a random place."""
    files = go_sources()
    target = data.draw(st.sampled_from(files), label="into").read_bytes()
    donor = data.draw(st.sampled_from(files), label="from").read_bytes()
    at = data.draw(st.integers(0, len(target)), label="at")
    start = data.draw(st.integers(0, len(donor)), label="start")
    piece = donor[start : start + data.draw(st.integers(0, 400), label="length")]
    lint(target[:at] + piece + target[at:])


def test_every_real_file_in_the_sample() -> None:
    sources = go_sources()
    assert sources
    for path in sources:
        lint(path.read_bytes(), str(path))


# -- failure isolation -------------------------------------------------------------------


def _test_rule(code: str, name: str, query: str, check) -> Rule:
    rule = Rule(
        code=code,
        name=name,
        severity=Severity.WARNING,
        query=query,
        doc=f"{name}\n\n" + "".join(f"## {part}\nx\n" for part in SECTIONS),
    )
    rule.check(check)
    return rule


def _reports(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    yield ctx.finding(match["call"], "a call")


def _raises(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    yield ctx.finding(match["call"], "reported before raising")
    raise ValueError("boom")


def _raises_on_second(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if ctx.text(match["call"]).startswith("second"):
        raise KeyError("second call")
    yield ctx.finding(match["call"], "first is fine")


def _recurses(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    def down(n: int) -> int:
        return down(n + 1) + 1

    down(0)
    yield from ()


def test_a_rule_that_raises_is_isolated() -> None:
    registry = Registry(
        [
            _test_rule("TST901", "test-reports", "(call_expression) @call", _reports),
            _test_rule("TST902", "test-raises", "(call_expression) @call", _raises),
            _test_rule("TST903", "test-second", "(call_expression) @call", _raises_on_second),
            _test_rule("TST904", "test-recursion", "(call_expression) @call", _recurses),
        ]
    )
    isolated = Engine(Config(select=("ALL",)), registry=registry)
    source = SourceFile.parse("a.go", b"package p\n\nfunc f() {\n\tfirst()\n\tsecond()\n}\n")
    result = isolated.lint(source)
    by_code: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_code.setdefault(finding.code, []).append(finding)
    # The healthy rule reports every call.
    assert [source.text(source.root)[f.start : f.end] for f in by_code["TST901"]] == [
        "first()",
        "second()",
    ]
    # Failing rules report nothing for the file, not even what they yielded first.
    assert set(by_code) == {"TST901"}
    failures = {f.code: f for f in result.failures}
    assert set(failures) == {"TST902", "TST903", "TST904"}
    assert failures["TST902"].error == "ValueError: boom"
    assert failures["TST902"].line == 4
    assert failures["TST903"].line == 5 and "KeyError" in failures["TST903"].error
    assert "RecursionError" in failures["TST904"].error
    assert all(f.path == "a.go" and "Traceback" in f.traceback for f in failures.values())


# -- fixes keep files parseable ----------------------------------------------------------


def _syntax_errors(node: Node) -> int:
    """ERROR and MISSING nodes in the tree."""
    count = 0
    cursor = node.walk()
    while True:
        current = cursor.node
        assert current is not None
        if current.is_error or current.is_missing:
            count += 1
        if current.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return count


def fixable_sources() -> list[Path]:
    return [p for p in go_sources() if not SourceFile.parse(p.name, p.read_bytes()).root.has_error]


@pytest.mark.parametrize("path", fixable_sources(), ids=lambda p: p.name)
def test_every_fix_keeps_the_file_parseable(path: Path) -> None:
    data = path.read_bytes()
    source = SourceFile.parse(str(path), data)
    findings = lint(data, str(path)).findings
    problems = []
    # Each fix alone.
    for finding in findings:
        for fix in finding.fixes:
            edits = fix_edits(source, [fix], engine().models)
            fixed = SourceFile.parse(str(path), apply_edits(data, edits))
            if _syntax_errors(fixed.root):
                problems.append(f"{finding.code} {fix.title!r} at byte {finding.start}")
    # All fixes together, as `gobex check --fix [--unsafe-fixes]` applies them.
    for unsafe in (False, True):

        def run(current: SourceFile) -> list[Finding]:
            return list(lint(current.data, str(path)).findings)

        outcome = fix_until_stable(source, run, engine().models, unsafe=unsafe)
        if _syntax_errors(SourceFile.parse(str(path), outcome.data).root):
            problems.append(f"fix-all (unsafe={unsafe}) broke the file")
    assert not problems, "\n".join(problems)


INSERTED_LINES = [
    "\t_ = 1\n",
    "\tdefer rows.Close()\n",
    "\tif err != nil {\n\t\treturn err\n\t}\n",
    "\tgo func() {}()\n",
    "\n",
    "// comment\n",
    "\tctx, cancel := context.WithCancel(ctx)\n",
]


@SETTINGS
@given(st.data())
def test_incremental_edits_give_the_findings_of_a_fresh_parse(data: st.DataObject) -> None:
    """What the language server sees after edits (an incrementally re-parsed tree)
    is linted exactly like the same text parsed from scratch."""
    path = data.draw(st.sampled_from([p for p in fixture_files() if p.suffix == ".go"]))
    original = path.read_bytes()
    source = SourceFile.parse(str(path), original)
    edited = source
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        # Line edits, which mostly keep the code valid: delete, duplicate, insert.
        lines = edited.data.splitlines(keepends=True)
        index = data.draw(st.integers(0, max(0, len(lines) - 1)), label="line")
        start = sum(len(line) for line in lines[:index])
        end = start + (len(lines[index]) if lines else 0)
        action = data.draw(st.sampled_from(["delete", "duplicate", "insert", "random"]))
        if action == "delete":
            change = TextChange(start, end, b"")
        elif action == "duplicate":
            change = TextChange(start, start, edited.data[start:end])
        elif action == "insert":
            statement = data.draw(st.sampled_from(INSERTED_LINES), label="statement")
            change = TextChange(start, start, statement.encode())
        else:
            change = data.draw(edits_of(edited.data), label="changes")[0]
        edited = edited.edit([change])
    fresh = SourceFile.parse(str(path), edited.data)
    event("valid after the edits" if not fresh.root.has_error else "syntax errors")
    if fresh.root.has_error:
        assert edited.root.has_error
        return  # error recovery may differ (see tests/test_source.py)

    def findings(current: SourceFile) -> list[tuple[str, int, int, str]]:
        result = engine().lint(current, PackageIndex.of([current], engine().models))
        assert not result.failures, "\n\n".join(f.traceback for f in result.failures)
        return [(f.code, f.start, f.end, f.message) for f in result.findings]

    assert findings(edited) == findings(fresh)
