"""Channel operations in syntax: receives, sends, select cases that give up.

A receive is the unary ``<-x`` (alone, in an assignment, or as a ``select``
case); a send is ``ch <- v``. A ``select`` case "gives up" on the other cases
when it fires on cancellation or time instead of data: ``<-ctx.Done()`` (or a
stop channel), ``<-time.After(d)``, a timer's or ticker's ``<-t.C``, or
``default``.
"""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import parent, text, unparen

from ._goroutines import is_stop_channel


def received(node: Node) -> Node | None:
    """The channel expression of a receive ``<-x``, else None."""
    if node.type != "unary_expression":
        return None
    operator = node.child_by_field_name("operator")
    operand = node.child_by_field_name("operand")
    if operator is None or operator.type != "<-" or operand is None:
        return None
    return unparen(operand)


def case_communication(case: Node) -> Node | None:
    """The send or receive a ``select`` case waits on (None for ``default``)."""
    if case.type != "communication_case":
        return None
    return case.child_by_field_name("communication")


def case_receive(case: Node) -> Node | None:
    """The channel a ``case <-ch:`` / ``case v := <-ch:`` receives from."""
    communication = case_communication(case)
    if communication is None:
        return None
    if communication.type == "receive_statement":
        right = communication.child_by_field_name("right")
        return received(unparen(right)) if right is not None else None
    if communication.type == "expression_statement":
        inner = communication.named_child(0)
        return received(unparen(inner)) if inner is not None else None
    return None


def select_cases(select: Node) -> list[Node]:
    return [c for c in select.named_children if c.type in ("communication_case", "default_case")]


def giving_up(facts: Facts, case: Node) -> str | None:
    """How a ``select`` case gives up waiting ("the ctx.Done() case", "the
    time.After case", "the default case"...), or None for a data case."""
    if case.type == "default_case":
        return "the default case"
    channel = case_receive(case)
    if channel is None:
        return None
    if channel.type == "call_expression":
        callee = facts.callee(channel)
        if callee is not None and callee.spec is not None and "timer-channel" in callee.spec.tags:
            return f"the {text(channel.child_by_field_name('function'))} case"
    if channel.type == "selector_expression" and text(channel.child_by_field_name("field")) == "C":
        operand = channel.child_by_field_name("operand")
        operand_type = facts.type_of(operand) if operand is not None else None
        if facts.has_tag(operand_type, "stoppable"):
            return f"the {text(channel)} case"
    if is_stop_channel(channel):
        return f"the {text(channel)} case"
    return None


def enclosing_select_case(node: Node, stop: Node) -> Node | None:
    """The ``select`` case holding `node` (below `stop`), if any."""
    current = parent(node)
    while current is not None and current != stop:
        if current.type in ("communication_case", "default_case"):
            return current
        current = parent(current)
    return None
