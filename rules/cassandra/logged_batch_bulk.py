"""A gocql batch is filled in a loop: a logged batch used for bulk loading, or a
batch that grows with the input.

## What it does
Reports the first `batch.Query(...)`, `batch.Bind(...)` or
`batch.Entries = append(batch.Entries, ...)` inside a loop, for a batch created
before the loop in the same function (`session.NewBatch(type)`,
`gocql.NewBatch(type)`, v2's `session.Batch(type)`, `&gocql.Batch{...}`; v1 and
`apache/cassandra-gocql-driver/v2`):

- a `LoggedBatch` (also the zero `Type` of a `gocql.Batch{}` literal) filled in
  a loop that is not visibly bounded (a literal list, a constant count);
- any other batch filled in such a loop with no size cap: no `Size()` or
  `len(b.Entries)` check and no execution of the batch inside the loop.

A batch created inside an outer loop (one batch per chunk) is capped by that
loop, and so is a loop that can `break`. Batches whose type is not a literal
constant are left alone.

## Why is this bad
Batches are not a bulk-loading tool in Cassandra. A logged batch goes through
the batch log: the coordinator writes the whole batch to two other nodes first,
then applies every statement, each to its own partition's replicas. Filled from
a loop over the input, it puts a whole import on one coordinator: latency spikes,
`Batch too large` failures past `batch_size_fail_threshold` (50 KB by default),
and timeouts that retry the whole batch. An unlogged batch without a cap grows
the same way with the input.

## Example
```go
b := s.session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
for _, e := range events {
        b.Query(`INSERT INTO events (day, id, body) VALUES (?, ?, ?)`, e.Day, e.ID, e.Body)
}
return s.session.ExecuteBatch(b)
```

## Use instead
```go
// Independent rows: concurrent single writes (bounded), or an unlogged batch per partition.
g, ctx := errgroup.WithContext(ctx)
g.SetLimit(32)
for _, e := range events {
        g.Go(func() error {
                return s.session.Query(`INSERT INTO events (day, id, body) VALUES (?, ?, ?)`,
                        e.Day, e.ID, e.Body).WithContext(ctx).Exec()
        })
}
return g.Wait()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding, Facts, UseKind
from gobex.facts.flow import in_loop
from gobex.facts.syntax import arguments, is_inside, parent, text, unparen
from gobex.finding import Finding, Severity
from gobex.gotypes import BUILTIN
from gobex.rule import Match, Rule, RuleContext

from .._shared.request_scope import is_retry_loop
from . import CQL_PACKAGES
from ._loops import is_bounded_loop
from ._query_chain import is_origin

RULE = Rule(
    code="CQL005",
    name="cql-logged-batch-bulk",
    severity=Severity.WARNING,
    packages=CQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression
    operand: (identifier) @batch
    field: (field_identifier) @method)
  (#match? @method "^(Query|Bind)$")) @fill
(assignment_statement
  left: (expression_list
    (selector_expression
      operand: (identifier) @batch
      field: (field_identifier) @field))
  (#eq? @field "Entries")) @fill
""",
    doc=__doc__ or "",
)

