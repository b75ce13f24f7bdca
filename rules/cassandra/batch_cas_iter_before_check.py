"""The iterator of a batch CAS call is used before its error is checked.

## What it does
Reports a use of the iterator returned by `session.ExecuteBatchCAS`,
`session.MapExecuteBatchCAS` (and v2's `batch.ExecCAS`, `batch.MapExecCAS`)
that comes before the returned error is looked at: typically
`defer iter.Close()` right after the call. A nil check of the iterator
(`if iter != nil`) counts as a check. Covers gocql v1 and
`apache/cassandra-gocql-driver/v2`.

## Why is this bad
Unlike `Query.Iter()`, which always returns an iterator that carries the error,
the batch CAS calls return a nil `*Iter` together with the error when the batch
fails (`session.go`: `return false, nil, err`). `defer iter.Close()` on that
nil iterator panics when the function returns, so a timeout or an unavailable
replica during a lightweight transaction crashes the request (or the process)
instead of returning the error.

## Example
```go
applied, iter, err := s.session.ExecuteBatchCAS(b, &current)
defer iter.Close()
if err != nil {
        return false, err
}
```

## Use instead
```go
applied, iter, err := s.session.ExecuteBatchCAS(b, &current)
if err != nil {
        return false, err
}
defer iter.Close()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import expression_list, parent, text, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from . import CQL_PACKAGES

RULE = Rule(
    code="CQL013",
    name="cql-batch-cas-iter-before-check",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query="""
(short_var_declaration
  right: (expression_list
    (call_expression
      function: (selector_expression field: (field_identifier) @method)) @call)
  (#match? @method "^(ExecuteBatchCAS|MapExecuteBatchCAS|ExecCAS|MapExecCAS)$")) @decl
(assignment_statement
  right: (expression_list
    (call_expression
      function: (selector_expression field: (field_identifier) @method)) @call)
  (#match? @method "^(ExecuteBatchCAS|MapExecuteBatchCAS|ExecCAS|MapExecCAS)$")) @decl
""",
    doc=__doc__ or "",
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call, declaration = match["call"], match["decl"]
    facts = ctx.facts
    callee = facts.callee(call)
    if callee is None or callee.package != "gocql" or callee.spec is None:
        return
    results = callee.spec.returns
    if len(results) != 3 or not facts.has_tag(results[1], "cql-iter"):
        return
    lefts = expression_list(declaration.child_by_field_name("left"))
    rights = expression_list(declaration.child_by_field_name("right"))
    if len(lefts) != 3 or len(rights) != 1 or unparen(rights[0]) != call:
        return
    iterator = facts.binding(lefts[1])
    if iterator is None or lefts[1].type != "identifier":
        return
    error = facts.binding(lefts[2]) if text(lefts[2]) != "_" else None
    checked_at = _first_check(iterator.uses, error.uses if error is not None else [])
    for use in iterator.uses:
        if use.start_byte < declaration.end_byte:
            continue
        if checked_at is not None and use.start_byte >= checked_at:
            break
        label = text(call.child_by_field_name("function")).rsplit(".", 1)[-1]
        yield ctx.finding(
            _statement_or_use(use),
            f"{iterator.name} is used before the error of {label} is checked: "
            f"when the batch fails {iterator.name} is nil and this panics",
        )
        return


def _first_check(iterator_uses: list[Node], error_uses: list[Node]) -> int | None:
    """Where the error (any use of it) or a nil check of the iterator comes first."""
    positions = [u.start_byte for u in error_uses]
    positions += [u.start_byte for u in iterator_uses if _compared_with_nil(u)]
    return min(positions) if positions else None


def _compared_with_nil(use: Node) -> bool:
    holder = parent(use)
    if holder is None or holder.type != "binary_expression":
        return False
    left = holder.child_by_field_name("left")
    right = holder.child_by_field_name("right")
    other = right if left == use else left
    return other is not None and other.type == "nil"


def _statement_or_use(use: Node) -> Node:
    """``defer iter.Close()`` reads best reported whole."""
    current = parent(use)
    while current is not None and current.type in ("selector_expression", "call_expression"):
        above = parent(current)
        if above is not None and above.type == "defer_statement":
            return above
        current = above
    return use
