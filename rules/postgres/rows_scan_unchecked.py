"""The error of `Scan` on rows or a row is dropped.

## What it does
Reports `rows.Scan(...)`, `row.Scan(...)`, `db.QueryRow(...).Scan(...)` and
sqlx `StructScan`/`MapScan`/`SliceScan` (database/sql, sqlx, pgx v4/v5,
pgxpool) whose error is dropped: the call used as a statement or its error
assigned to `_`. A pgx `rows.Scan` whose rows' `Err()` is looked at is left
alone: pgx keeps the Scan error, closes the rows and `Err()` returns it. So
are `_test.go` files. ERR003 leaves these calls to this rule, so each is
reported once. The fix (unsafe: the function starts returning the error)
turns the statement into `if err := rows.Scan(...); err != nil { return ..., err }`
when the function returns an error.

## Why is this bad
`Scan` fails when a column is NULL and the destination is not nullable, when
a type does not convert, or — for `QueryRow` — when there is no row at all
(`sql.ErrNoRows`, `pgx.ErrNoRows`). With the error dropped the destination
keeps its zero value: a missing user reads as ID 0 with an empty email, a
NULL price as free, and those values are written back or returned as real
data.

## Example
```go
var u User
r.db.QueryRowContext(ctx, "SELECT id, email FROM users WHERE id = $1", id).Scan(&u.ID, &u.Email)
return u, nil
```

## Use instead
```go
var u User
err := r.db.QueryRowContext(ctx, "SELECT id, email FROM users WHERE id = $1", id).
        Scan(&u.ID, &u.Email)
if err != nil {
        return User{}, err
}
return u, nil
```
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import UseKind
from gobex.facts.syntax import text, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.error_return import return_error_fix
from .._shared.results import result_dropped
from .._shared.sql_errors import scan_error
from .._shared.test_files import is_test_file
from . import SQL_PACKAGES

RULE = Rule(
    code="PG016",
    name="rows-scan-unchecked",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression operand: (_) @receiver field: (field_identifier) @method)
  (#match? @method "^(Scan|StructScan|MapScan|SliceScan)$")) @call
""",
    doc=__doc__ or "",
    fixable=True,
)

_LABEL_LIMIT = 30


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    call = match["call"]
    callee = ctx.facts.callee(call)
    if callee is None or callee.spec is None or not scan_error(ctx.facts, callee):
        return
    if not result_dropped(call) or _statement_kind(call) in ("defer_statement", "go_statement"):
        return
    receiver = unparen(match["receiver"])
    if "error-kept" in callee.spec.tags and _err_checked(ctx, receiver):
        return
    label = _label(receiver)
    method = callee.name
    yield ctx.finding(
        call,
        f"error from {label}.{method}() is dropped: a failed scan leaves zero values behind",
        fixes=[return_error_fix(ctx, call, f"Return the error from {method}()")],
    )


def _statement_kind(call: Node) -> str:
    holder = call.parent
    return holder.type if holder is not None else ""


def _err_checked(ctx: RuleContext, receiver: Node) -> bool:
    """pgx rows whose ``Err()`` is called: Scan's error is kept and reported there."""
    binding = ctx.facts.binding(receiver)
    if binding is None:
        return False
    return any(u.kind is UseKind.METHOD_CALL and u.path == "Err" for u in ctx.facts.uses(binding))


def _label(receiver: Node) -> str:
    value = " ".join(text(receiver).split())
    if receiver.type == "call_expression" or len(value) > _LABEL_LIMIT:
        function = receiver.child_by_field_name("function")
        name = text(function).rsplit(".", 1)[-1] if function is not None else ""
        return f"{name}(...)" if name else "row"
    return value
