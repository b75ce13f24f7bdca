"""A gocql query is used after `Release()`, or shared between goroutines.

## What it does
Reports, for a `*gocql.Query` held in a local variable (v1 and
`apache/cassandra-gocql-driver/v2`):

- a use of the query after `q.Release()` (later in the same block, or in the
  next iteration of a loop that releases a query declared outside it), unless
  the variable is assigned a new query in between; a deferred `Release()` is
  fine;
- a query started in a goroutine (`go func() { q.Exec() }()`) when the same
  query is also used by another goroutine: a `go` statement inside a loop while
  the query is declared outside it, two `go` statements, or the parent using it
  after the `go` statement.

## Why is this bad
`Release()` returns the query to gocql's pool: the next `session.Query` may hand
the same object, reset and refilled, to another request. A release followed by
another `Exec` or `Iter` runs someone else's statement with someone else's
values, or a half-reset one, and it happens only under concurrency, so it looks
like random corruption in production. A `*gocql.Query` is also not safe for
concurrent use (its values, paging state and metrics are plain fields):
sharing one between goroutines races (driver issue #1269).

## Example
```go
q := s.session.Query(`UPDATE users SET seen = ? WHERE id = ?`, now, id)
err := q.WithContext(ctx).Exec()
q.Release()
if err != nil {
        return q.Exec() // retry on a released query
}
```

## Use instead
```go
q := s.session.Query(`UPDATE users SET seen = ? WHERE id = ?`, now, id)
defer q.Release()
if err := q.WithContext(ctx).Exec(); err != nil {
        return q.WithContext(ctx).Exec()
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding, Facts
from gobex.facts.flow import dominates, in_loop, is_deferred
from gobex.facts.syntax import is_inside, parent
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from . import CQL_PACKAGES

RULE = Rule(
    code="CQL011",
    name="cql-query-used-after-release",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression
    operand: (identifier) @query
    field: (field_identifier) @method)
  (#eq? @method "Release")) @release
(go_statement (call_expression function: (func_literal) @literal)) @go
""",
    doc=__doc__ or "",
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    release = match.get("release")
    if release is not None:
        yield from _after_release(ctx, release, match["query"])
        return
    yield from _shared(ctx, match["go"], match["literal"])


def _query_binding(facts: Facts, ident: Node) -> Binding | None:
    binding = facts.binding(ident)
    if binding is None or not facts.has_tag(facts.binding_type(binding), "cql-query"):
        return None
    return binding


def _after_release(ctx: RuleContext, release: Node, ident: Node) -> Iterator[Finding]:
    facts = ctx.facts
    binding = _query_binding(facts, ident)
    if binding is None or is_deferred(release):
        return
    loop = in_loop(release)
    loop = loop if loop is not None and not is_inside(binding.ident, loop) else None
    for use in binding.uses:
        if use == ident:
            continue
        later = use.start_byte >= release.end_byte and dominates(release, use)
        next_iteration = (
            loop is not None and is_inside(use, loop) and use.start_byte < release.start_byte
        )
        if not (later or next_iteration):
            continue
        if _reassigned_between(binding, release, use, loop if next_iteration else None):
            continue
        where = "in the next iteration, after" if next_iteration else "after"
        yield ctx.finding(
            use,
            f"{binding.name} is used {where} {binding.name}.Release(): "
            "gocql may already have handed it to another caller",
            related=[ctx.related(release, "released here")],
        )
        return


def _reassigned_between(binding: Binding, release: Node, use: Node, loop: Node | None) -> bool:
    for target in binding.assignments:
        if loop is None and release.end_byte <= target.start_byte < use.start_byte:
            return True
        if loop is not None and is_inside(target, loop):
            return True  # a new query each iteration
    return False


def _shared(ctx: RuleContext, go: Node, literal: Node) -> Iterator[Finding]:
    facts = ctx.facts
    function = facts.enclosing_function(go)
    if function is None:
        return
    for binding in facts.bindings_in(function):
        if is_inside(binding.ident, literal):
            continue
        inside = [u for u in binding.uses if is_inside(u, literal)]
        if not inside or _query_binding(facts, binding.ident) is None:
            continue
        reason = _second_user(facts, binding, go, literal)
        if reason is not None:
            yield ctx.finding(
                inside[0],
                f"query {binding.name} is shared between goroutines ({reason}): "
                "a *gocql.Query is not safe for concurrent use",
            )


def _second_user(facts: Facts, binding: Binding, go: Node, literal: Node) -> str | None:
    loop = in_loop(go)
    if loop is not None and not is_inside(binding.ident, loop) and not binding.assignments:
        return "started in a loop"
    for use in binding.uses:
        if is_inside(use, literal):
            continue
        other = _go_of(facts, use)
        if other is not None and other != go:
            return "another goroutine uses it"
        if other is None and use.start_byte >= go.end_byte:
            return "the caller uses it after the go statement"
    return None


def _go_of(facts: Facts, node: Node) -> Node | None:
    """The ``go`` statement whose func literal holds `node`, if any."""
    function = facts.enclosing_function(node)
    while function is not None and function.type == "func_literal":
        call = parent(function)
        holder = parent(call) if call is not None else None
        if holder is not None and holder.type == "go_statement":
            return holder
        function = facts.enclosing_function(function)
    return None
