"""Goroutines write a shared map, slice or counter without a lock.

## What it does
Reports a write, inside a goroutine's func literal (`go func() {...}()` or an
errgroup `g.Go(func() error {...})`), to a variable declared outside it when
several such goroutines run at once: the goroutine is started in a loop that
does not wait for it before the next iteration, or two goroutines of the same
function write the same variable with nothing waiting in between. The writes
are: a map element (`m[k] = v`, `m[k]++`, `delete(m, k)`), an `append` to a
slice (`s = append(s, v)`), and a counter (`n++`, `n += d`); the variable may
be a local, a field of one (`r.byID[id] = v`) or a package variable. Quiet
when the goroutine calls `Lock()` before the write. Writing distinct slice
elements (`results[i] = v`) is safe and not reported, nor is a variable
declared inside the loop (each goroutine has its own).

## Why is this bad
Concurrent map writes crash the process: the runtime detects them and stops
with `fatal error: concurrent map writes`, which `recover` cannot catch. A
racing `append` loses elements or corrupts the slice header (two goroutines
write the same new backing array slot), and `n++` loses increments. None of
this shows in tests with small inputs; in production it shows as a crash
under load or as counts and results that are quietly wrong.

## Example
```go
byID := make(map[string]*User)
var wg sync.WaitGroup
for _, id := range ids {
        wg.Add(1)
        go func(id string) {
                defer wg.Done()
                byID[id] = fetch(id) // concurrent map writes
        }(id)
}
wg.Wait()
```

## Use instead
```go
byID := make(map[string]*User)
var mu sync.Mutex
var wg sync.WaitGroup
for _, id := range ids {
        wg.Add(1)
        go func(id string) {
                defer wg.Done()
                u := fetch(id)
                mu.Lock()
                byID[id] = u
                mu.Unlock()
        }(id)
}
wg.Wait()
```
"""

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts.flow import in_loop
from gobex.facts.syntax import (
    arguments,
    call_function_parts,
    expression_list,
    text,
    unparen,
    walk_same_function,
)
from gobex.finding import Finding, Severity
from gobex.gotypes import BUILTIN
from gobex.rule import Match, Rule, RuleContext

from ._deferred_closures import Launch, late_closures

RULE = Rule(
    code="CON012",
    name="concurrent-map-write",
    severity=Severity.ERROR,
    query="""
(go_statement (call_expression function: (func_literal) @literal)) @launch
(call_expression
  function: (selector_expression field: (field_identifier) @method (#eq? @method "Go"))
  arguments: (argument_list (func_literal) @literal)) @launch
""",
    doc=__doc__ or "",
)

_NUMBERS = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"}
    | {"float32", "float64", "uintptr", "byte", "rune"}
)


@dataclass(frozen=True)
class _Write:
    node: Node  # the statement or call that writes
    key: str  # what is written: the variable, for matching goroutines ("m", "r.byID")
    kind: str  # "map", "append", "counter"
    declared_at: int  # where the root variable is declared (-1 for a package variable)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    launch, literal = match["launch"], match["literal"]
    if launch.type == "call_expression" and not _spawns(ctx, launch):
        return
    outer = ctx.facts.enclosing_function(launch)
    if outer is None:
        return
    writes = _writes(ctx, literal, outer)
    if not writes:
        return
    loop = in_loop(launch)
    in_parallel = loop is not None and any(
        c.literal == literal and c.launch is Launch.GOROUTINE
        for c in late_closures(ctx.facts, loop)
    )
    others = [] if in_parallel else _sibling_writes(ctx, launch, literal, outer)
    for write in writes:
        if loop is not None and in_parallel and loop.start_byte <= write.declared_at:
            continue  # declared inside the loop: each goroutine has its own
        if not in_parallel and write.key not in others:
            continue
        where = "goroutines started in this loop" if in_parallel else "several goroutines"
        yield ctx.finding(write.node, _message(write, where))


def _message(write: _Write, where: str) -> str:
    if write.kind == "map":
        return f"{where} write map {write.key} without a lock (concurrent map writes)"
    if write.kind == "append":
        return f"{where} append to {write.key} without a lock (data race)"
    return f"{where} update {write.key} without a lock (data race)"


def _spawns(ctx: RuleContext, call: Node) -> bool:
    callee = ctx.facts.callee(call)
    return callee is not None and callee.spec is not None and "spawns" in callee.spec.tags


def _writes(ctx: RuleContext, literal: Node, outer: Node) -> list[_Write]:
    """Unlocked writes of the literal to variables declared outside it."""
    body = literal.child_by_field_name("body")
    if body is None:
        return []
    found: list[_Write] = []
    locks: list[int] = []
    for node in walk_same_function(body):
        if node.type == "call_expression":
            name = call_function_parts(node)[1]
            if name in ("Lock", "RLock"):
                locks.append(node.start_byte)
            elif name == "delete" and call_function_parts(node)[0] is None:
                args = arguments(node)
                write = _map_write(ctx, args[0], node, literal) if args else None
                if write is not None:
                    found.append(write)
        elif node.type == "assignment_statement":
            found += _assignment_writes(ctx, node, literal)
        elif node.type in ("inc_statement", "dec_statement"):
            target = node.named_child(0)
            if target is not None:
                write = _target_write(ctx, unparen(target), node, literal, counter=True)
                if write is not None:
                    found.append(write)
    return [w for w in found if not any(at < w.node.start_byte for at in locks)]


