"""`rows.Err()` is not checked after the `rows.Next()` loop.

## What it does
Reports a `for rows.Next() { ... }` loop over `*sql.Rows`, `*sqlx.Rows` or
`pgx.Rows` when nothing looks at `rows.Err()` once the loop is done: no call
after the loop (or in a deferred function), or only calls whose result is
dropped (`rows.Err()` as a statement, `_ = rows.Err()`). Rows that are
returned, stored, passed to another function outside the loop or handed to a
pgx helper that reports the error itself (`pgx.CollectRows`, `ForEachRow`...)
are left alone; passing the rows to a helper inside the loop (to scan one row)
does not hand them over. The fix (unsafe: the function starts returning an
error it used to swallow) adds `if err := rows.Err(); err != nil { return ..., err }`
after the loop when the function returns an error.

## Why is this bad
`Next` returns false both at the end of the result set and when reading it
fails: a dropped connection, a statement timeout, a row that cannot be decoded.
Without `rows.Err()` the loop ends early and the function returns a truncated
result as if it were complete: a report that silently misses rows, a batch job
that marks unprocessed items as done.

## Example
```go
for rows.Next() {
        var u User
        if err := rows.Scan(&u.ID, &u.Name); err != nil {
                return nil, err
        }
        users = append(users, u)
}
return users, nil
```

## Use instead
```go
for rows.Next() {
        var u User
        if err := rows.Scan(&u.ID, &u.Name); err != nil {
                return nil, err
        }
        users = append(users, u)
}
if err := rows.Err(); err != nil {
        return nil, err
}
return users, nil
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_after
from gobex.facts import Binding, Use, UseKind
from gobex.facts.syntax import is_inside, unparen
from gobex.finding import Finding, Fix, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.results import result_dropped, zero_values
from . import SQL_PACKAGES

RULE = Rule(
    code="PG002",
    name="rows-err-unchecked",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
    query="""
    (for_statement
      (call_expression
        function: (selector_expression operand: (_) @rows field: (field_identifier) @next))
      (#eq? @next "Next")) @loop
    (for_statement
      (for_clause
        condition: (call_expression
          function: (selector_expression operand: (_) @rows field: (field_identifier) @next)))
      (#eq? @next "Next")) @loop
    """,
    doc=__doc__ or "",
    fixable=True,
)

# Uses by which the rows reach code that may call Err() itself.
_HANDED_OVER = frozenset(
    {
        UseKind.RETURNED,
        UseKind.STORED,
        UseKind.PASSED,
        UseKind.CONSUMED,
        UseKind.SENT,
        UseKind.ADDRESS,
        UseKind.ALIASED,
    }
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    rows_node = unparen(match["rows"])
    binding = ctx.facts.binding(rows_node)
    if binding is None or not ctx.facts.has_tag(ctx.facts.binding_type(binding), "rows"):
        return
    loop = match["loop"]
    uses = ctx.facts.uses(binding)
    if any(_handed_over(use, loop) for use in uses):
        return
    checks = [use for use in uses if _err_after(use, loop)]
    if any(use.call is not None and not result_dropped(use.call) for use in checks):
        return
    name = binding.name
    # Report the loop header only (`for rows.Next()`), not the whole loop.
    body = loop.child_by_field_name("body")
    end = body.start_byte if body is not None else loop.end_byte
    at = (loop.start_byte, end if end > loop.start_byte else loop.end_byte)
    if checks:
        message = f"{name}.Err() is called after the {name}.Next() loop but its error is dropped"
        yield ctx.finding(at, message)
        return
    message = f"{name}.Err() is never checked after the {name}.Next() loop"
    yield ctx.finding(at, message, fixes=[_fix(ctx, loop, binding)])


def _handed_over(use: Use, loop: Node) -> bool:
    """True for a use that gives the rows to code that may check Err: returned,
    stored, consumed by a pgx helper, or passed to a function outside the loop.
    A call inside the loop that takes the rows scans the current row."""
    if use.kind not in _HANDED_OVER or use.path:
        return False  # rows.Field passed on is not the rows
    return not (use.kind == UseKind.PASSED and is_inside(use.node, loop))


def _err_after(use: Use, loop: Node) -> bool:
    """A `rows.Err()` call that runs once the loop is done: after it in the
    source, or in a deferred or other function literal."""
    if use.kind != UseKind.METHOD_CALL or use.path != "Err" or use.call is None:
        return False
    if use.in_closure or use.deferred:
        return True
    return use.call.start_byte >= loop.end_byte


def _fix(ctx: RuleContext, loop: Node, binding: Binding) -> Fix | None:
    """Insert ``if err := rows.Err(); err != nil { return ..., err }`` after the loop."""
    function = ctx.facts.enclosing_function(loop)
    if function is None or not ctx.facts.returns_error(function):
        return None
    zeros = zero_values(ctx, function)
    if zeros is None:
        return None
    results = ", ".join([*zeros, "err"])
    code = f"if err := {binding.name}.Err(); err != nil {{\n\treturn {results}\n}}"
    edit = insert_statement_after(ctx.source, loop, code)
    return ctx.fix(f"Return `{binding.name}.Err()` after the loop", [edit], unsafe=True)
