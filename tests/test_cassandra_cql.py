"""The CQL reader of the Cassandra rules (rules/cassandra/_cql.py), and CQL015
taking over dropped gocql errors from ERR003 (one finding per dropped error)."""

from __future__ import annotations

from pathlib import Path

from gobex.config import Config
from gobex.engine import Engine
from gobex.facts import PackageIndex
from gobex.rules.cassandra._cql import HOLE, Kind, Position, Statement, tokenize
from gobex.source import SourceFile
from tests.fixtures import RULES_DIR, Fixture


def test_comments_and_literals_hide_keywords() -> None:
    statement = Statement.parse(
        "SELECT id FROM t WHERE a = 'ALLOW FILTERING' -- ALLOW FILTERING\n"
        '/* ALLOW FILTERING */ AND "allow" = ? // allow filtering'
    )
    assert not statement.allow_filtering
    assert statement.has_where
    assert Statement.parse("select id from t where a = ? allow\n\tfiltering").allow_filtering


def test_doubled_quotes_stay_inside_the_literal() -> None:
    tokens = tokenize("UPDATE t SET v = 'it''s IF NOT EXISTS' WHERE k = ?")
    strings = [t.value for t in tokens if t.kind == Kind.STRING]
    assert strings == ["'it''s IF NOT EXISTS'"]
    assert not Statement(tokens).conditional


def test_kinds_tables_and_star() -> None:
    batch = Statement.parse("BEGIN UNLOGGED BATCH INSERT INTO t (a) VALUES (1) APPLY BATCH")
    assert batch.kind == "BATCH"
    select = Statement.parse('SELECT * FROM "Shop".orders')
    assert select.selects_star and select.table == ("Shop", "ORDERS")
    assert not Statement.parse("SELECT count(*) FROM t").selects_star
    assert Statement.parse("SELECT release_version FROM system.local").reads_system_table


def test_holes_are_placed_by_their_neighbours() -> None:
    template = f"SELECT a FROM {HOLE}.t WHERE b = {HOLE} AND c IN ({HOLE}) AND d = '{HOLE}'"
    positions = Statement.parse(template).hole_positions()
    assert positions == {
        0: Position.NAME,
        1: Position.VALUE,
        2: Position.VALUE,
        3: Position.VALUE,
    }
    assert Statement.parse(f"INSERT INTO t ({HOLE}) VALUES (?)").hole_positions() == {
        0: Position.NAME
    }
    assert Statement.parse(f"SELECT a FROM t -- {HOLE}\n").hole_positions() == {}


def test_holes_after_the_table_make_the_rest_unknown() -> None:
    assert Statement.parse(f"SELECT a FROM {HOLE}").known_after_table
    assert not Statement.parse(f"SELECT a FROM t {HOLE}").known_after_table


def test_counter_updates_and_conditions() -> None:
    update = Statement.parse("UPDATE c SET n = n + ?, m = m - 1, s = ? WHERE k = ? IF EXISTS")
    counters = update.counter_updates()
    assert [(c.column, c.marker, c.literal) for c in counters] == [
        ("N", 0, False),
        ("M", None, True),
    ]
    assert update.conditional
    assert not Statement.parse("SELECT n FROM c WHERE n = n + 1").counter_updates()
    assert not Statement.parse("CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY)").conditional


def test_dropped_gocql_errors_are_reported_by_cql015_alone() -> None:
    path = RULES_DIR / "cassandra" / "testdata" / "CQL015.go"
    fixture = Fixture(path, "CQL015")
    engine = Engine(Config(select=("CQL015", "ERR003"), preview=True))
    source = SourceFile.parse(str(path), path.read_bytes(), None)
    result = engine.lint(source, PackageIndex.of([source], engine.models), Path(path))
    lines: dict[int, list[str]] = {}
    for finding in result.findings:
        lines.setdefault(source.lines.line_of(finding.start) + 1, []).append(finding.code)
    wanted = set(fixture.expectations())
    assert wanted
    for line in wanted:
        assert lines.get(line) == ["CQL015"], (line, lines.get(line))
    # ERR003 still reports the non-gocql call the fixture keeps as a lookalike.
    assert "ERR003" in {code for codes in lines.values() for code in codes}
