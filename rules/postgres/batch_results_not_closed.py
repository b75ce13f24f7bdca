"""The results of a pgx batch are never closed.

## What it does
Reports `pgx.BatchResults` from `SendBatch` (on a `*pgx.Conn`, a `pgx.Tx`, a
`*pgxpool.Pool` or an acquired `*pgxpool.Conn`, v4 and v5) that are not
`Close()`d on every path out of the function. Results closed in the same
expression (`pool.SendBatch(ctx, b).Close()`), returned, stored or passed on
are left alone. The fix adds `defer br.Close()` after the call.

## Why is this bad
Until `BatchResults.Close` runs, the connection is busy reading the batch:
any other query on it fails with "conn busy", and on a pool the connection is
never released (jackc/pgx#610), so each call shrinks the pool by one until
every request blocks waiting for a connection.

## Example
```go
br := r.pool.SendBatch(ctx, batch)
for range items {
        if _, err := br.Exec(); err != nil {
                return err
        }
}
return nil
```

## Use instead
```go
br := r.pool.SendBatch(ctx, batch)
defer br.Close()
for range items {
        if _, err := br.Exec(); err != nil {
                return err
        }
}
return br.Close()
```
"""

from collections.abc import Iterator

from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.release import check_released

_CALL = """(call_expression
    function: (selector_expression field: (field_identifier) @method)
    (#eq? @method "SendBatch")) @call"""

RULE = Rule(
    code="PG014",
    name="batch-results-not-closed",
    severity=Severity.ERROR,
    packages=("pgx", "pgxpool"),
    query=f"""
(short_var_declaration right: (expression_list {_CALL})) @decl
(assignment_statement right: (expression_list {_CALL})) @decl
(var_spec value: (expression_list {_CALL})) @decl
(expression_statement {_CALL}) @decl
""",
    doc=__doc__ or "",
    fixable=True,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    yield from check_released(
        ctx, match["call"], match["decl"], tag="batch-results", noun="results", plural=True
    )
