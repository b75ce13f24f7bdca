"""A query selects `*`.

## What it does
Reports `SELECT *` (and `SELECT t.*`) at the top level of SQL given to a
query method (`Query`, `QueryRow`, sqlx `Get`/`Select`, pgx and pgxpool
`Query`/`QueryRow`, `Prepare`, `Batch.Queue`...). The text is read through
string constants, concatenations and local variables (the shared SQL-text
mechanism). `SELECT *` inside a subquery, a CTE or `EXISTS (...)`, in a
comment or in a string literal does not count; neither do `Exec` calls
(`INSERT INTO t SELECT * FROM u` scans nothing) nor `_test.go` files.

## Why is this bad
The columns `*` returns are decided by the table, not by the code: a
migration that adds, drops or reorders a column makes `rows.Scan` fail with
"expected 5 destination arguments" (or, worse, fill the wrong fields when
types match), sqlx's `Get`/`Select` fail on a column the struct lacks, and
every query fetches data it throws away. The deployment that migrates the
table breaks the running version of the service.

## Example
```go
row := r.pool.QueryRow(ctx, "SELECT * FROM users WHERE id = $1", id)
err := row.Scan(&u.ID, &u.Email, &u.Name)
```

## Use instead
```go
row := r.pool.QueryRow(ctx, "SELECT id, email, name FROM users WHERE id = $1", id)
err := row.Scan(&u.ID, &u.Email, &u.Name)
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.release import callee_label
from .._shared.test_files import is_test_file
from . import SQL_PACKAGES
from ._sql import SQL_CALL_QUERY, sql_argument, star_selects, tokenize, trace

RULE = Rule(
    code="PG011",
    name="select-star",
    severity=Severity.INFO,
    packages=SQL_PACKAGES,
    query=SQL_CALL_QUERY,
    doc=__doc__ or "",
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    call = match["call"]
    callee = ctx.facts.callee(call)
    if callee is None or callee.spec is None or "exec" in callee.spec.tags:
        return
    argument = sql_argument(ctx.facts, call)
    if argument is None:
        return
    sql = trace(ctx.facts, argument, before=call)
    if not any(piece.text for piece in sql.pieces):
        return
    if not star_selects(tokenize(sql.sketch())):
        return
    label = callee_label(ctx, call)
    yield ctx.finding(
        argument,
        f"SELECT * in the SQL for {label}: scanning breaks when a column is added "
        "or reordered; list the columns",
    )
