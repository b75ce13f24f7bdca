"""Loops that never end: an endless ``for`` whose body has no way out.

A way out is a ``return``, a ``goto``, a ``break`` that leaves this loop (not
an inner ``for``, ``switch`` or ``select``), a labelled ``break``, or a call
that does not return (``panic``, ``os.Exit``, ``log.Fatal``...). Loops with a
condition (``for ctx.Err() == nil``, ``for running.Load()``) count as ending.
"""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts.syntax import parent

from .._shared.paths import terminates_by_name

_BREAKABLE = frozenset(
    {
        "for_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "select_statement",
    }
)


def is_endless(loop: Node) -> bool:
    """``for { ... }`` or ``for true { ... }``: no condition, no range."""
    for child in loop.named_children:
        if child.type in ("block", "comment"):
            continue
        return child.type == "true"
    return True


def has_way_out(loop: Node) -> bool:
    """True when the loop's body can leave it (see the module doc)."""
    body = loop.child_by_field_name("body")
    if body is None:
        return True
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "func_literal":
            continue
        if kind in ("return_statement", "goto_statement"):
            return True
        if kind == "break_statement" and (node.named_child_count or _breaks(node, loop)):
            return True
        if kind == "call_expression" and terminates_by_name(node):
            return True
        stack.extend(node.named_children)
    return False


def _breaks(statement: Node, loop: Node) -> bool:
    """An unlabelled ``break`` that leaves `loop` itself."""
    current = parent(statement)
    while current is not None and current != loop:
        if current.type in _BREAKABLE:
            return False
        current = parent(current)
    return current == loop
