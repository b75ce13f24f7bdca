"""Another query runs on the connection whose rows are still being read.

## What it does
Reports a query, exec, batch or prepare (`Query`, `QueryRow`, `Exec`,
`SendBatch`, `QueryContext`, `ExecContext`...) inside a `for rows.Next()`
loop when it runs on the same single connection the rows come from: a
`*pgx.Conn`, a `pgx.Tx`, an acquired `*pgxpool.Conn`, or a database/sql or
sqlx `*sql.Tx`. Queries through a pool (`*pgxpool.Pool`, `*sql.DB`) take
another connection and are left alone.

## Why is this bad
A PostgreSQL connection runs one statement at a time, and open rows keep
their statement running until they are read to the end or closed. The inner
query fails with "conn busy" (pgx) or a protocol error (lib/pq: "unexpected
Parse response"), usually on the first row, or only once the result set is
larger than one network buffer, which is how it passes tests and fails in
production.

## Example
```go
rows, err := tx.Query(ctx, "SELECT id FROM orders WHERE status = 'new'")
if err != nil {
        return err
}
defer rows.Close()
for rows.Next() {
        var id int64
        if err := rows.Scan(&id); err != nil {
                return err
        }
        if _, err := tx.Exec(ctx, "UPDATE orders SET queued = true WHERE id = $1", id); err != nil {
                return err // conn busy
        }
}
```

## Use instead
```go
ids, err := pgx.CollectRows(rows, pgx.RowTo[int64]) // read everything, then close
if err != nil {
        return err
}
for _, id := range ids {
        if _, err := tx.Exec(ctx, "UPDATE orders SET queued = true WHERE id = $1", id); err != nil {
                return err
        }
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import text, unparen, walk_same_function
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from . import SQL_PACKAGES

RULE = Rule(
    code="PG015",
    name="query-while-iterating",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
    query="""
(for_statement
  (call_expression
    function: (selector_expression operand: (_) @rows field: (field_identifier) @next))
  body: (block) @body
  (#eq? @next "Next")) @loop
""",
    doc=__doc__ or "",
)

# Handles that are one connection (a pool hands out another one).
_SINGLE_CONNECTION = ("pgx-conn", "pool-conn", "tx")
# What occupies the connection.
_BUSY_TAGS = frozenset({"query", "exec", "batch", "prepare", "begin"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    binding = ctx.facts.binding(unparen(match["rows"]))
    if binding is None or binding.value is None:
        return
    if not ctx.facts.has_tag(ctx.facts.binding_type(binding), "rows"):
        return
    source_call = unparen(binding.value)
    if source_call.type != "call_expression":
        return
    handle = _receiver(source_call)
    if handle is None or not _single_connection(ctx, handle):
        return
    handle_text = text(handle)
    handle_binding = ctx.facts.binding(handle)
    for node in walk_same_function(match["body"]):
        if node.type != "call_expression":
            continue
        receiver = _receiver(node)
        if receiver is None or text(receiver) != handle_text:
            continue
        if handle_binding is not None and ctx.facts.binding(receiver) is not handle_binding:
            continue
        callee = ctx.facts.callee(node)
        if callee is None or callee.spec is None or not callee.spec.tags & _BUSY_TAGS:
            continue
        yield ctx.finding(
            node,
            f"{callee.name} on {handle_text} while {binding.name} from the same connection "
            f"are still open: the connection is busy (read or close {binding.name} first)",
        )


def _receiver(call: Node) -> Node | None:
    function = call.child_by_field_name("function")
    if function is None or unparen(function).type != "selector_expression":
        return None
    operand = unparen(function).child_by_field_name("operand")
    return unparen(operand) if operand is not None else None


def _single_connection(ctx: RuleContext, handle: Node) -> bool:
    handle_type = ctx.facts.type_of(handle)
    return any(ctx.facts.has_tag(handle_type, tag) for tag in _SINGLE_CONNECTION)
