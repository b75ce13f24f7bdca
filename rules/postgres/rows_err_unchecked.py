"""`rows.Err()` is not checked after the `rows.Next()` loop.

## What it does
Reports a `for rows.Next() { ... }` loop over `*sql.Rows`, `*sqlx.Rows` or
`pgx.Rows` when the function never calls `rows.Err()`. Rows that are returned,
stored, passed to another function or handed to a pgx helper that reports the
error itself (`pgx.CollectRows`, `ForEachRow`...) are left alone.

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

from gobex.facts import UseKind
from gobex.facts.syntax import unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

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
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    rows_node = unparen(match["rows"])
    binding = ctx.facts.binding(rows_node)
    if binding is None or not ctx.facts.has_tag(ctx.facts.binding_type(binding), "rows"):
        return
    uses = ctx.facts.uses(binding)
    if any(u.kind == UseKind.METHOD_CALL and u.path == "Err" for u in uses):
        return
    if any(u.kind == UseKind.CONSUMED for u in uses) or ctx.facts.escape(binding) is not None:
        return
    loop = match["loop"]
    # Report the loop header only (`for rows.Next()`), not the whole loop.
    body = loop.child_by_field_name("body")
    end = body.start_byte if body is not None else loop.end_byte
    yield ctx.finding(
        (loop.start_byte, end if end > loop.start_byte else loop.end_byte),
        f"{binding.name}.Err() is never checked after the {binding.name}.Next() loop",
    )
