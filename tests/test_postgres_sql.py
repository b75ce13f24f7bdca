"""The PostgreSQL rules' SQL-text mechanism (rules/postgres/_sql.py, _sql_tokens.py):
what the tokenizer sees in SQL, what the tracer says a Go expression is built
from, and that a dropped Scan/Commit error is reported by one rule only."""

from __future__ import annotations

import textwrap

import pytest

from gobex.config import Config
from gobex.engine import Engine
from gobex.facts import Facts, PackageIndex
from gobex.models import builtin_models
from gobex.rules.postgres._sql import (
    HOLE,
    sql_argument,
    star_selects,
    statement_keyword,
    tokenize,
    trace,
)
from gobex.source import SourceFile

MODELS = builtin_models()


def kinds(sql: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(sql)]


def test_tokenizer_keeps_strings_identifiers_and_dollar_quotes_whole() -> None:
    assert kinds('SELECT \'a * b\', "Col""x", $$ SELECT * $$, $tag$ x $tag$ FROM t') == [
        ("word", "SELECT"),
        ("string", "'a * b'"),
        ("symbol", ","),
        ("quoted", '"Col""x"'),
        ("symbol", ","),
        ("string", "$$ SELECT * $$"),
        ("symbol", ","),
        ("string", "$tag$ x $tag$"),
        ("word", "FROM"),
        ("word", "t"),
    ]


def test_tokenizer_drops_comments_and_knows_parameters() -> None:
    sql = "-- SELECT *\nSELECT /* * /* nested */ */ x::text, :name, ?, $1 FROM t"
    assert kinds(sql) == [
        ("word", "SELECT"),
        ("word", "x"),
        ("symbol", ":"),
        ("symbol", ":"),
        ("word", "text"),
        ("symbol", ","),
        ("param", ":name"),
        ("symbol", ","),
        ("param", "?"),
        ("symbol", ","),
        ("param", "$1"),
        ("word", "FROM"),
        ("word", "t"),
    ]


def test_tokenizer_survives_unterminated_text() -> None:
    assert [t.kind for t in tokenize("SELECT 'abc")] == ["word", "string"]
    assert [t.kind for t in tokenize("SELECT /* open")] == ["word"]
    assert [t.kind for t in tokenize(f"SELECT {HOLE} FROM t")] == ["word", "hole", "word", "word"]


def test_cql_line_comments_are_an_option() -> None:
    assert statement_keyword(tokenize("// SELECT\nINSERT INTO t", line_comments=("--", "//")))
    assert statement_keyword(tokenize("// x\nINSERT", line_comments=("--", "//"))) == "INSERT"


@pytest.mark.parametrize(
    ("sql", "stars"),
    [
        ("SELECT * FROM t", 1),
        ("select distinct on (a, b) * from t", 1),
        ('SELECT "u".* FROM users "u"', 1),
        ("SELECT count(*) FROM t", 0),
        ("SELECT EXISTS (SELECT * FROM t)", 0),
        ("WITH c AS (SELECT * FROM t) SELECT id FROM c", 0),
        ("SELECT id FROM t WHERE note = 'SELECT *'", 0),
        ("SELECT * FROM a UNION SELECT * FROM b", 2),
    ],
)
def test_star_selects_only_at_the_top_level(sql: str, stars: int) -> None:
    assert len(star_selects(tokenize(sql))) == stars


GO = """
package repo

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const table = "users"

func f(ctx context.Context, pool *pgxpool.Pool, name string, limit int, cols []string) {
	q := "SELECT id FROM " + table
	q += " WHERE name = '" + name + "'"
	pool.Query(ctx, q)
	pool.Query(ctx, fmt.Sprintf("SELECT %s FROM t LIMIT %d", strings.Join(cols, ","), limit))
	pool.Query(ctx, "SELECT 1 LIMIT "+strconv.Itoa(limit))
	pool.Query(ctx, "TRUNCATE "+pgx.Identifier{name}.Sanitize())
	pool.Query(ctx, name)
}
"""


def _calls() -> tuple[Facts, list]:
    source = SourceFile.parse("a.go", textwrap.dedent(GO).encode())
    package = PackageIndex.of([source], MODELS)
    facts = Facts(source, package, MODELS)
    calls = []
    stack = [source.root]
    while stack:
        node = stack.pop()
        if node.type == "call_expression" and node.text and node.text.startswith(b"pool.Query"):
            calls.append(node)
        stack.extend(node.children)
    return facts, sorted(calls, key=lambda n: n.start_byte)


def test_trace_follows_variables_appends_and_constants() -> None:
    facts, calls = _calls()
    argument = sql_argument(facts, calls[0])
    assert argument is not None
    sql = trace(facts, argument, before=calls[0])
    assert sql.sketch() == f"SELECT id FROM users WHERE name = '{HOLE}'"
    assert [(p.how, p.safe) for p in sql.unsafe_values()] == [("+", False)]
    assert sql.constant is None


def test_trace_reads_sprintf_verbs_and_joins() -> None:
    facts, calls = _calls()
    sql = trace(facts, sql_argument(facts, calls[1]) or calls[1], before=calls[1])
    assert sql.sketch() == f"SELECT {HOLE} FROM t LIMIT {HOLE}"
    assert [p.how for p in sql.unsafe_values()] == ["strings.Join"]


def test_numbers_quoted_identifiers_and_whole_parameters_are_not_unsafe() -> None:
    facts, calls = _calls()
    for call in calls[2:]:
        argument = sql_argument(facts, call)
        assert argument is not None
        assert trace(facts, argument, before=call).unsafe_values() == []


DROPPED = """
package repo

import (
	"context"
	"database/sql"
)

func f(ctx context.Context, db *sql.DB) int {
	var n int
	db.QueryRowContext(ctx, "SELECT 1").Scan(&n)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0
	}
	defer func() { _ = tx.Rollback() }()
	tx.Commit()
	return n
}
"""


def test_dropped_scan_and_commit_errors_are_reported_once() -> None:
    engine = Engine(Config(select=("ERR003", "PG004", "PG016")))
    source = SourceFile.parse("a.go", textwrap.dedent(DROPPED).encode())
    result = engine.lint(source)
    assert not result.failures
    assert sorted(f.code for f in result.findings) == ["PG004", "PG016"]