def _assignment_writes(ctx: RuleContext, statement: Node, literal: Node) -> list[_Write]:
    operator = next((c.type for c in statement.children if not c.is_named), "=")
    lefts = expression_list(statement.child_by_field_name("left"))
    rights = expression_list(statement.child_by_field_name("right"))
    found = []
    for index, written in enumerate(lefts):
        left = unparen(written)
        if left.type == "index_expression":
            operand = left.child_by_field_name("operand")
            write = _map_write(ctx, operand, statement, literal) if operand else None
        elif operator == "=" and len(rights) == len(lefts) and _appends_to(rights[index], left):
            write = _outer_write(ctx, left, statement, literal, "append")
        elif operator in ("+=", "-=", "*=", "|=", "&=", "^=", "<<=", ">>="):
            write = _target_write(ctx, left, statement, literal, counter=True)
        else:
            write = None
        if write is not None:
            found.append(write)
    return found


def _appends_to(value: Node, target: Node) -> bool:
    """``x = append(x, ...)``."""
    value = unparen(value)
    if value.type != "call_expression":
        return False
    operand, name = call_function_parts(value)
    args = arguments(value)
    return operand is None and name == "append" and bool(args) and text(args[0]) == text(target)


def _target_write(
    ctx: RuleContext, target: Node, statement: Node, literal: Node, *, counter: bool
) -> _Write | None:
    if target.type == "index_expression":
        operand = target.child_by_field_name("operand")
        return _map_write(ctx, operand, statement, literal) if operand is not None else None
    target_type = ctx.facts.type_of(target)
    if counter and (
        target_type is None
        or target_type.package != BUILTIN
        or target_type.name not in _NUMBERS
        or target_type.pointer
    ):
        return None
    return _outer_write(ctx, target, statement, literal, "counter")


def _map_write(ctx: RuleContext, operand: Node, statement: Node, literal: Node) -> _Write | None:
    operand = unparen(operand)
    operand_type = ctx.facts.type_of(operand)
    if operand_type is None or operand_type.kind != "map" or operand_type.pointer:
        return None
    return _outer_write(ctx, operand, statement, literal, "map")


def _outer_write(
    ctx: RuleContext, target: Node, statement: Node, literal: Node, kind: str
) -> _Write | None:
    """A write to `target` when its root variable is declared outside `literal`
    (a local of an enclosing function, or a package variable)."""
    root = target
    while root.type == "selector_expression":
        operand = root.child_by_field_name("operand")
        if operand is None:
            return None
        root = unparen(operand)
    if root.type != "identifier" or target.type not in ("identifier", "selector_expression"):
        return None
    binding = ctx.facts.binding(root)
    if binding is None:
        if text(root) not in ctx.facts.package.variables:
            return None
        return _Write(statement, text(target), kind, -1)
    if literal.start_byte <= binding.ident.start_byte < literal.end_byte:
        return None  # declared in the goroutine: its own
    return _Write(statement, text(target), kind, binding.ident.start_byte)


def _sibling_writes(ctx: RuleContext, launch: Node, literal: Node, outer: Node) -> set[str]:
    """What the other goroutines of `outer` write, when nothing between the two
    launches may wait for the first (``wg.Wait()``, a receive)."""
    body = outer.child_by_field_name("body")
    if body is None:
        return set()
    keys: set[str] = set()
    for node in walk_same_function(body):
        other = _launched_literal(ctx, node)
        if other is None or other == literal:
            continue
        first, second = sorted((launch, node), key=lambda n: n.start_byte)
        if _waits_between(body, first, second):
            continue
        keys |= {w.key for w in _writes(ctx, other, outer)}
    return keys


def _launched_literal(ctx: RuleContext, node: Node) -> Node | None:
    if node.type == "go_statement":
        call = node.named_child(0)
        function = call.child_by_field_name("function") if call is not None else None
        function = unparen(function) if function is not None else None
        return function if function is not None and function.type == "func_literal" else None
    if node.type == "call_expression" and call_function_parts(node)[1] == "Go":
        args = arguments(node)
        last = unparen(args[-1]) if args else None
        if last is not None and last.type == "func_literal" and _spawns(ctx, node):
            return last
    return None


def _waits_between(body: Node, first: Node, second: Node) -> bool:
    for node in walk_same_function(body):
        if not first.end_byte <= node.start_byte < second.start_byte:
            continue
        if node.type == "call_expression" and call_function_parts(node)[1] in ("Wait", "Do"):
            return True
        if node.type == "unary_expression":
            operator = node.child_by_field_name("operator")
            if operator is not None and operator.type == "<-":
                return True
    return False
