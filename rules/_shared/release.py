"""The "a value that must be released is not" mechanism, shared by every rule of
that family (rows, statements, pooled connections, response bodies, clients...).

A rule names a model tag (``rows``, ``stmt``, ``pool-conn``...); the models say
which types carry the tag and which calls release them. A value is fine when it
is released on every way out of its scope, returned, stored, passed to a
function that may take ownership, or captured by a closure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gobex.edits import error_name_of, insert_after_err_check
from gobex.facts import Binding
from gobex.facts.facts import error_check
from gobex.facts.syntax import (
    arguments,
    call_function_parts,
    expression_list,
    parent,
    text,
    unparen,
    walk,
)
from gobex.finding import Finding
from gobex.rule import RuleContext

# The statements a call's results can be bound by.
BINDING_QUERY = """
(short_var_declaration right: (expression_list (call_expression) @call)) @decl
(assignment_statement right: (expression_list (call_expression) @call)) @decl
(var_spec value: (expression_list (call_expression) @call)) @decl
(expression_statement (call_expression) @call) @decl
"""


@dataclass(frozen=True)
class Bound:
    """Where one result of a call went."""

    call: Node
    declaration: Node
    index: int  # result index
    target: Node | None  # the identifier (or `_`) receiving it; None for a dropped call
    binding: Binding | None


def bound_result(ctx: RuleContext, call: Node, declaration: Node, tag: str) -> Bound | None:
    """The result of `call` whose type carries `tag`, and what receives it.

    None when no result carries the tag, or when the call is not the whole
    right-hand side (e.g. ``x := f(g())`` for the inner call).
    """
    results = ctx.facts.result_types(call)
    if not results:
        return None
    index = next((i for i, t in enumerate(results) if ctx.facts.has_tag(t, tag)), None)
    if index is None:
        return None
    if declaration.type == "expression_statement":
        return Bound(call, declaration, index, None, None)
    left_field = "name" if declaration.type == "var_spec" else "left"
    right_field = "value" if declaration.type == "var_spec" else "right"
    if declaration.type == "var_spec":
        left = declaration.children_by_field_name("name")
    else:
        left = expression_list(declaration.child_by_field_name(left_field))
    right = expression_list(declaration.child_by_field_name(right_field))
    if len(right) == 1 and unparen(right[0]) == call:
        position = index
    elif len(right) == len(left) and call in [unparen(r) for r in right] and len(results) == 1:
        position = [unparen(r) for r in right].index(call)
    else:
        return None
    if position >= len(left):
        return None
    target = left[position]
    if target.type != "identifier":
        # Assigned to a field, map element...: stored, the owner releases it.
        return None
    binding = ctx.facts.binding(target)
    return Bound(call, declaration, index, target, binding)


def _expects_failure(declaration: Node, name: str | None = None) -> bool:
    """`_, err = db.Query(bad)` followed by `if err == nil { ... }`, or
    `if _, err := db.Conn(ctx); err != context.Canceled { ... }`: the code expects
    the call to fail (tests do this), so there is nothing to release.

    With `name` (the value was bound, not discarded) the branch where the call
    succeeded must not use the value: ``stmt, err = db.Prepare(bad)`` followed by
    ``if err == nil { t.Error("error was expected") }``."""
    check = error_check(declaration)
    if check is None:
        return name is None and _expects_named_error(declaration)
    if check.valid is None or check.valid != check.statement.child_by_field_name("consequence"):
        return False
    if name is not None and any(
        n.type == "identifier" and text(n) == name for n in walk(check.valid)
    ):
        return False
    if check.statement != parent(declaration):
        return True
    # `if _, err := db.Prepare(bad); err == nil { t.Fatal(...) }`: the initializer
    # form only when the success branch reports a failure.
    return _reports_failure(check.valid)


_FAILURE_CALLS = frozenset(("Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow", "panic"))


def _reports_failure(block: Node) -> bool:
    """`block` calls ``t.Error``/``t.Fatal``... or ``panic``: the test fails there."""
    for node in walk(block):
        if node.type == "call_expression" and call_function_parts(node)[1] in _FAILURE_CALLS:
            return True
    return False


def _expects_named_error(declaration: Node) -> bool:
    """The ``if`` that `declaration` initializes, or the ``if`` right after it,
    compares its error with `!=` to something other than nil (an expected error
    value), or tests ``!errors.Is(err, X)``."""
    statement = parent(declaration)
    if statement is None or statement.type != "if_statement":
        statement = declaration.next_named_sibling
        while statement is not None and statement.type == "comment":
            statement = statement.next_named_sibling
        if statement is None or statement.type != "if_statement":
            return False
    condition = statement.child_by_field_name("condition")
    if condition is None:
        return False
    condition = unparen(condition)
    if condition.type == "unary_expression":
        operator = condition.child_by_field_name("operator")
        operand = condition.child_by_field_name("operand")
        if operator is None or operator.type != "!" or operand is None:
            return False
        operand = unparen(operand)
        if operand.type != "call_expression":
            return False
        receiver, method = call_function_parts(operand)
        args = arguments(operand)
        return (
            receiver is not None
            and text(receiver) == "errors"
            and method in ("Is", "As")
            and len(args) == 2
            and "err" in text(args[0]).lower()
        )
    if condition.type != "binary_expression":
        return False
    operator = condition.child_by_field_name("operator")
    left = condition.child_by_field_name("left")
    right = condition.child_by_field_name("right")
    return (
        operator is not None
        and operator.type == "!="
        and left is not None
        and "err" in text(left).lower()
        and right is not None
        and right.type != "nil"
    )


def callee_label(ctx: RuleContext, call: Node) -> str:
    callee = ctx.facts.callee(call)
    return callee.name if callee is not None else "the call"


def check_released(
    ctx: RuleContext,
    call: Node,
    declaration: Node,
    *,
    tag: str,
    noun: str,
    verb: str = "closed",
    plural: bool = False,
    fixable: bool = True,
) -> Iterator[Finding]:
    """Findings for a tagged value from `call` that is not released: "<noun> from
    <Call> is never <verb>" (``are`` when `plural`)."""
    be = "are" if plural else "is"
    bound = bound_result(ctx, call, declaration, tag)
    if bound is None:
        return
    spec = ctx.facts.type_spec((ctx.facts.result_types(call) or ())[bound.index])
    release = spec.release[0] if spec is not None and spec.release else "Close"
    label = callee_label(ctx, call)
    if bound.target is None or text(bound.target) == "_":
        if not _expects_failure(declaration):
            yield ctx.finding(call, f"{noun} from {label} {be} discarded and never {verb}")
        return
    binding = bound.binding
    if binding is None:
        return
    releasing = ctx.facts.releases(binding)
    if ctx.facts.escape(binding) is not None:
        return
    name = binding.name
    if not releasing:
        if _expects_failure(declaration, name):
            return
        fix = None
        if fixable:
            code = f"defer {name}.{release}()"
            edit = insert_after_err_check(ctx.source, declaration, code, error_name_of(declaration))
            fix = ctx.fix(f"Add `{code}`", [edit])
        yield ctx.finding(call, f"{noun} from {label} {be} never {verb}", fixes=[fix])
        return
    if declaration.type == "assignment_statement":
        # `rows, err = ...` re-assigns a variable declared elsewhere, often in
        # branches: only "never released" is certain enough to report.
        return
    leak = ctx.facts.unreleased_exit(binding, releasing, declaration)
    if leak is not None:
        where = "this return" if leak.type == "return_statement" else "the end of the block"
        yield ctx.finding(
            call,
            f"{noun} from {label} {be} not {verb} on every path ({name}.{release}() is skipped)",
            related=[ctx.related(leak, f"{where} leaves without {name}.{release}()")],
        )
