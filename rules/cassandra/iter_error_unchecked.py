"""The error of a gocql iterator is never checked.

## What it does
Reports gocql iterators (`Query.Iter()`, `IterContext()`) and scanners
(`Iter.Scanner()`) whose `Close()` (iterator) or `Err()` (scanner) error is never
looked at: the iterator is never closed, closed with the error dropped
(`iter.Close()` as a statement, `defer iter.Close()`, `_ = iter.Close()`), or
chained and thrown away (`q.Iter().Scan(&v)`). A function given an iterator
or scanner as a parameter is reported when it closes it and drops the error.
`Iter.SliceMap()` returns the error too and counts as checking it. Iterators
that are returned, stored or passed on are left alone, and so are the
iterators of batch CAS calls (`ExecuteBatchCAS`, `MapExecCAS`...), which return
the query's error themselves. Both gocql v1 and
`apache/cassandra-gocql-driver/v2` are covered. The fix (unsafe) turns an
`iter.Close()` statement into `if err := iter.Close(); err != nil { return ..., err }`
when the function returns an error and the zero values of its other results
can be written.

## Why is this bad
`Iter.Scan` returns false both when the rows run out and when the query fails
(timeout, unavailable replicas, a paging error on the third page): gocql keeps
the error and hands it out only from `Close()` (or `Scanner.Err()`). Dropping it
turns a failed read into an empty or truncated result, and a service answers
"no such user" while Cassandra is down.

## Example
```go
iter := s.session.Query(`SELECT id FROM users WHERE org = ?`, org).WithContext(ctx).Iter()
var id gocql.UUID
for iter.Scan(&id) {
        ids = append(ids, id)
}
iter.Close()
return ids, nil
```

## Use instead
```go
iter := s.session.Query(`SELECT id FROM users WHERE org = ?`, org).WithContext(ctx).Iter()
var id gocql.UUID
for iter.Scan(&id) {
        ids = append(ids, id)
}
if err := iter.Close(); err != nil {
        return nil, err
}
return ids, nil
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import ESCAPING, BindingKind, Use, UseKind
from gobex.facts.syntax import text
from gobex.finding import Finding, Fix, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.error_return import return_error_fix
from .._shared.release import BINDING_QUERY, bound_result
from .._shared.results import result_dropped
from . import CQL_PACKAGES

CHAINED_QUERY = """
(call_expression
  function: (selector_expression
    operand: (call_expression) @inner
    field: (field_identifier) @method)) @outer
