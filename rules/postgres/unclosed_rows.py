"""Rows from a query are never closed.

## What it does
Reports `*sql.Rows`, `*sqlx.Rows` and `pgx.Rows` (from `Query`, `QueryContext`,
`Queryx`, `NamedQuery`, pgx and pgxpool `Query`, on a pool, a connection, a
transaction or a statement) that are not closed on every path out of the
function. Rows that are returned, stored, passed to another function or handed
to a pgx helper that closes them (`pgx.CollectRows`, `CollectOneRow`,
`ForEachRow`, `AppendRows`) are left alone.

## Why is this bad
Open rows pin a connection of the pool. `database/sql` closes rows only when
`Next` returns false, so an early `return`, a `break` or a panic inside the
loop leaks the connection; pgx keeps the connection busy until `Close`. Under
load the pool drains and every request blocks in `Query` until its context
times out.

## Example
```go
func (r *Repo) Names(ctx context.Context) ([]string, error) {
        rows, err := r.db.QueryContext(ctx, "SELECT name FROM users")
        if err != nil {
                return nil, err
        }
        var names []string
        for rows.Next() {
                var n string
                if err := rows.Scan(&n); err != nil {
                        return nil, err // the connection is never given back
                }
                names = append(names, n)
        }
        return names, rows.Err()
}
```

## Use instead
```go
        rows, err := r.db.QueryContext(ctx, "SELECT name FROM users")
        if err != nil {
                return nil, err
        }
        defer rows.Close()
```
"""

from collections.abc import Iterator

from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.release import BINDING_QUERY, check_released
from . import SQL_PACKAGES

RULE = Rule(
    code="PG001",
    name="unclosed-rows",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
    query=BINDING_QUERY,
    doc=__doc__ or "",
    fixable=True,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    yield from check_released(
        ctx, match["call"], match["decl"], tag="rows", noun="rows", verb="closed", plural=True
    )
