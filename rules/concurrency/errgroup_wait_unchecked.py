"""The error of an errgroup's `Wait()` is dropped, or a plain group ignores the context.

## What it does
Reports `g.Wait()` of a `golang.org/x/sync/errgroup.Group` (a local, a
parameter, a struct field `s.group`) called as a statement, in a `go` or a
`defer` statement: the only place the group hands over its goroutines' first
error is thrown away. Quiet when another `Wait()` of the same group in the same
function reads the error (`go func() { g.Wait(); close(out) }()` next to
`return g.Wait()`), and for `_ = g.Wait()`, which discards the error in plain
sight (as ERR003 accepts `_ = f()`). ERR003 leaves `Wait` to this rule (model
tag `error-rule`), so each dropped Wait is reported once.

Also reports, at info level, a plain group (`var g errgroup.Group`,
`new(errgroup.Group)`, `&errgroup.Group{}`) whose goroutines are all func
literals that use the same outer `ctx` and at least one of which can return an
error: `errgroup.WithContext(ctx)` would cancel the others as soon as one
fails, instead of letting them run to the end for a result that is thrown away.

When the enclosing function returns an error, the fix (unsafe: the function
starts failing where it used to carry on) turns `g.Wait()` into
`if err := g.Wait(); err != nil { return ..., err }`.

## Why is this bad
`Wait` is the group's only error channel: each goroutine's `return err` ends
there. Dropped, a failed fetch, write or publish looks like success; the
caller goes on with partial results (an empty page, half of the rows written)
and nothing is logged. With a plain `Group` and a shared `ctx`, one goroutine
failing early leaves the others running their full timeouts and retries: the
request takes as long as the slowest dependency even though its result is
already lost.

## Example
```go
func (s *Service) Refresh(ctx context.Context, ids []string) error {
        var g errgroup.Group
        for _, id := range ids {
                g.Go(func() error { return s.refresh(ctx, id) })
        }
        g.Wait()
        return nil
}
```

## Use instead
```go
func (s *Service) Refresh(ctx context.Context, ids []string) error {
        g, ctx := errgroup.WithContext(ctx)
        for _, id := range ids {
                g.Go(func() error { return s.refresh(ctx, id) })
        }
        return g.Wait()
}
```
"""

import dataclasses
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding, Facts, UseKind
from gobex.facts.syntax import (
    arguments,
    call_function_parts,
    outer_holder,
    parent,
    text,
    unparen,
    walk,
)
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.error_return import return_error_fix
from ._goroutines import outermost_function

