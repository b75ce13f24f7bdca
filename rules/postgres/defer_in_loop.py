"""A resource is released with `defer` inside a loop.

## What it does
Reports `defer rows.Close()`, `defer tx.Rollback(ctx)`, `defer stmt.Close()`,
`defer conn.Release()`, `defer resp.Body.Close()` — any release method the
API models know (database/sql, sqlx, pgx, pgxpool, net/http, gocql, sarama...)
— written in the body of a `for` loop, directly or in a deferred func literal.
A `defer` inside a func literal that the loop calls each iteration
(`func() { defer rows.Close(); ... }()`) runs every iteration and is left
alone, and so is a `defer` in a block that ends in `return` (the function
returns before the next iteration) and programs run by hand
(`//go:build ignore` generators).

## Why is this bad
A deferred call runs when the function returns, not when the iteration ends.
Each iteration keeps its rows, transaction or pooled connection until then:
a loop over a thousand items holds a thousand connections (or waits forever
for one once the pool is empty), and an HTTP client keeps every response
body and its TCP connection open.

## Example
```go
for _, id := range ids {
        rows, err := r.db.QueryContext(ctx, "SELECT sku FROM items WHERE order_id = $1", id)
        if err != nil {
                return err
        }
        defer rows.Close()
        for rows.Next() { ... }
}
```

## Use instead
```go
for _, id := range ids {
        if err := r.items(ctx, id); err != nil { // closes its rows when it returns
                return err
        }
}

func (r *Repo) items(ctx context.Context, id int64) error {
        rows, err := r.db.QueryContext(ctx, "SELECT sku FROM items WHERE order_id = $1", id)
        if err != nil {
                return err
        }
        defer rows.Close()
        ...
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.flow import in_loop
from gobex.facts.syntax import parent as parent_of
from gobex.facts.syntax import text, unparen, walk_same_function
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from ._handlers import is_generator

RULE = Rule(
    code="PG010",
    name="defer-in-loop",
    severity=Severity.WARNING,
    query="""
(defer_statement
  (call_expression function: (selector_expression field: (field_identifier)) @function)) @defer
(defer_statement (call_expression function: (func_literal) @literal)) @defer
""",
    doc=__doc__ or "",
)

_LABEL_LIMIT = 40


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    defer = match["defer"]
    loop = in_loop(defer)
    if loop is None or _returns_right_after(defer) or is_generator(ctx.source.data):
        return
    function = match.get("function")
    if function is not None:
        released = _released(ctx, function)
        shown = parent_of(function) if released is not None else None
    else:
        released = _released_in_literal(ctx, match["literal"])
        shown = parent_of(released) if released is not None else None
    if shown is None:
        return
    label = " ".join(text(shown).split())
    if len(label) > _LABEL_LIMIT:
        label = label[: _LABEL_LIMIT - 1] + "…"
    yield ctx.finding(
        defer,
        f"`defer {label}` inside a loop runs only when the function returns: "
        "every iteration keeps its resource until then",
    )


def _returns_right_after(defer: Node) -> bool:
    """``defer res.Body.Close(); return nil, responseError(res)``: the block
    ends in a return, so the function returns before the next iteration."""
    block = parent_of(defer)
    if block is None:
        return False
    statements = [c for c in block.named_children if c.type != "comment"]
    return bool(statements) and statements[-1].type == "return_statement"


def _released(ctx: RuleContext, function: Node) -> Node | None:
    """`function` (``rows.Close``, ``resp.Body.Close``) when it names a release
    method of the value's modelled type."""
    path = [text(function.child_by_field_name("field"))]
    node = function.child_by_field_name("operand")
    while node is not None:
        node = unparen(node)
        spec = ctx.facts.type_spec(ctx.facts.type_of(node))
        if spec is not None and ".".join(path) in spec.release:
            return function
        if node.type != "selector_expression":
            return None
        path.insert(0, text(node.child_by_field_name("field")))
        node = node.child_by_field_name("operand")
    return None


def _released_in_literal(ctx: RuleContext, literal: Node) -> Node | None:
    """The first release call in a deferred func literal's own body."""
    body = literal.child_by_field_name("body")
    if body is None:
        return None
    for node in walk_same_function(body):
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        if function is not None and function.type == "selector_expression":
            released = _released(ctx, function)
            if released is not None:
                return released
    return None
