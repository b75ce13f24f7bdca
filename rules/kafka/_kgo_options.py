"""The options a franz-go client is created with, followed through option slices.

``kgo.NewClient(opts...)`` is usually fed a slice built elsewhere:
``opts := []kgo.Opt{kgo.SeedBrokers(...)}``, appended to under conditions
(``if cfg.Group != "" { opts = append(opts, kgo.ConsumerGroup(cfg.Group)) }``),
or returned by a helper of the package (``baseOpts()``). Every option that may
be in the slice is collected (a conditional append counts as present);
`complete` says whether every element could be followed to a ``kgo`` call.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import BindingKind, Facts, UseKind
from gobex.facts.syntax import arguments, expression_list, parent, text, unparen
from gobex.gotypes import BUILTIN

from ._follow import MAX_DEPTH, Located, returned_values


@dataclass(frozen=True)
class KgoOptions:
    """The option calls found (`kgo.X(...)`, each with its file's Facts)."""

    calls: tuple[Located, ...]
    complete: bool

    def named(self, *names: str) -> list[Located]:
        """The option calls of the kgo functions `names`."""
        found = []
        for option in self.calls:
            callee = option.facts.callee(option.node)
            if callee is not None and callee.is_function("kgo", *names):
                found.append(option)
        return found

    def has(self, *names: str) -> bool:
        return bool(self.named(*names))


class _Collector:
    def __init__(self) -> None:
        self.calls: list[Located] = []
        self.complete = True

    def element(self, facts: Facts, node: Node, depth: int) -> None:
        """One option expression (an element of a slice or an argument)."""
        node = unparen(node)
        if node.type == "variadic_argument":
            inner = node.named_child(0)
            if inner is not None:
                self.slice(facts, inner, depth)
            return
        if node.type == "call_expression":
            callee = facts.callee(node)
            if callee is not None and callee.package == "kgo" and callee.receiver is None:
                self.calls.append(Located(node, facts))
                return
        self.complete = False

    def slice(self, facts: Facts, node: Node, depth: int) -> None:
        """A ``[]kgo.Opt`` expression."""
        node = unparen(node)
        if depth > MAX_DEPTH:
            self.complete = False
            return
        if node.type == "nil":
            return
        if node.type == "composite_literal":
            body = node.child_by_field_name("body")
            for element in body.named_children if body is not None else []:
                inner = element.named_child(0) if element.type == "literal_element" else None
                if inner is not None:
                    self.element(facts, inner, depth)
                elif element.type != "comment":
                    self.complete = False
            return
        if node.type == "call_expression":
            callee = facts.callee(node)
            if callee is not None and callee.package == BUILTIN and callee.name == "append":
                self.append_call(facts, node, depth)
                return
            returned = returned_values(facts, node)
            if returned is None:
                self.complete = False
                return
            for value in returned:
                self.slice(value.facts, value.node, depth + 1)
            return
        if node.type == "identifier":
            self.variable(facts, node, depth)
            return
        self.complete = False

    def append_call(self, facts: Facts, call: Node, depth: int) -> None:
        args = arguments(call)
        if not args:
            return
        self.slice(facts, args[0], depth + 1)
        for arg in args[1:]:
            self.element(facts, arg, depth + 1)

    def variable(self, facts: Facts, ident: Node, depth: int) -> None:
        binding = facts.binding(ident)
        if binding is None:
            self.complete = False
            return
        if binding.value is not None and binding.value_index <= 0:
            self.slice(facts, binding.value, depth + 1)
        elif binding.kind != BindingKind.VAR:
            self.complete = False  # a parameter, a range value...
        for target in binding.assignments:
            self.assigned(facts, target, ident, depth)
        for use in facts.uses(binding):
            if use.kind == UseKind.OTHER and use.path == "" and _indexed_store(use.node):
                self.complete = False

    def assigned(self, facts: Facts, target: Node, ident: Node, depth: int) -> None:
        """``opts = append(opts, kgo.X())`` (or any other re-assignment)."""
        if target.start_byte >= ident.start_byte:
            return  # after the use being resolved
        holder = parent(target)
        statement = parent(holder) if holder is not None else None
        if statement is None or statement.type != "assignment_statement":
            self.complete = False
            return
        lefts = expression_list(statement.child_by_field_name("left"))
        rights = expression_list(statement.child_by_field_name("right"))
        if len(lefts) != len(rights) or target not in lefts:
            self.complete = False
            return
        value = unparen(rights[lefts.index(target)])
        if value.type == "call_expression":
            callee = facts.callee(value)
            args = arguments(value)
            if (
                callee is not None
                and callee.package == BUILTIN
                and callee.name == "append"
                and args
                and text(unparen(args[0])) == text(target)
            ):
                for arg in args[1:]:
                    self.element(facts, arg, depth + 1)
                return
        self.slice(facts, value, depth + 1)


def _indexed_store(ident: Node) -> bool:
    """``opts[i] = x``."""
    above = parent(ident)
    return above is not None and above.type == "index_expression"


def client_options(facts: Facts, call: Node) -> KgoOptions:
    """The options of a ``kgo.NewClient(...)`` call."""
    collector = _Collector()
    for arg in arguments(call):
        collector.element(facts, arg, 0)
    return KgoOptions(tuple(collector.calls), collector.complete)
