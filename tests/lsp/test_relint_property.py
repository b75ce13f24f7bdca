"""Property: random sequences of incremental LSP edits, applied the way the server
applies them (Document.changed: positions in utf-8 or utf-16, Tree.edit and an
incremental reparse; DocumentLinter: the partial re-lint), give exactly the
findings of a fresh parse and full lint of the same text, after every step, and
never crash."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from gobex.config import Config
from gobex.engine import Engine, LintResult
from gobex.finding import Finding
from gobex.lsp.analysis import DocumentLinter
from gobex.lsp.convert import encoding_of
from gobex.lsp.document import Document
from gobex.lsp.relint import Mode
from gobex.lsp.settings import Effective, ServerSettings
from gobex.registry import Registry, default_registry
from gobex.rule import Scope
from gobex.source import SourceFile
from tests.lsp.helpers import UTF8, UTF16, position

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "rules").glob("*/testdata/*.go"))
CORPUS_ROOT = Path("/usr/share/gocode/src")
CORPUS = [
    CORPUS_ROOT / name
    for name in (
        "github.com/mattn/go-sqlite3/_example/hook/hook.go",
        "github.com/lib/pq/oid/gen.go",
        "github.com/aws/aws-sdk-go/service/rds/rdsutils/example_test.go",
        "github.com/jackc/pgx/v4/pgxpool/common_test.go",
        "github.com/mattn/go-sqlite3/sqlite3_opt_unlock_notify_test.go",
    )
]
SNIPPETS = [
    "",
    "x",
    "\n",
    "}",
    "{",
    "(",
    ")",
    '"',
    "`",
    "// ",
    "/*",
    " //nolint:PG001",
    "//nolint\n",
    "rows.Close()\n",
    "defer rows.Close()\n",
    "return nil\n",
    "return rows, nil\n",
    "func f() {\n",
    "}\n\nfunc g(ctx context.Context) error {\n",
    'rows, err := db.QueryContext(ctx, "SELECT 1")\n',
    'import "database/sql"\n',
    "type T struct{ db *sql.DB }\n",
    "var db *sql.DB\n",
    "go func() {\n",
    "//go:build go1.21\n",
    "😀",
    "é",
    "e\u0301",
    "中文",
    "\t",
]

# Replacements that keep the file mostly well formed but change what rules see:
# types of fields and variables, imports, calls, releases, control flow.
SWAPS = [
    ("*sql.DB", "int"),
    ("database/sql", "fmt"),
    ("sql.", "sqlx."),
    ("Close()", "Err()"),
    ("defer ", ""),
    ("QueryContext", "ExecContext"),
    ("Query(", "Exec("),
    ("return ", "_ = "),
    ("rows", "r0ws"),
    ("err != nil", "err == nil"),
    ("context.Context", "int"),
    ("pgx", "pgxx"),
    ("go func", "func"),
    ("//nolint", "// nolint"),
    ("\n}\n", "\n"),
    ("func ", "func (x T) "),
]

ENGINE = Engine(Config(preview=True))  # every rule, preview ones too
LINTER_EFFECTIVE = Effective(ENGINE, ServerSettings(), None)

text_edit = st.tuples(  # anywhere: (where, how many characters to delete, what to insert)
    st.just("raw"),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=40),
    st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=8)),
)
line_edit = st.tuples(  # a whole line inserted at the start of a line
    st.just("line"), st.floats(min_value=0, max_value=1), st.just(0), st.sampled_from(SNIPPETS)
)
swap_edit = st.tuples(  # one occurrence of a SWAPS pattern replaced
    st.just("swap"),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=len(SWAPS) - 1),
    st.just(""),
)
Edit = tuple[str, float, int, str]
Step = list[Edit]
steps = st.lists(
    st.lists(st.one_of(text_edit, line_edit, swap_edit), min_size=1, max_size=3),
    min_size=1,
    max_size=20,
)


def resolve(text: str, edit: Edit) -> tuple[int, int, str]:
    """The character range [start, end) an edit replaces in `text`, and its text."""
    kind, fraction, number, insert = edit
    if kind == "line":
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        start = starts[min(len(starts) - 1, int(fraction * len(starts)))]
        return start, start, insert if insert.endswith("\n") else insert + "\n"
    if kind == "swap":
        old, new = SWAPS[number]
        found = [i for i in range(len(text)) if text.startswith(old, i)]
        if not found:
            return 0, 0, ""
        start = found[min(len(found) - 1, int(fraction * len(found)))]
        return start, start + len(old), new
    start = int(fraction * len(text))
    return start, min(len(text), start + number), insert


def observable(finding: Finding) -> tuple[Any, ...]:
    return (finding, finding.related)


def same(result: LintResult, fresh: LintResult) -> None:
    assert [observable(f) for f in result.findings] == [observable(f) for f in fresh.findings]
    assert result.skipped == fresh.skipped
    assert [f.code for f in result.failures] == [f.code for f in fresh.failures]


def replay(
    path: Path, edits: list[Step], encoding: str, engine: Engine | None = None
) -> dict[Mode, int]:
    engine = engine or ENGINE
    effective = Effective(engine, ServerSettings(), None)
    text = path.read_text(encoding="utf-8")
    document = Document.open("file:///property/f.go", None, 1, text)
    linter = DocumentLinter(engine.models)
    modes: dict[Mode, int] = {}
    lint_encoding = encoding_of(encoding)
    for version, step in enumerate(edits, start=2):
        changes = []
        for edit in step:
            start, end, insert = resolve(text, edit)
            changes.append(
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=position(text, start, encoding), end=position(text, end, encoding)
                    ),
                    text=insert,
                )
            )
            text = text[:start] + insert + text[end:]
        document = document.changed(changes, version, lint_encoding)
        assert document.data == text.encode("utf-8")
        analysis = linter.lint(document, effective, 0, {})
        modes[analysis.mode] = modes.get(analysis.mode, 0) + 1
        fresh_source = SourceFile.parse(document.source.path, text.encode("utf-8"))
        if str(document.source.root) != str(fresh_source.root):
            # tree-sitter's incremental re-parse may recover from a syntax error
            # differently from a fresh parse of the same text (reproduced with
            # py-tree-sitter alone: one edit of a freshly parsed tree); nowhere else
            # may the trees differ, and then the findings are those of the tree the
            # server holds.
            assert fresh_source.root.has_error
            fresh_source = replace(fresh_source, tree=document.source.tree)
        same(analysis.result, engine.lint(fresh_source))
    return modes


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    path=st.sampled_from(FIXTURES),
    edits=steps,
    encoding=st.sampled_from([UTF8, UTF16]),
)
def test_incremental_edits_on_fixtures_equal_a_fresh_lint(
    path: Path, edits: list[Step], encoding: str
) -> None:
    replay(path, edits, encoding)


@pytest.mark.corpus
@pytest.mark.skipif(
    not all(p.is_file() for p in CORPUS),
    reason="needs the Debian Go sources (golang-github-lib-pq-dev, -jackc-pgx-v4-dev, "
    "-mattn-go-sqlite3-dev, -aws-aws-sdk-go-dev) under /usr/share/gocode/src",
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    path=st.sampled_from(CORPUS),
    edits=steps,
    encoding=st.sampled_from([UTF8, UTF16]),
)
def test_incremental_edits_on_corpus_files_equal_a_fresh_lint(
    path: Path, edits: list[Step], encoding: str
) -> None:
    replay(path, edits, encoding)


def test_edits_inside_one_function_are_relinted_partially() -> None:
    """The property above holds whichever path is taken; this pins that the cheap
    path is actually taken for the common case (typing inside a function body),
    and that a change to a file-level declaration takes the full one."""
    text = (ROOT / "rules/postgres/testdata/PG001.go").read_text(encoding="utf-8")
    document = Document.open("file:///property/f.go", None, 1, text)
    linter = DocumentLinter(ENGINE.models)
    assert linter.lint(document, LINTER_EFFECTIVE, 0, {}).mode is Mode.FULL
    at = position(text, text.index("\tfor rows.Next() {"), UTF16)
    for version in (2, 3, 4):
        edit = types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text=" ")
        document = document.changed([edit], version, encoding_of(UTF16))
        analysis = linter.lint(document, LINTER_EFFECTIVE, 0, {})
        assert analysis.mode is Mode.PARTIAL
        assert not analysis.skeleton_changed
    top = position(text, text.index("type Repo struct"), UTF16)
    edit = types.TextDocumentContentChangePartial(
        range=types.Range(start=top, end=top), text="type Other int\n"
    )
    document = document.changed([edit], 5, encoding_of(UTF16))
    analysis = linter.lint(document, LINTER_EFFECTIVE, 0, {})
    assert analysis.mode is Mode.FULL
    assert analysis.skeleton_changed


# -- scope `callees` ------------------------------------------------------------------
def callees_engine(codes: frozenset[str]) -> Engine:
    """The default rules, with `codes` declared as scope `callees` (what their
    authors could declare when a finding depends only on its declaration and the
    local functions it calls)."""
    rules = [
        replace(rule, scope=Scope.CALLEES) if rule.code in codes else rule
        for rule in default_registry().rules
    ]
    return Engine(Config(preview=True), registry=Registry(rules))


CALLEE_RULES = frozenset({"API001", "ERR001", "ERR002", "ERR003"})
CALLEES_ENGINE = callees_engine(CALLEE_RULES)
CALLEE_FIXTURES = [f for f in FIXTURES if f.name.startswith(tuple(CALLEE_RULES))] or FIXTURES


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    path=st.sampled_from(CALLEE_FIXTURES),
    edits=steps,
    encoding=st.sampled_from([UTF8, UTF16]),
)
def test_callees_scope_relint_equals_a_fresh_lint(
    path: Path, edits: list[Step], encoding: str
) -> None:
    replay(path, edits, encoding, CALLEES_ENGINE)


INFALLIBLE = """\
package p

import "errors"

var errBusy = errors.New("busy")

func save() error {
\treturn nil
}

func run() {
\tsave()
}
"""


@pytest.mark.parametrize("engine", [ENGINE, CALLEES_ENGINE], ids=["package-scope", "callees-scope"])
def test_editing_a_callee_rechecks_its_callers(engine: Engine) -> None:
    """ERR003 skips dropped errors of local functions that never fail: editing the
    callee's body changes a finding in its caller, another declaration."""
    text = INFALLIBLE
    effective = Effective(engine, ServerSettings(), None)
    document = Document.open("file:///property/p.go", None, 1, text)
    linter = DocumentLinter(engine.models)
    assert [f.code for f in linter.lint(document, effective, 0, {}).result.findings] == []
    at = text.index("return nil") + len("return ")
    edit = types.TextDocumentContentChangePartial(
        range=types.Range(start=position(text, at, UTF8), end=position(text, at + 3, UTF8)),
        text="errBusy",
    )
    document = document.changed([edit], 2, encoding_of(UTF8))
    analysis = linter.lint(document, effective, 0, {})
    assert analysis.mode is Mode.PARTIAL
    assert [f.code for f in analysis.result.findings] == ["ERR003"]
    same(analysis.result, engine.lint(document.source))
