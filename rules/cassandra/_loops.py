"""Whether a Go loop runs a bounded, small number of times that the code shows.

A loop is bounded when it ranges over a composite literal (``[]string{"a", "b"}``),
a local or package variable initialised with one and never appended to, or a
constant count (``range 3``, ``for i := 0; i < 3; i++``, ``i < len(literal)``).
Everything else (a parameter slice, a channel, ``for {}``, ``for rows.Next()``)
may run as often as the input says.
"""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts import BindingKind, Facts
from gobex.facts.package import spec_value
from gobex.facts.syntax import arguments, call_function_parts, text, unparen


def is_bounded_loop(facts: Facts, loop: Node) -> bool:
    """True when `loop` (a ``for_statement``) visibly runs a fixed number of times."""
    for child in loop.named_children:
        if child.type == "range_clause":
            right = child.child_by_field_name("right")
            return right is not None and _fixed_collection(facts, right)
        if child.type == "for_clause":
            condition = child.child_by_field_name("condition")
            return condition is not None and _constant_bound(facts, condition)
    return False


def _fixed_collection(facts: Facts, node: Node) -> bool:
    node = unparen(node)
    if node.type == "composite_literal":
        return True
    if facts.is_constant(node):
        return True  # range over a constant int
    if node.type != "identifier":
        return False
    binding = facts.binding(node)
    if binding is not None:
        if binding.kind not in (BindingKind.SHORT, BindingKind.VAR) or binding.assignments:
            return False
        value = binding.value
        return value is not None and binding.value_index < 0 and _literal(value)
    declared = facts.package.variables.get(text(node))
    if declared is None:
        return False
    value = spec_value(declared)
    return value is not None and _literal(value)


def _literal(node: Node) -> bool:
    return unparen(node).type == "composite_literal"


def _constant_bound(facts: Facts, condition: Node) -> bool:
    condition = unparen(condition)
    if condition.type != "binary_expression":
        return False
    operator = condition.child_by_field_name("operator")
    right = condition.child_by_field_name("right")
    if operator is None or right is None or operator.type not in ("<", "<="):
        return False
    if facts.is_constant(right):
        return True
    right = unparen(right)
    if right.type == "call_expression":
        operand, name = call_function_parts(right)
        args = arguments(right)
        return (
            operand is None
            and name == "len"
            and len(args) == 1
            and _fixed_collection(facts, args[0])
        )
    return False
