"""A prepared statement is never closed.

## What it does
Reports a `*sql.Stmt`, `*sqlx.Stmt` or `*sqlx.NamedStmt` from `Prepare`,
`PrepareContext`, `Preparex`, `PreparexContext`, `PrepareNamed` or
`PrepareNamedContext` on a `*sql.DB`, `*sql.Conn` or `*sqlx.DB` that is not
closed on every path out of the function. Statements that are returned,
stored or passed on are left alone, and so are statements prepared on a
transaction (`tx.Prepare`): the transaction closes them when it ends. pgx's
`Prepare` only names a statement on the connection and is not reported. The
fix adds `defer stmt.Close()` after the error check.

## Why is this bad
A `*sql.Stmt` on a `*sql.DB` is prepared on every pooled connection that
runs it and stays prepared there until `Close`: each call that forgets it
leaves server-side prepared statements behind (memory in every backend) and
keeps the statement's bookkeeping in the pool. In a hot path the database
runs out of memory, or hits `max_prepared_statements` on poolers such as
PgBouncer.

## Example
```go
stmt, err := r.db.PrepareContext(ctx, "INSERT INTO events (kind) VALUES ($1)")
if err != nil {
        return err
}
for _, e := range events {
        if _, err := stmt.ExecContext(ctx, e.Kind); err != nil {
                return err
        }
}
return nil
```

## Use instead
```go
stmt, err := r.db.PrepareContext(ctx, "INSERT INTO events (kind) VALUES ($1)")
if err != nil {
        return err
}
defer stmt.Close()
for _, e := range events {
        if _, err := stmt.ExecContext(ctx, e.Kind); err != nil {
                return err
        }
}
return nil
```
"""

from collections.abc import Iterator

from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.release import check_released

_PREPARE = "^(Prepare|PrepareContext|Preparex|PreparexContext|PrepareNamed|PrepareNamedContext)$"
_CALL = f"""(call_expression
    function: (selector_expression
      operand: (_) @receiver
      field: (field_identifier) @method)
    (#match? @method "{_PREPARE}")) @call"""

RULE = Rule(
    code="PG013",
    name="stmt-not-closed",
    severity=Severity.ERROR,
    packages=("database/sql", "sqlx"),
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
    if ctx.facts.has_tag(ctx.facts.type_of(match["receiver"]), "tx"):
        return  # closed when the transaction commits or rolls back
    yield from check_released(ctx, match["call"], match["decl"], tag="stmt", noun="statement")