_BATCH_TYPES = frozenset({"LoggedBatch", "UnloggedBatch", "CounterBatch"})
_EXECUTES = frozenset({"ExecuteBatch", "ExecuteBatchCAS", "MapExecuteBatchCAS"})
_BATCH_EXECUTES = frozenset({"Exec", "ExecContext", "ExecCAS", "MapExecCAS"})
_SIZES = frozenset({"Size"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    fill = match["fill"]
    loop = in_loop(fill)
    if loop is None:
        return
    facts = ctx.facts
    binding = facts.binding(match["batch"])
    if binding is None or is_inside(binding.ident, loop):
        return
    if not facts.has_tag(facts.binding_type(binding), "cql-batch"):
        return
    kind = _batch_type(facts, binding)
    if kind is None or not _first_fill(facts, binding, fill, loop):
        return
    if kind == "LoggedBatch":
        if is_bounded_loop(facts, loop):
            return
        yield ctx.finding(
            fill,
            f"logged batch {binding.name} is filled in a loop: a bulk load through the "
            "batch log of one coordinator (use single writes, or an unlogged batch per partition)",
        )
        return
    if is_bounded_loop(facts, loop) or _capped(facts, binding, loop):
        return
    if in_loop(binding.ident) is not None:
        return  # one batch per iteration of an outer loop: chunked there
    yield ctx.finding(
        fill,
        f"batch {binding.name} grows with the loop's input: no size cap before "
        "batch_size_fail_threshold rejects it",
    )


def _batch_type(facts: Facts, binding: Binding) -> str | None:
    """The BatchType constant the batch is created with, when it is a literal."""
    if binding.value is None or binding.value_index >= 0:
        return None
    value = unparen(binding.value)
    if any(_sets_type(facts, use) for use in binding.uses):
        return None
    if value.type == "unary_expression":
        operand = value.child_by_field_name("operand")
        value = unparen(operand) if operand is not None else value
    if value.type == "composite_literal":
        return _literal_type(facts, value)
    if value.type != "call_expression":
        return None
    origin = _origin_of(facts, value)
    if origin is None:
        return None
    args = arguments(origin)
    return _type_constant(facts, args[0]) if len(args) == 1 else None


def _origin_of(facts: Facts, call: Node) -> Node | None:
    """``session.NewBatch(t)`` under builder calls (``.WithContext(ctx)``)."""
    current = call
    for _ in range(50):
        if is_origin(facts, current):
            return current
        function = current.child_by_field_name("function")
        operand = (
            function.child_by_field_name("operand")
            if function is not None and function.type == "selector_expression"
            else None
        )
        if operand is None or unparen(operand).type != "call_expression":
            return None
        current = unparen(operand)
    return None


def _literal_type(facts: Facts, literal: Node) -> str | None:
    literal_type = facts.resolve_type(literal.child_by_field_name("type"))
    if literal_type is None or not literal_type.is_type("gocql", "Batch"):
        return None
    body = literal.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        if element.type != "keyed_element" or element.named_child_count != 2:
            continue
        key, value = element.named_children[0], element.named_children[1]
        if text(key) == "Type":
            inner = value.named_children[0] if value.named_children else value
            return _type_constant(facts, inner)
    return "LoggedBatch"  # the zero BatchType


def _type_constant(facts: Facts, node: Node) -> str | None:
    node = unparen(node)
    if node.type != "selector_expression":
        return None
    if facts.package_ref(node.child_by_field_name("operand")) != "gocql":
        return None
    name = text(node.child_by_field_name("field"))
    return name if name in _BATCH_TYPES else None


def _sets_type(facts: Facts, ident: Node) -> bool:
    """``b.Type = ...`` after creation."""
    del facts
    above = parent(ident)
    return (
        above is not None
        and above.type == "selector_expression"
        and text(above.child_by_field_name("field")) == "Type"
    )


def _first_fill(facts: Facts, binding: Binding, fill: Node, loop: Node) -> bool:
    """No other fill of the same batch comes before `fill` in the loop."""
    for use in facts.uses(binding):
        node = use.call if use.kind == UseKind.METHOD_CALL else None
        if node is None or node.start_byte >= fill.start_byte or not is_inside(node, loop):
            continue
        if use.path in ("Query", "Bind"):
            return False
    for target in binding.uses:
        above = parent(target)
        if (
            above is not None
            and above.type == "selector_expression"
            and text(above.child_by_field_name("field")) == "Entries"
            and above.start_byte < fill.start_byte
            and is_inside(above, loop)
            and _is_assigned(above)
        ):
            return False
    return True


def _is_assigned(selector: Node) -> bool:
    holder = parent(selector)
    statement = parent(holder) if holder is not None else None
    return (
        statement is not None
        and statement.type == "assignment_statement"
        and statement.child_by_field_name("left") == holder
    )


def _capped(facts: Facts, binding: Binding, loop: Node) -> bool:
    """Inside the loop the batch is measured (``Size()``, ``len(b.Entries)``) or
    executed, or the loop can stop (``break``)."""
    if is_retry_loop(facts, loop):
        return True
    for use in facts.uses(binding):
        if not is_inside(use.node, loop):
            continue
        if use.kind == UseKind.METHOD_CALL and (use.path in _SIZES or use.path in _BATCH_EXECUTES):
            return True
        callee = facts.callee(use.call) if use.call is not None else None
        if callee is None:
            continue
        if use.path == "Entries" and callee.package == BUILTIN and callee.name == "len":
            return True
        if not use.path and callee.name in _EXECUTES:
            return True
    return False
