"""Func literals in a loop body that run after the iteration that wrote them has
moved on: goroutines, deferred calls, errgroup-style ``Go`` calls and parallel
subtests.

`go vet`'s loopclosure looks only at the last statement of the loop body
(recursively into if/switch/select and inner loops), because a goroutine
followed by ``wg.Wait()`` or ``<-done`` may finish before the loop advances.
This module is a little broader but keeps that reason:

- a goroutine (``go func(){...}()`` or ``g.Go(func() error {...})``) counts when
  every statement that runs after it in the same iteration is one that cannot
  wait for it: builtins, conversions, logging and formatting calls, plain
  assignments and arithmetic. A channel operation, a ``select``, any other call
  (``wg.Wait()``, but also ``io.ReadAll`` on the pipe the goroutine writes) or a
  ``break``/``return``/``goto`` (which ends the loop, so the variable keeps its
  value) after it make the goroutine quiet;
- a deferred func literal counts anywhere in the body unless such a jump
  follows it: defers run when the function returns, after the loop is done;
- a subtest whose func literal calls ``t.Parallel()`` counts anywhere: the test
  runner resumes parallel subtests only after the loop has finished.

Only statements of the loop's own function are considered (a literal called in
place, ``func() { defer ... }()``, runs within the iteration).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import arguments, call_function_parts, text, unparen, walk_same_function
from gobex.gotypes import BUILTIN

_JUMPS = frozenset({"break_statement", "return_statement", "goto_statement"})
_BLOCKING = frozenset({"send_statement", "select_statement"})


class Launch(StrEnum):
    """How a func literal is started; the value reads in a message."""

    GOROUTINE = "goroutine"
    DEFERRED = "deferred func"
    SUBTEST = "parallel subtest"


@dataclass(frozen=True)
class LateClosure:
    """A func literal of a loop body that runs after its iteration.

    `after` is the byte offset from which references inside the literal run late
    (past ``t.Parallel()`` for subtests; the literal's start otherwise).
    """

    literal: Node
    launch: Launch
    after: int


def late_closures(facts: Facts, loop: Node) -> Iterator[LateClosure]:
    """The func literals of `loop`'s body that may run once the loop has moved on."""
    body = loop.child_by_field_name("body")
    if body is None:
        return
    for node in walk_same_function(body):
        if node.type == "go_statement":
            literal = _called_literal(node.named_child(0))
            if literal is not None and _runs_alone(facts, node, body, defer=False):
                yield LateClosure(literal, Launch.GOROUTINE, literal.start_byte)
        elif node.type == "defer_statement":
            literal = _called_literal(node.named_child(0))
            if literal is not None and _runs_alone(facts, node, body, defer=True):
                yield LateClosure(literal, Launch.DEFERRED, literal.start_byte)
        elif node.type == "expression_statement":
            call = node.named_child(0)
            if call is None or call.type != "call_expression":
                continue
            spawned = _spawned_literal(facts, call)
            if spawned is not None and _runs_alone(facts, node, body, defer=False):
                yield LateClosure(spawned, Launch.GOROUTINE, spawned.start_byte)
            subtest = _parallel_subtest(facts, call)
            if subtest is not None:
                yield LateClosure(subtest[0], Launch.SUBTEST, subtest[1])


def _called_literal(call: Node | None) -> Node | None:
    """The func literal of ``func(){...}()``."""
    if call is None or call.type != "call_expression":
        return None
    function = call.child_by_field_name("function")
    function = unparen(function) if function is not None else None
    return function if function is not None and function.type == "func_literal" else None


def _callee_tags(facts: Facts, call: Node) -> frozenset[str]:
    callee = facts.callee(call)
    if callee is None or callee.spec is None:
        return frozenset()
    return callee.spec.tags


def _last_literal_argument(call: Node) -> Node | None:
    args = arguments(call)
    if not args:
        return None
    last = unparen(args[-1])
    return last if last.type == "func_literal" else None


def _spawned_literal(facts: Facts, call: Node) -> Node | None:
    """``g.Go(func() error {...})`` on a type whose model tags the method `spawns`."""
    literal = _last_literal_argument(call)
    if literal is None or "spawns" not in _callee_tags(facts, call):
        return None
    return literal


def _parallel_subtest(facts: Facts, call: Node) -> tuple[Node, int] | None:
    """``t.Run(name, func(t *testing.T) { t.Parallel(); ... })``: the literal and
    the offset after its top-level ``t.Parallel()`` on its own parameter.

    As vet does, only statements after the last top-level label are looked at,
    so that no ``goto`` can skip the ``Parallel`` call."""
    literal = _last_literal_argument(call)
    if literal is None or "subtest" not in _callee_tags(facts, call):
        return None
    parameter = _first_parameter(literal)
    body = literal.child_by_field_name("body")
    if parameter is None or body is None:
        return None
    statements = next((c for c in body.named_children if c.type == "statement_list"), None)
    if statements is None:
        return None
    items = [c for c in statements.named_children if c.type != "comment"]
    labels = [i for i, item in enumerate(items) if item.type == "labeled_statement"]
    for item in items[labels[-1] if labels else 0 :]:
        statement = item
        while statement.type == "labeled_statement" and statement.named_child_count > 1:
            statement = statement.named_children[-1]
        inner = statement.named_child(0) if statement.type == "expression_statement" else None
        if inner is None or inner.type != "call_expression":
            continue
        operand, name = call_function_parts(inner)
        if (
            name == "Parallel"
            and operand is not None
            and text(operand) == parameter
            and "parallel" in _callee_tags(facts, inner)
        ):
            return literal, statement.end_byte
    return None


def _first_parameter(literal: Node) -> str | None:
    parameters = literal.child_by_field_name("parameters")
    declaration = parameters.named_child(0) if parameters is not None else None
    name = declaration.child_by_field_name("name") if declaration is not None else None
    return text(name) if name is not None and text(name) != "_" else None


def _runs_alone(facts: Facts, statement: Node, body: Node, *, defer: bool) -> bool:
    """True when nothing that runs after `statement` in the same iteration of the
    loop whose body is `body` can wait for it (for a goroutine) or end the loop
    (for both): every statement after it in its block, and after each enclosing
    statement up to `body`, is harmless. As in vet, an inner loop's statements
    before `statement` are not looked at, although they run again after it."""
    current = statement
    while current != body:
        holder = current.parent
        if holder is None:
            return False
        if holder.type == "statement_list":
            siblings = [c for c in holder.named_children if c.type != "comment"]
            index = siblings.index(current) if current in siblings else len(siblings)
            if not all(_harmless(facts, s, defer) for s in siblings[index + 1 :]):
                return False
        current = holder
    return True


def _harmless(facts: Facts, node: Node, defer: bool) -> bool:
    """`node` neither leaves the loop nor (for goroutines) may wait for one."""
    for inner in walk_same_function(node):
        if inner.type in _JUMPS:
            return False
        if defer:
            continue
        if inner.type in _BLOCKING:
            return False
        if inner.type == "unary_expression" and _is_receive(inner):
            return False
        if inner.type == "call_expression" and not _cannot_wait(facts, inner):
            return False
    return True


def _is_receive(node: Node) -> bool:
    operator = node.child_by_field_name("operator")
    return operator is not None and operator.type == "<-"


def _cannot_wait(facts: Facts, call: Node) -> bool:
    """Builtins, conversions and logging/formatting calls. Anything else may
    synchronise with the goroutine (``wg.Wait()``, ``io.ReadAll`` on the pipe
    the goroutine writes...), so it ends the search."""
    callee = facts.callee(call)
    if callee is not None and (callee.package == BUILTIN or callee.conversion is not None):
        return True
    return _LOGGING.match(call_function_parts(call)[1]) is not None


_LOGGING = re.compile(r"^(?:S?[Pp]rint|Log|Debug|Info|Warn|Warning|Error|Trace)(?:f|ln|w)?$")
