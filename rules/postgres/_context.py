"""The context a database call should run with, for the PG rules.

`request_context` is `Facts.context_in_scope`, minus the contexts a call must
not inherit: one that is itself ``context.Background()``/``TODO()`` or derived
from one (the function made it for itself: a connect timeout), and one from
outside a ``go func() { ... }()`` that the call runs in (detached work
outlives the request on purpose).
"""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts import Binding, BindingKind, ContextRef, Facts
from gobex.facts.syntax import arguments, unparen
from gobex.facts.syntax import parent as parent_of

_MAX_DERIVATIONS = 8


def request_context(facts: Facts, node: Node) -> ContextRef | None:
    found = facts.context_in_scope(node)
    if found is None:
        return None
    if _from_root(facts, found.binding):
        return None
    if in_goroutine_within(node, found.binding.function):
        return None
    return found


def _from_root(facts: Facts, binding: Binding) -> bool:
    """``ctx := context.Background()``, or derived from one
    (``ctx, cancel := context.WithTimeout(context.Background(), d)``): a
    context the function made for itself, not one it was given."""
    for _ in range(_MAX_DERIVATIONS):
        if binding.kind == BindingKind.PARAM or binding.value is None:
            return False
        value = unparen(binding.value)
        if is_root_context(facts, value):
            return True
        parent = context_argument(facts, value) if value.type == "call_expression" else None
        if parent is None:
            return False
        parent = unparen(parent)
        if is_root_context(facts, parent):
            return True
        outer = facts.binding(parent)
        if outer is None:
            return False
        binding = outer
    return False


def is_root_context(facts: Facts, node: Node) -> bool:
    """``context.Background()`` / ``context.TODO()`` (model tag ``root-context``)."""
    node = unparen(node)
    if node.type != "call_expression":
        return False
    callee = facts.callee(node)
    return callee is not None and callee.spec is not None and "root-context" in callee.spec.tags


def in_goroutine_within(node: Node, outer: Node) -> bool:
    """True when `node` sits in a func literal started with ``go`` inside `outer`
    (one walk up the tree, however deeply the literals nest)."""
    current = parent_of(node)
    while current is not None and current != outer:
        if current.type == "func_literal":
            call = parent_of(current)
            holder = parent_of(call) if call is not None else None
            if (
                call is not None
                and call.type == "call_expression"
                and holder is not None
                and holder.type == "go_statement"
            ):
                return True
        current = parent_of(current)
    return False


def context_argument(facts: Facts, call: Node) -> Node | None:
    """The argument a modelled call takes its context.Context from."""
    callee = facts.callee(call)
    if callee is None or callee.spec is None or callee.spec.context is None:
        return None
    args = arguments(call)
    index = callee.spec.context
    return args[index] if index < len(args) else None
