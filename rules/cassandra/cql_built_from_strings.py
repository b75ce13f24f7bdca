"""A value is spliced into CQL text instead of bound with `?`.

## What it does
Reports CQL given to gocql (`session.Query`, `session.Bind`, `batch.Query`,
`batch.Bind`, a `gocql.BatchEntry{Stmt: ...}`; v1 and
`apache/cassandra-gocql-driver/v2`) whose text puts a run-time value where a
literal goes: inside quotes (`'%s'`), after a comparison (`id = %s`), in an
`IN (...)`/`VALUES (...)` list, after `LIMIT`/`TTL`/`CONTAINS`. The text is read
through string literals, package constants, local variables, `+` and
`fmt.Sprintf`.

Left alone: names (`FROM %s.users`, a column list), which CQL cannot bind;
constants; values that cannot carry CQL syntax (numbers, bools, `%d`,
`gocql.UUID`, `strconv.Itoa(n)`); bind-marker lists built from `"?"`
(`strings.Repeat("?,", n)`, a `strings.Join` of `"?"` elements); and `_test.go`
files. Text built with `strings.Builder` or in another function is not followed.

## Why is this bad
A value spliced into CQL is CQL injection: a name like `x' OR token(id) > 0
ALLOW FILTERING --` reads or deletes other users' rows. Even without an
attacker, a quote in a value breaks the statement, and every distinct text is a
new statement for Cassandra to parse (no prepared statement reuse: more
coordinator CPU and latency on every request).

## Example
```go
stmt := fmt.Sprintf(`SELECT id, name FROM users WHERE email = '%s'`, email)
err := s.session.Query(stmt).WithContext(ctx).Scan(&u.ID, &u.Name)
```

## Use instead
```go
err := s.session.Query(`SELECT id, name FROM users WHERE email = ?`, email).
        WithContext(ctx).Scan(&u.ID, &u.Name)
```
"""

from collections.abc import Iterator

from gobex.facts.syntax import text
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from . import CQL_PACKAGES
from ._cql import Position
from ._cql_source import STATEMENT_QUERY, Hole, cql_text, statement_site

RULE = Rule(
    code="CQL002",
    name="cql-built-from-strings",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query=STATEMENT_QUERY,
    doc=__doc__ or "",
)

_LABEL_LIMIT = 40


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    site = statement_site(ctx.facts, match)
    if site is None:
        return
    found = cql_text(ctx.facts, site.statement)
    if found is None or all(hole.safe for hole in found.holes):
        return
    positions = found.statement().hole_positions()
    for index, hole in enumerate(found.holes):
        if hole.safe or positions.get(index) != Position.VALUE:
            continue
        how = "formatted" if hole.verb else "concatenated"
        yield ctx.finding(
            hole.node,
            f"{_label(hole)} is {how} into the CQL text: bind it with `?` (CQL injection)",
        )
        return


def _label(hole: Hole) -> str:
    label = text(hole.node)
    if len(label) > _LABEL_LIMIT or "\n" in label:
        return "a value"
    return f"`{label}`"
