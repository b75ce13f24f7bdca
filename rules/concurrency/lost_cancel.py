"""The cancel function of a derived context is discarded or not called on every path.

## What it does
Reports the cancel function returned by `context.WithCancel`, `WithTimeout`,
`WithDeadline`, `WithCancelCause`, `WithTimeoutCause` and `WithDeadlineCause`
when it is assigned to `_`, or when some path from the call to a `return` (or
to the end of the function) never uses it. As in `go vet`'s `lostcancel`, any
use counts: calling it, deferring it, returning it, storing it in a field,
passing it on or capturing it in a closure. A cancel function held in a struct
field or in a variable of an enclosing function belongs to its owner and is
left alone, and so is `main` (returning from it ends the process), and so is a
context whose deadline is already past (`WithTimeout(ctx, -time.Second)`,
`WithDeadline(ctx, time.Unix(0, 0))`): it is cancelled inside the call. Beyond vet,
functions of the package that derive a context and return its cancel function
(`ctx, cancel := s.withTimeout(ctx)`) are checked too, outside `_test.go` files.

## Why is this bad
A derived context stays registered with its parent until it is cancelled: the
parent keeps a reference to it, and `WithTimeout`/`WithDeadline` keep a timer
running until the deadline. A request handler that leaks one per call grows
the parent's children map and the runtime's timer heap until the process runs
out of memory, and goroutines selecting on `ctx.Done()` wait for the full
timeout instead of finishing when the work is done.

## Example
```go
func (s *Service) Fetch(ctx context.Context, id string) (*Item, error) {
        ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
        item, err := s.store.Get(ctx, id)
        if err != nil {
                return nil, err // cancel is never called on this path
        }
        cancel()
        return item, nil
}
```

## Use instead
```go
func (s *Service) Fetch(ctx context.Context, id string) (*Item, error) {
        ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
        defer cancel()
        return s.store.Get(ctx, id)
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_after, insert_statement_before
from gobex.facts import BindingKind
from gobex.facts.flow import in_loop, statement_of
from gobex.facts.package import FileDecls
from gobex.facts.syntax import (
    call_function_parts,
    enclosing_function,
    function_name,
    text,
    top_level_declaration,
    unparen,
    walk,
)
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.paths import exit_without, terminates_by_name
from .._shared.release import BINDING_QUERY, Bound, bound_result

RULE = Rule(
    code="CON001",
    name="lost-cancel",
    severity=Severity.ERROR,
    packages=("context",),
    query=BINDING_QUERY,
    doc=__doc__ or "",
    fixable=True,
    scope=Scope.CALLEES,  # a helper's body (in another file: a new package context) decides
)

CANCEL_TAG = "cancel-func"
DERIVES_TAG = "derives-cancel"


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call, declaration = match["call"], match["decl"]
    function = enclosing_function(call)
    if function is None or _is_main(ctx, function) or not _derives_cancel(ctx, call):
        return
    if _expired_at_birth(ctx, call):
        return
    bound = bound_result(ctx, call, declaration, CANCEL_TAG)
    if bound is None:
        return  # stored in a field or an element: its owner cancels it
    label = text(call.child_by_field_name("function"))
    if bound.target is None or text(bound.target) == "_":
        yield ctx.finding(
            call,
            f"the cancel function from {label} is discarded (context leak)",
            fixes=[_discarded_fix(ctx, bound)],
        )
        return
    binding = bound.binding
    if binding is None or binding.function != function:
        return  # a package variable, or one of an enclosing function: not ours to judge
    events = [u for u in binding.uses if not _blank_assigned(u)]
    events += [a for a in binding.assignments if a != bound.target]
    leak = exit_without(
        function,
        declaration,
        events,
        terminates=lambda c: _terminates(ctx, c),
        naked_return_is_event=binding.kind == BindingKind.RESULT,
    )
    if leak is None:
        return
    name = binding.name
    fix = _defer_fix(ctx, bound, name, rename=None)
    if not any(u.start_byte > call.end_byte for u in events):
        yield ctx.finding(
            call, f"the cancel function from {label} is never called (context leak)", fixes=[fix]
        )
        return
    where = "this return leaves" if leak.type == "return_statement" else "the function ends here"
    yield ctx.finding(
        call,
        f"the cancel function from {label} is not called on every path (context leak)",
        fixes=[fix],
        related=[ctx.related(leak, f"{where} without calling {name}")],
    )


_DEADLINE_FUNCTIONS = ("WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause")


def _expired_at_birth(ctx: RuleContext, call: Node) -> bool:
    """`WithTimeout(ctx, -time.Second)`, `WithDeadline(ctx, time.Unix(0, 0))`:
    a deadline already past cancels the context inside the call (it is never
    registered with its parent and starts no timer), so nothing leaks. Tests
    build expired contexts this way on purpose (bazil.org/fuse serve_test.go,
    cloud.google.com/go/spanner client_test.go)."""
    callee = ctx.facts.callee(call)
    if callee is None or callee.spec is None or callee.name not in _DEADLINE_FUNCTIONS:
        return False
    arguments = call.child_by_field_name("arguments")
    values = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
    if len(values) < 2:
        return False
    value = unparen(values[1])
    if callee.name.startswith("WithTimeout"):
        return _not_positive(value)
    return _past_time(ctx, value)


def _not_positive(value: Node) -> bool:
    """A duration written as `0`, `-d`, or a product whose sign is negative
    (`-1 * time.Second`); names and calls are taken for positive durations."""
    return _sign(value) <= 0


def _sign(value: Node) -> int:
    value = unparen(value)
    if value.type == "int_literal":
        return 0 if text(value).strip("0_") in ("", "x", "X", "o", "O", "b", "B") else 1
    if value.type == "unary_expression":
        operator = value.child_by_field_name("operator")
        operand = value.child_by_field_name("operand")
        if operator is None or operand is None or operator.type not in ("-", "+"):
            return 1
        return -_sign(operand) if operator.type == "-" else _sign(operand)
    if value.type == "binary_expression":
        operator = value.child_by_field_name("operator")
        left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
        if operator is not None and operator.type == "*" and left is not None and right is not None:
            return _sign(left) * _sign(right)
    return 1


def _past_time(ctx: RuleContext, value: Node) -> bool:
    """`time.Time{}`, `time.Unix(<literal>, <literal>)` (a fixed instant, long
    gone) or `time.Now().Add(<not positive>)`."""
    if value.type == "composite_literal":
        kind = value.child_by_field_name("type")
        return kind is not None and _time_name(ctx, kind) == "Time"
    if value.type != "call_expression":
        return False
    function = value.child_by_field_name("function")
    arguments = value.child_by_field_name("arguments")
    values = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
    if function is None:
        return False
    if _time_name(ctx, function) == "Unix":
        return len(values) == 2 and all(unparen(v).type == "int_literal" for v in values)
    if function.type != "selector_expression" or len(values) != 1:
        return False
    operand, field = function.child_by_field_name("operand"), function.child_by_field_name("field")
    if field is None or text(field) != "Add" or operand is None:
        return False
    if operand.type != "call_expression":
        return False
    now = operand.child_by_field_name("function")
    return now is not None and _time_name(ctx, now) == "Now" and _not_positive(values[0])


def _time_name(ctx: RuleContext, node: Node) -> str | None:
    """`Name` when `node` is `time.Name` (the time package, however imported)."""
    if node.type not in ("selector_expression", "qualified_type"):
        return None
    operand = node.child_by_field_name("operand") or node.child_by_field_name("package")
    name = node.child_by_field_name("field") or node.child_by_field_name("name")
    if operand is None or name is None or ctx.facts.imports.package_of(text(operand)) != "time":
        return None
    return text(name)


def _is_main(ctx: RuleContext, function: Node) -> bool:
    """``func main()`` of package main: returning from it ends the process, so
    nothing leaks (vet makes the same exception)."""
    if function.type != "function_declaration" or function_name(function) != "main":
        return False
    clause = next((c for c in ctx.source.root.named_children if c.type == "package_clause"), None)
    name = clause.named_child(0) if clause is not None else None
    return name is not None and text(name) == "main"


def _derives_cancel(ctx: RuleContext, call: Node) -> bool:
    """A `context.With*` call (by model tag), or a call of a function of this
    package that derives a context and hands back its cancel function
    (``ctx, cancel := s.withDeadline(ctx)``)."""
    if not _may_derive(ctx, call):
        return False
    callee = ctx.facts.callee(call)
    if callee is None:
        return False
    if callee.spec is not None:
        return DERIVES_TAG in callee.spec.tags
    if callee.declaration is None or ctx.source.path.endswith("_test.go"):
        # Beyond vet, and only in code that ships: tests of a package that
        # implements contexts (a mock clock's WithDeadline, x/net/context's own
        # tests) discard such cancels on purpose.
        return False
    results = ctx.facts.result_types(call) or ()
    hands_back = any(ctx.facts.has_tag(t, CANCEL_TAG) for t in results) and any(
        ctx.facts.has_tag(t, "context") for t in results
    )
    # A getter returning a stored context and its cancel func owns nothing new.
    return hands_back and _derives_in(ctx, *callee.declaration)


def _may_derive(ctx: RuleContext, call: Node) -> bool:
    """Whether the name called could be a deriving function at all: one a model
    tags `derives-cancel`, or a function or method declared in the package. Most
    calls are neither, and telling so needs no name resolution."""
    operand, name = call_function_parts(call)
    if not name:
        return False
    if name in ctx.facts.models.names_with_tag(DERIVES_TAG):
        return True
    package = ctx.facts.package
    if operand is None:
        return name in package.functions
    return package.has_method_named(name)


def _derives_in(ctx: RuleContext, declaration: Node, file: FileDecls, depth: int = 0) -> bool:
    """The declaration's body calls a `derives-cancel` function of a model
    (resolved through the imports of the file that declares it), directly or
    through package functions that do (``WithTimeout`` calling ``WithDeadline``)."""
    body = declaration.child_by_field_name("body")
    for node in walk(body) if body is not None else ():
        if node.type != "call_expression":
            continue
        operand, name = call_function_parts(node)
        if operand is None:
            local = ctx.facts.package.functions.get(name)
            if (
                local is not None
                and local.node != declaration
                and depth < _HELPER_DEPTH
                and _derives_in(ctx, local.node, local.file, depth + 1)
            ):
                return True
            continue
        package = file.imports.package_of(text(operand))
        spec = ctx.facts.models.function(package, name) if package is not None else None
        if spec is not None and DERIVES_TAG in spec.tags:
            return True
    return False


_HELPER_DEPTH = 3


def _blank_assigned(ident: Node) -> bool:
    """``_ = cancel``: silences the compiler, cancels nothing."""
    right = ident.parent
    statement = right.parent if right is not None else None
    if right is None or statement is None or right.type != "expression_list":
        return False
    if statement.type != "assignment_statement" or statement.child_by_field_name("right") != right:
        return False
    left = statement.child_by_field_name("left")
    lefts = [c for c in left.named_children if c.type != "comment"] if left is not None else []
    rights = [c for c in right.named_children if c.type != "comment"]
    return len(lefts) == len(rights) and text(lefts[rights.index(ident)]) == "_"


def _terminates(ctx: RuleContext, call: Node) -> bool:
    if terminates_by_name(call):
        return True
    callee = ctx.facts.callee(call)
    return callee is not None and callee.spec is not None and "noreturn" in callee.spec.tags


def _cancel_call(ctx: RuleContext, bound: Bound, name: str) -> str:
    results = ctx.facts.result_types(bound.call) or ()
    cancel_type = results[bound.index] if bound.index < len(results) else None
    return f"{name}(nil)" if ctx.facts.has_tag(cancel_type, "takes-cause") else f"{name}()"


def _fixable_statement(bound: Bound) -> Node | None:
    """The statement after which `defer cancel()` goes, when one can: a statement
    of its own (not an `if`/`for`/`switch` header) outside any loop (a defer in a
    loop piles up until the function returns)."""
    statement = statement_of(bound.declaration)
    if statement.type == "var_declaration":
        if bound.declaration.parent != statement:
            return None
    elif statement != bound.declaration:
        return None
    if statement.parent is None or statement.parent.type != "statement_list":
        return None
    if in_loop(statement) is not None:
        return None
    return statement


def _defer_fix(ctx: RuleContext, bound: Bound, name: str, rename: Node | None) -> Fix | None:
    statement = _fixable_statement(bound)
    if statement is None:
        return None
    code = f"defer {_cancel_call(ctx, bound, name)}"
    edits = [insert_statement_after(ctx.source, statement, code)]
    title = f"Add `{code}`"
    if rename is not None:
        edits.append(TextEdit(rename.start_byte, rename.end_byte, name))
        title = f"Name the cancel function `{name}` and add `{code}`"
    return ctx.fix(title, edits, unsafe=True)


def _discarded_fix(ctx: RuleContext, bound: Bound) -> Fix | None:
    """`ctx, _ := context.WithTimeout(...)` -> `ctx, cancel := ...` + `defer cancel()`."""
    if bound.target is None:
        return None  # the whole call is a statement: the derived context is unused too
    name = _fresh_name(bound.call)
    fix = _defer_fix(ctx, bound, name, rename=bound.target)
    if fix is None or bound.declaration.type != "assignment_statement":
        return fix
    # `ctx, _ = ...` assigns: the new name needs a declaration of its own.
    results = ctx.facts.result_types(bound.call) or ()
    cancel_type = results[bound.index] if bound.index < len(results) else None
    if cancel_type is None or not cancel_type.is_named:
        return None
    qualifier = ctx.facts.imports.name_for(cancel_type.package)
    if qualifier is None or qualifier in (".", "_"):
        return None
    declare = insert_statement_before(
        ctx.source, bound.declaration, f"var {name} {qualifier}.{cancel_type.name}"
    )
    return ctx.fix(fix.title, [*fix.edits, declare], unsafe=True)


def _fresh_name(node: Node) -> str:
    """`cancel`, or `cancel2`, `cancel3`... when the declaration already uses it."""
    scope = top_level_declaration(node) or node
    taken = {text(n) for n in walk(scope) if n.type == "identifier"}
    name, number = "cancel", 1
    while name in taken:
        number += 1
        name = f"cancel{number}"
    return name
