"""Ways out of a ``for`` loop, read from syntax: returns, jumps that leave it,
calls that never return, and receives that mean "stop".

``break`` leaves the innermost ``for``, ``switch`` or ``select`` around it (or
the statement its label names); ``continue`` restarts the innermost ``for`` (or
the labelled one). Only the loop's own function counts: a ``return`` inside a
func literal leaves the literal, not the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from gobex.facts.syntax import FUNCTION_TYPES, parent, text, walk_same_function

from .._shared.paths import terminates_by_name
from ._goroutines import is_stop_receive

_BREAKABLE = frozenset(
    {"for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"}
)


def is_infinite(loop: Node) -> bool:
    """``for { ... }``: no condition, no range clause."""
    body = loop.child_by_field_name("body")
    for child in loop.named_children:
        if child == body or child.type == "comment":
            continue
        if child.type == "for_clause":
            return child.child_by_field_name("condition") is None
        return False
    return True


def jump_target(jump: Node) -> Node | None:
    """The statement a ``break``/``continue`` leaves or restarts."""
    label = next((text(c) for c in jump.named_children if c.type == "label_name"), "")
    wanted = {"for_statement"} if jump.type == "continue_statement" else _BREAKABLE
    current = parent(jump)
    while current is not None and current.type not in FUNCTION_TYPES:
        if label:
            if (
                current.type == "labeled_statement"
                and text(current.child_by_field_name("label")) == label
            ):
                return next((c for c in current.named_children if c.type != "label_name"), current)
        elif current.type in wanted:
            return current
        current = parent(current)
    return None


def leaves(jump: Node, loop: Node) -> bool:
    """True when `jump` (break/continue) leaves `loop`: it breaks `loop` itself or
    jumps to a statement around it."""
    target = jump_target(jump)
    if target is None:
        return False
    if target == loop:
        return jump.type == "break_statement"
    return target.start_byte <= loop.start_byte and loop.end_byte <= target.end_byte


def exits(
    region: Node, loop: Node, terminates: Callable[[Node], bool] = terminates_by_name
) -> Iterator[Node]:
    """Nodes of `region` (inside `loop`'s function) by which control leaves `loop`:
    ``return``, ``goto``, a ``break``/``continue`` leaving it, a call that never
    returns (``panic``, ``log.Fatal``, ``t.FailNow``...)."""
    for node in walk_same_function(region):
        kind = node.type
        if kind in ("return_statement", "goto_statement"):
            yield node
        elif kind in ("break_statement", "continue_statement"):
            if leaves(node, loop):
                yield node
        elif kind == "call_expression" and terminates(node):
            yield node


def has_exit(loop: Node, terminates: Callable[[Node], bool] = terminates_by_name) -> bool:
    """True when `loop` can end: a way out, or a receive of a stop signal
    (``<-ctx.Done()``, ``case <-s.quit:``) that the code waits on."""
    body = loop.child_by_field_name("body")
    if body is None:
        return True
    if next(exits(body, loop, terminates), None) is not None:
        return True
    return any(is_stop_receive(n) for n in walk_same_function(body))