"""

# `iter.Close()` / `scanner.Err()` on a plain name, for iterators given as parameters.
DROPPED_QUERY = """
(call_expression
  function: (selector_expression
    operand: (identifier) @receiver
    field: (field_identifier) @m)
  (#match? @m "^(Close|Err)$")) @dropped
"""

RULE = Rule(
    code="CQL001",
    name="cql-iter-error-unchecked",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query=BINDING_QUERY + CHAINED_QUERY + DROPPED_QUERY,
    doc=__doc__ or "",
    fixable=True,
)

# Iterator methods that hand out the query's error (SliceMap returns it too).
_ITER_REPORTING = frozenset({"Close", "SliceMap"})


def _check_method(ctx: RuleContext, call: Node) -> str | None:
    """`Close` for iterators, `Err` for scanners (the call that reports the error)."""
    results = ctx.facts.result_types(call) or ()
    if any(result is not None and result.is_error for result in results):
        # Batch CAS calls return the query's error themselves (MapExecuteBatchCAS
        # returns the iterator's error as `err`): dropping Close()'s is deliberate.
        return None
    for result in results:
        if ctx.facts.has_tag(result, "cql-iter"):
            return "Close"
        if ctx.facts.has_tag(result, "cql-scanner"):
            return "Err"
    return None


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if match.get("outer") is not None:
        yield from _check_chained(ctx, match["inner"], text(match["method"]), match["outer"])
        return
    if match.get("dropped") is not None:
        if result_dropped(match["dropped"]):
            yield from _check_parameter(ctx, match["receiver"], text(match["m"]), match["dropped"])
        return
    call, declaration = match["call"], match["decl"]
    if declaration.type == "expression_statement":
        return  # a chained or bare call: handled by the chained pattern or ERR rules
    method = _check_method(ctx, call)
    if method is None:
        return
    tag = "cql-iter" if method == "Close" else "cql-scanner"
    bound = bound_result(ctx, call, declaration, tag)
    if bound is None or bound.binding is None:
        return
    binding = bound.binding
    uses = ctx.facts.uses(binding)
    names = _ITER_REPORTING if method == "Close" else frozenset({method})
    reporting = [u for u in uses if u.kind == UseKind.METHOD_CALL and u.path in names]
    transferred = [u for u in uses if u.kind == UseKind.METHOD_CALL and u.path == "Scanner"]
    if transferred and method == "Close":
        return  # the scanner's Err() reports (and closes); checked at the Scanner() call
    if any(_escapes(use) for use in uses):
        return
    if not reporting:
        kind = "iterator" if method == "Close" else "scanner"
        yield ctx.finding(
            call,
            f"{binding.name}.{method}() is never called: errors of this {kind}'s query are lost",
        )
        return
    if any(u.call is not None and not result_dropped(u.call) for u in reporting):
        return
    for use in reporting:
        assert use.call is not None
        yield ctx.finding(
            use.call,
            f"error from {binding.name}.{method}() is dropped: "
            "the query's errors surface only here",
            fixes=[_fix(ctx, use.call)],
        )


def _escapes(use: Use) -> bool:
    """True for a use that hands the iterator to other code: returned, stored,
    passed on, sent. Method calls count as this function's own, also from a
    closure (``go func() { defer iter.Close() ... }()`` still drops the error)."""
    if use.kind in ESCAPING:
        return not (use.path and use.kind == UseKind.PASSED)
    return False


def _check_parameter(
    ctx: RuleContext, receiver: Node, method: str, call: Node
) -> Iterator[Finding]:
    """`iter.Close()` dropped in a function that was given the iterator (or scanner)."""
    binding = ctx.facts.binding(receiver)
    if binding is None or binding.kind != BindingKind.PARAM:
        return
    go_type = ctx.facts.binding_type(binding)
    if ctx.facts.has_tag(go_type, "cql-iter"):
        names = _ITER_REPORTING
    elif ctx.facts.has_tag(go_type, "cql-scanner"):
        names = frozenset({"Err"})
    else:
        return
    if method not in names:
        return
    reporting = [
        u
        for u in ctx.facts.uses(binding)
        if u.kind == UseKind.METHOD_CALL and u.path in names and u.call is not None
    ]
    if any(u.call is not None and not result_dropped(u.call) for u in reporting):
        return
    yield ctx.finding(
        call,
        f"error from {binding.name}.{method}() is dropped: the query's errors surface only here",
        fixes=[_fix(ctx, call)],
    )


def _check_chained(ctx: RuleContext, inner: Node, method: str, outer: Node) -> Iterator[Finding]:
    reports = _check_method(ctx, inner)
    if reports is None:
        return
    if method == reports or (reports == "Close" and method in _ITER_REPORTING):
        if result_dropped(outer):
            yield ctx.finding(
                outer,
                f"error from {method}() is dropped: the query's errors surface only here",
                fixes=[_fix(ctx, outer)],
            )
        return
    if method == "Scanner":
        return  # the scanner is checked where it is bound
    label = text(inner.child_by_field_name("function")).rsplit(".", 1)[-1]
    yield ctx.finding(
        inner,
        f"iterator from {label}() is never closed: its query's errors are lost",
    )


def _fix(ctx: RuleContext, call: Node) -> Fix | None:
    """`iter.Close()` as a statement -> `if err := iter.Close(); err != nil { return ..., err }`."""
    return return_error_fix(ctx, call, "Return the error from Close()")
