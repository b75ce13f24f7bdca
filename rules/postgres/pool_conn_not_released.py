"""A connection taken from a pool is never given back.

## What it does
Reports a `*pgxpool.Conn` from `pool.Acquire(ctx)` that is not `Release()`d
on every path out of the function, and a `*sql.Conn` (`db.Conn(ctx)`, sqlx
`db.Connx(ctx)`) that is not `Close()`d. Connections that are returned,
stored, passed to another function or hijacked (`conn.Hijack()` hands the
connection to the caller, who must close it) are left alone. The fix adds
`defer conn.Release()` (or `defer conn.Close()`) after the error check.

## Why is this bad
An acquired connection is out of the pool until it is released. Each call
that forgets it (or returns early before the `Release`) shrinks the pool by
one; when the last connection is gone every `Acquire`, `Query` and `Exec`
blocks until its context expires, and the service is down with an idle
database.

## Example
```go
conn, err := r.pool.Acquire(ctx)
if err != nil {
        return err
}
if _, err := conn.Exec(ctx, "SET app.tenant = $1", tenant); err != nil {
        return err // the connection is never released
}
conn.Release()
```

## Use instead
```go
conn, err := r.pool.Acquire(ctx)
if err != nil {
        return err
}
defer conn.Release()
if _, err := conn.Exec(ctx, "SET app.tenant = $1", tenant); err != nil {
        return err
}
```
"""

from collections.abc import Iterator

from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.release import check_released
from . import SQL_PACKAGES

_CALL = """(call_expression
    function: (selector_expression field: (field_identifier) @method)
    (#match? @method "^(Acquire|Conn|Connx)$")) @call"""

RULE = Rule(
    code="PG006",
    name="pool-conn-not-released",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
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
    call, declaration = match["call"], match["decl"]
    yield from check_released(ctx, call, declaration, tag="pool-conn", noun="conn", verb="released")
    yield from check_released(ctx, call, declaration, tag="sql-conn", noun="conn", verb="closed")