RULE = Rule(
    code="CON016",
    name="errgroup-wait-unchecked",
    severity=Severity.WARNING,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @method (#eq? @method "Wait"))
  arguments: (argument_list . ")")) @wait
(var_spec name: (identifier) @group) @declaration
(short_var_declaration
  left: (expression_list . (identifier) @group .)
  right: (expression_list . (_) .)) @declaration
""",
    doc=__doc__ or "",
    fixable=True,
)

_DROPPING = frozenset({"expression_statement", "go_statement", "defer_statement"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    wait = match.get("wait")
    if wait is not None:
        yield from _dropped_wait(ctx, wait)
        return
    finding = _without_context(ctx, match["group"])
    if finding is not None:
        yield finding


# -- the dropped Wait -------------------------------------------------------------


def _is_group_wait(facts: Facts, call: Node) -> bool:
    callee = facts.callee(call)
    return callee is not None and callee.is_method("errgroup", "Group", "Wait")


def _holder(call: Node) -> Node | None:
    return outer_holder(call)[1]


def _dropped_wait(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    holder = _holder(call)
    if holder is None or holder.type not in _DROPPING:
        return
    if not _is_group_wait(ctx.facts, call):
        return
    if _checked_elsewhere(ctx.facts, call) or _never_fails(ctx.facts, call):
        return
    label = text(call)
    fix = (
        return_error_fix(ctx, call, f"Return the error of `{label}`")
        if holder.type == "expression_statement"
        else None
    )
    yield ctx.finding(
        call,
        f"error returned by {label} is dropped: "
        "the first failure of the group's goroutines is lost",
        fixes=[fix],
    )


def _checked_elsewhere(facts: Facts, call: Node) -> bool:
    """Another ``Wait()`` of the same group, in the same top-level function, whose
    result is used: ``go func() { g.Wait(); close(out) }()`` then ``return g.Wait()``."""
    outer = outermost_function(facts, call)
    function = call.child_by_field_name("function")
    if outer is None or function is None:
        return False
    group = text(function.child_by_field_name("operand"))
    for node in walk(outer):
        if node == call or node.type != "call_expression":
            continue
        operand, name = call_function_parts(node)
        if name != "Wait" or operand is None or text(operand) != group or arguments(node):
            continue
        holder = _holder(node)
        if holder is None or holder.type in _DROPPING:
            continue
        if holder.type == "expression_list" and _all_blank(holder):
            continue
        return True
    return False


def _never_fails(facts: Facts, call: Node) -> bool:
    """A local group whose every goroutine is a func literal that only returns
    nil: its Wait always returns nil."""
    function = call.child_by_field_name("function")
    operand = function.child_by_field_name("operand") if function is not None else None
    operand = unparen(operand) if operand is not None else None
    if operand is None or operand.type != "identifier":
        return False
    binding = facts.binding(operand)
    literals = _goroutines(facts, binding) if binding is not None else []
    return bool(literals) and not any(_can_fail(literal) for literal in literals)


def _all_blank(values: Node) -> bool:
    """``_ = g.Wait()``."""
    statement = parent(values)
    if statement is None or statement.type != "assignment_statement":
        return False
    left = statement.child_by_field_name("left")
    return left is not None and all(text(n) == "_" for n in left.named_children)


# -- the plain group with an outer ctx --------------------------------------------


def _without_context(ctx: RuleContext, name: Node) -> Finding | None:
    facts = ctx.facts
    binding = facts.binding(name)
    if binding is None or binding.ident != name:
        return None
    group_type = facts.binding_type(binding)
    if group_type is None or not group_type.is_type("errgroup", "Group"):
        return None
    if binding.value is not None and _from_with_context(facts, binding.value):
        return None
    literals = _goroutines(facts, binding)
    if not literals:
        return None
    context = facts.context_in_scope(binding.decl)
    if context is None or context.expression != context.binding.name:
        return None
    uses = [_uses_context(facts, literal, context.binding) for literal in literals]
    if any(use is None for use in uses) or not any(_can_fail(lit) for lit in literals):
        return None
    first = next(use for use in uses if use is not None)
    finding = ctx.finding(
        name,
        f"errgroup.Group {binding.name} runs goroutines on {context.binding.name}: "
        f"errgroup.WithContext({context.binding.name}) would cancel the others when one fails",
        related=[ctx.related(first, f"this goroutine uses {context.binding.name}")],
    )
    if ctx.severity is RULE.severity:
        finding = dataclasses.replace(finding, severity=Severity.INFO)
    return finding


def _from_with_context(facts: Facts, value: Node) -> bool:
    value = unparen(value)
    if value.type != "call_expression":
        return False
    callee = facts.callee(value)
    return callee is not None and callee.is_function("errgroup", "WithContext")


def _goroutines(facts: Facts, binding: Binding) -> list[Node]:
    """The func literals given to the group's ``Go``/``TryGo``; empty when the
    group is used in any other way than Go/TryGo/Wait/SetLimit, or a goroutine
    is not a func literal."""
    literals: list[Node] = []
    for use in facts.uses(binding):
        if use.kind is not UseKind.METHOD_CALL or use.call is None:
            return []
        if use.path in ("Wait", "SetLimit"):
            continue
        if use.path not in ("Go", "TryGo"):
            return []
        args = arguments(use.call)
        last = _func_literal(facts, unparen(args[-1])) if args else None
        if last is None:
            return []
        literals.append(last)
    return literals


def _func_literal(facts: Facts, value: Node) -> Node | None:
    """`value` itself, or the func literal a local variable was declared with
    and never reassigned (``fn := func() error {...}; g.TryGo(fn)``)."""
    if value.type == "func_literal":
        return value
    if value.type != "identifier":
        return None
    binding = facts.binding(value)
    if binding is None or binding.value is None or binding.assignments:
        return None
    declared = unparen(binding.value)
    return declared if declared.type == "func_literal" else None


def _uses_context(facts: Facts, literal: Node, context: Binding) -> Node | None:
    for node in walk(literal):
        if (
            node.type == "identifier"
            and text(node) == context.name
            and facts.binding(node) is context
        ):
            return node
    return None


def _can_fail(literal: Node) -> bool:
    """Some ``return`` of the literal gives something other than ``nil``."""
    body = literal.child_by_field_name("body")
    if body is None:
        return False
    for node in walk(body):
        if node.type != "return_statement" or _in_nested_literal(node, literal):
            continue
        values = [c for c in node.named_children if c.type != "comment"]
        if values and text(values[-1]) != "nil":
            return True
    return False


def _in_nested_literal(node: Node, literal: Node) -> bool:
    current = parent(node)
    while current is not None and current != literal:
        if current.type == "func_literal":
            return True
        current = parent(current)
    return False
