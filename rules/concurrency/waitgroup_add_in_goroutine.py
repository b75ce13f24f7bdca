"""`wg.Add` is called inside the goroutine it counts.

## What it does
Reports `wg.Add(...)` at the top level of a `go func() {...}()` body (staticcheck
SA2000): as its first statement, or later when the same goroutine also calls
`wg.Done()` (an `Add` right before a nested `go` counts that goroutine instead).
The wait group may be a local, a struct field (`s.wg`) or a pointer parameter;
it is recognised by its type (`sync.WaitGroup`, embedded or not) or, when the
type is out of sight, by the goroutine calling `Done` on the same value. Quiet
when an `Add` on the same group runs before the `go` statement: the goroutine
already holds a count, so `Wait` cannot return before its nested `Add`s.

## Why is this bad
`go` only schedules the goroutine; nothing says it runs before the code after
the `go` statement. When `wg.Wait()` runs first the counter is still zero and
`Wait` returns at once: the function returns while the work is still running,
results are read before they are written, and a later `Add` on a reused group
panics with "WaitGroup is reused before previous Wait has returned". The race
detector reports it only when the timing happens to show it.

## Example
```go
for _, id := range ids {
        go func(id int64) {
                wg.Add(1)
                defer wg.Done()
                reconcile(ctx, id)
        }(id)
}
wg.Wait() // may return before any goroutine has called Add
```

## Use instead
```go
for _, id := range ids {
        wg.Add(1)
        go func(id int64) {
                defer wg.Done()
                reconcile(ctx, id)
        }(id)
}
wg.Wait()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_before
from gobex.facts.syntax import (
    call_function_parts,
    enclosing_function,
    text,
    unparen,
    walk,
    walk_same_function,
)
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext

RULE = Rule(
    code="CON003",
    name="waitgroup-add-in-goroutine",
    severity=Severity.ERROR,
    query="(go_statement (call_expression function: (func_literal) @literal)) @go",
    doc=__doc__ or "",
    fixable=True,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    go, literal = match["go"], match["literal"]
    statements = _top_level_statements(literal)
    for index, statement in enumerate(statements):
        call = statement.named_child(0) if statement.type == "expression_statement" else None
        if call is None or call.type != "call_expression":
            continue
        group, name = call_function_parts(call)
        if group is None or name != "Add":
            continue
        counts_itself = _calls_done(literal, text(group))
        if not _is_wait_group(ctx, call, counts_itself):
            continue
        if index > 0 and (not counts_itself or _starts_goroutine(statements, index + 1)):
            continue  # a later Add counts a goroutine this one starts, not itself
        if _counted_before(go, text(group)):
            continue  # the goroutine already holds a count: Wait cannot return yet
        yield ctx.finding(
            call,
            f"{text(call)} runs inside the goroutine it counts; "
            f"{text(group)}.Wait may return before it",
            fixes=[_move_fix(ctx, go, literal, statements[:index], statement)],
        )


def _top_level_statements(literal: Node) -> list[Node]:
    body = literal.child_by_field_name("body")
    if body is None:
        return []
    statements = next((c for c in body.named_children if c.type == "statement_list"), None)
    if statements is None:
        return []
    return [c for c in statements.named_children if c.type != "comment"]


def _starts_goroutine(statements: list[Node], index: int) -> bool:
    return index < len(statements) and statements[index].type == "go_statement"


def _counted_before(go: Node, group: str) -> bool:
    """``<group>.Add(...)`` runs in the function before the `go` statement (the
    goroutine is counted there, and its nested Adds happen before its Done)."""
    function = enclosing_function(go)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return False
    for node in walk_same_function(body):
        if node.start_byte >= go.start_byte or node.type != "call_expression":
            continue
        operand, name = call_function_parts(node)
        if name == "Add" and operand is not None and text(operand) == group:
            return True
    return False


def _calls_done(literal: Node, group: str) -> bool:
    """The goroutine itself calls ``<group>.Done()`` (deferred or not)."""
    body = literal.child_by_field_name("body")
    if body is None:
        return False
    for node in walk_same_function(body):
        if node.type == "call_expression":
            operand, name = call_function_parts(node)
            if name == "Done" and operand is not None and text(operand) == group:
                return True
        if node.type == "defer_statement":
            # defer func() { wg.Done() }() belongs to this goroutine as well.
            deferred = node.named_child(0)
            function = deferred.child_by_field_name("function") if deferred else None
            literal_node = unparen(function) if function is not None else None
            if (
                literal_node is not None
                and literal_node.type == "func_literal"
                and _calls_done(literal_node, group)
            ):
                return True
    return False


def _is_wait_group(ctx: RuleContext, call: Node, counts_itself: bool) -> bool:
    """``Add`` of a ``sync.WaitGroup`` (also when a struct embeds one); for a type
    no model describes, a goroutine that also calls ``Done`` on it."""
    callee = ctx.facts.callee(call)
    if callee is not None and callee.receiver is not None:
        if ctx.facts.has_tag(callee.receiver, "waitgroup"):
            return True
        if callee.spec is not None:
            return False  # a modelled method of something else (a metric's Add...)
    return counts_itself


def _move_fix(
    ctx: RuleContext, go: Node, literal: Node, before: list[Node], statement: Node
) -> Fix | None:
    """Move the Add statement (with a trailing comment) to just before `go`, when
    it stands on its own line, refers to nothing the goroutine declares, and
    nothing before it in the goroutine can return (a Done would then be missing)."""
    if go.parent is None or go.parent.type != "statement_list":
        return None
    if any(n.type in ("return_statement", "goto_statement") for s in before for n in walk(s)):
        return None
    for node in walk(statement):
        if node.type != "identifier":
            continue
        binding = ctx.facts.binding(node)
        if (
            binding is not None
            and literal.start_byte <= binding.ident.start_byte < literal.end_byte
        ):
            return None
    lines = ctx.source.lines
    row = statement.start_point[0]
    line_start = lines.line_start(row)
    line_end = lines.line_end(row)
    data = ctx.source.data
    if data[line_start : statement.start_byte].strip():
        return None
    rest = data[statement.end_byte : line_end].strip()
    if rest and not rest.startswith(b"//"):
        return None
    moved = data[statement.start_byte : line_end].decode("utf-8", "surrogateescape").rstrip()
    next_line = lines.line_start(row + 1)
    edits = [
        insert_statement_before(ctx.source, go, moved),
        TextEdit(line_start, next_line, ""),
    ]
    return ctx.fix(f"Move `{text(statement)}` before the `go` statement", edits)
