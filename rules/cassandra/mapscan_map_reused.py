"""`iter.MapScan(m)` reuses one map for every row.

## What it does
Reports `iter.MapScan(m)` on a gocql iterator, and `query.MapScan(m)` (one
row per query), inside a loop (v1 and `apache/cassandra-gocql-driver/v2`),
when `m` is made before the loop and nothing inside the loop gives it a fresh
map (`m = make(...)`, `m = map[string]interface{}{}`, `clear(m)`,
`delete(m, k)`).

The fix gives each row its own map: for `for iter.MapScan(m) {` it adds the
post statement (`for ; iter.MapScan(m); m = make(map[string]interface{}) {`);
otherwise it assigns a new map at the top of the loop body. It is unsafe when
`m` is used after the loop (that code would see an empty map).

## Why is this bad
`MapScan` uses the values already in the map as scan destinations, and
replaces every pointer with the plain value it read (`helpers.go`: "Each call
to MapScan() must be called with a new map object"). On the second row the map
holds a `string` where a `*string` is needed, the scan fails with "can not
unmarshal into non-pointer", and `MapScan` returns false: the loop ends after
one row and the error shows only in `iter.Close()` — if anyone checks it. Rows
kept from the loop (`rows = append(rows, m)`) would all be the same map anyway.

## Example
```go
row := map[string]interface{}{}
for iter.MapScan(row) {
        rows = append(rows, row)
}
```

## Use instead
```go
for row := map[string]interface{}{}; iter.MapScan(row); row = map[string]interface{}{} {
        rows = append(rows, row)
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_before
from gobex.facts import Binding, BindingKind, Facts
from gobex.facts.flow import in_loop
from gobex.facts.syntax import is_inside, parent, text, unparen
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.gotypes import BUILTIN
from gobex.rule import Match, Rule, RuleContext

from . import CQL_PACKAGES

RULE = Rule(
    code="CQL010",
    name="cql-mapscan-map-reused",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @method)
  arguments: (argument_list . (identifier) @map .)
  (#eq? @method "MapScan")) @scan
""",
    doc=__doc__ or "",
    fixable=True,
)

_FRESHENERS = frozenset({"clear", "delete"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    scan = match["scan"]
    facts = ctx.facts
    callee = facts.callee(scan)
    receiver = callee.receiver if callee is not None else None
    if receiver is None or not (
        receiver.is_type("gocql", "Iter") or receiver.is_type("gocql", "Query")
    ):
        return
    loop = in_loop(scan)
    if loop is None:
        return
    binding = facts.binding(match["map"])
    if binding is None or binding.kind not in (BindingKind.SHORT, BindingKind.VAR):
        return
    if is_inside(binding.ident, loop) or binding.value is None or binding.value_index >= 0:
        return
    if _freshened(facts, binding, loop):
        return
    yield ctx.finding(
        scan,
        f"{binding.name} is reused by MapScan for every row: from the second row on "
        "the scan fails (the map holds values, not pointers); make a new map per row",
        fixes=[_fix(ctx, binding, loop, scan)],
    )


def _freshened(facts: Facts, binding: Binding, loop: Node) -> bool:
    """Inside the loop the map is replaced, cleared or emptied."""
    if any(is_inside(target, loop) for target in binding.assignments):
        return True
    for use in binding.uses:
        if not is_inside(use, loop):
            continue
        holder = parent(use)
        call = parent(holder) if holder is not None and holder.type == "argument_list" else None
        if call is None:
            continue
        callee = facts.callee(call)
        if callee is not None and callee.package == BUILTIN and callee.name in _FRESHENERS:
            return True
    return False


def _fix(ctx: RuleContext, binding: Binding, loop: Node, scan: Node) -> Fix | None:
    value = unparen(binding.value) if binding.value is not None else None
    if value is None or value.type not in ("call_expression", "composite_literal"):
        return None
    if value.type == "call_expression" and text(value.child_by_field_name("function")) != "make":
        return None
    fresh = f"{binding.name} = {text(value)}"
    unsafe = any(use.start_byte >= loop.end_byte for use in binding.uses)
    condition = _plain_condition(loop)
    if condition is not None and is_inside(scan, condition):
        edit = TextEdit(condition.start_byte, condition.end_byte, f"; {text(condition)}; {fresh}")
        return ctx.fix(f"Add `{fresh}` as the loop's post statement", [edit], unsafe=unsafe)
    if condition is None and _in_header(scan, loop):
        return None
    first = _first_statement(loop)
    if first is None:
        return None
    edit = insert_statement_before(ctx.source, first, fresh)
    return ctx.fix(f"Start each iteration with `{fresh}`", [edit], unsafe=unsafe)


def _plain_condition(loop: Node) -> Node | None:
    """The condition of ``for cond {`` (a loop without init or post statement)."""
    body = loop.child_by_field_name("body")
    for child in loop.named_children:
        if child == body or child.type == "comment":
            continue
        return None if child.type in ("for_clause", "range_clause") else child
    return None


def _in_header(scan: Node, loop: Node) -> bool:
    body = loop.child_by_field_name("body")
    return body is None or not is_inside(scan, body)


def _first_statement(loop: Node) -> Node | None:
    body = loop.child_by_field_name("body")
    if body is None:
        return None
    for child in body.named_children:
        if child.type == "statement_list":
            items = [c for c in child.named_children if c.type != "comment"]
            return items[0] if items else None
        if child.type != "comment":
            return child
    return None
