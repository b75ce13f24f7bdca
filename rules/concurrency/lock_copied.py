"""A value holding a lock is copied.

## What it does
Reports copies of a value that contains a `sync.Mutex`, `RWMutex`,
`WaitGroup`, `Once`, `Cond`, `Map`, `Pool` or a `sync/atomic` type, directly
or through a struct type of the package that holds one by value (however
deeply nested, embedded or not): a parameter or a value receiver of such a
type, a `return` of an existing value, a `range` variable, and an assignment
or `var` declaration from an existing value. As in `go vet`'s copylocks, a
composite literal or a call's result is a new value, not a copy, and pointers
are fine. The fix (unsafe: callers must then pass a pointer) turns the
parameter or receiver into a pointer.

## Why is this bad
A mutex copied while locked is locked in the copy too, and unlocking one does
not unlock the other: the copy's users deadlock, or the two copies guard the
same map independently and the race detector (or `fatal error: concurrent map
writes`) finds it in production. A copied `WaitGroup` counts nothing the
original waits for, so `Wait` returns early or never; a copied `Once` runs its
function again; a copied atomic counter silently stops counting.

## Example
```go
type Stats struct {
        mu    sync.Mutex
        count map[string]int
}

func (s Stats) Inc(key string) { // s is a copy: its mutex guards nothing
        s.mu.Lock()
        defer s.mu.Unlock()
        s.count[key]++
}
```

## Use instead
```go
func (s *Stats) Inc(key string) {
        s.mu.Lock()
        defer s.mu.Unlock()
        s.count[key]++
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import expression_list, parent, text, unparen
from gobex.finding import Finding, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext

from ._locks import describe, lock_path

# Expressions whose value is an existing variable's (not a literal's or a call's).
_COPIED = "[(identifier) (selector_expression) (unary_expression) (index_expression)]"

RULE = Rule(
    code="CON007",
    name="lock-copied",
    severity=Severity.ERROR,
    packages=("sync", "sync/atomic"),
    query=f"""
(function_declaration parameters: (parameter_list (parameter_declaration type: (_) @type) @param))
(method_declaration parameters: (parameter_list (parameter_declaration type: (_) @type) @param))
(func_literal parameters: (parameter_list (parameter_declaration type: (_) @type) @param))
(method_declaration receiver: (parameter_list (parameter_declaration type: (_) @type) @receiver))
(return_statement (expression_list {_COPIED} @value))
(range_clause left: (expression_list (identifier) @range))
(short_var_declaration right: (expression_list {_COPIED} @value))
(assignment_statement right: (expression_list {_COPIED} @value))
(var_spec value: (expression_list {_COPIED} @value))
""",
    doc=__doc__ or "",
    fixable=True,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if match.get("param") is not None or match.get("receiver") is not None:
        yield from _parameter(ctx, match)
    elif match.get("range") is not None:
        yield from _range(ctx, match["range"])
    else:
        yield from _copied_value(ctx, match["value"])


def _parameter(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    type_node = match["type"]
    declaration = match.get("param") or match["receiver"]
    path = lock_path(ctx.facts, ctx.facts.resolve_type(type_node))
    if path is None:
        return
    names = [text(n) for n in declaration.children_by_field_name("name")]
    label = ", ".join(names) if names else text(type_node)
    fix = ctx.fix(
        f"Take `*{text(type_node)}`",
        [TextEdit(type_node.start_byte, type_node.start_byte, "*")],
        unsafe=True,
    )
    kind = "value receiver" if match.get("receiver") is not None else "parameter"
    yield ctx.finding(type_node, f"{kind} {label} copies a lock: {describe(path)}", fixes=[fix])


def _range(ctx: RuleContext, variable: Node) -> Iterator[Finding]:
    left = parent(variable)
    if left is None or text(variable) == "_":
        return
    values = expression_list(left)
    if len(values) != 2 or values[1] != variable:
        return  # the key of a map or an index: never a lock here
    binding = ctx.facts.binding(variable)
    if binding is None:
        return
    path = lock_path(ctx.facts, ctx.facts.binding_type(binding))
    if path is not None:
        yield ctx.finding(
            variable, f"range variable {binding.name} copies a lock: {describe(path)}"
        )


def _copied_value(ctx: RuleContext, value: Node) -> Iterator[Finding]:
    value = unparen(value)
    if value.type == "unary_expression":
        operator = value.child_by_field_name("operator")
        operand = value.child_by_field_name("operand")
        if operator is None or operator.type != "*" or operand is None:
            return  # &x is a pointer; <-ch, -x... are not copies of a variable
        if unparen(operand).type == "call_expression":
            return  # *f(): a new value
    if _loses_pointer(ctx, value):
        return  # *p of a **T is a pointer (GoType keeps one level of `*`)
    path = lock_path(ctx.facts, ctx.facts.type_of(value))
    if path is None:
        return
    holder = parent(parent(value) or value)
    if holder is None:
        return
    if holder.type == "return_statement":
        yield ctx.finding(value, f"return copies a lock value: {describe(path)}")
        return
    target = _target(holder, value)
    if target is None or text(target) == "_":
        return
    yield ctx.finding(value, f"assignment copies a lock value to {text(target)}: {describe(path)}")


def _loses_pointer(ctx: RuleContext, value: Node, depth: int = 0) -> bool:
    """`value` is ``*p`` of a ``**T``, or a variable initialised from one: its
    type as GoType tells (one level of pointer only) is wrong."""
    value = unparen(value)
    operator = value.child_by_field_name("operator") if value.type == "unary_expression" else None
    operand = value.child_by_field_name("operand")
    if operator is not None and operator.type == "*" and operand is not None:
        binding = ctx.facts.binding(operand)
        type_node = binding.type_node if binding is not None else None
        return (
            type_node is not None
            and type_node.type == "pointer_type"
            and any(c.type == "pointer_type" for c in type_node.named_children)
        )
    binding = ctx.facts.binding(value) if value.type == "identifier" else None
    if binding is None or binding.type_node is not None or binding.value is None or depth > 4:
        return False
    return binding.value_index < 0 and _loses_pointer(ctx, binding.value, depth + 1)


def _target(holder: Node, value: Node) -> Node | None:
    """The name or expression an assignment's `value` is written to."""
    if holder.type == "var_spec":
        names = holder.children_by_field_name("name")
        values = expression_list(holder.child_by_field_name("value"))
    else:
        names = expression_list(holder.child_by_field_name("left"))
        values = expression_list(holder.child_by_field_name("right"))
    if len(names) != len(values) or value not in values:
        return None
    return names[values.index(value)]
