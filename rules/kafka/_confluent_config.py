"""What a confluent-kafka-go ``kafka.ConfigMap`` holds, followed through local
variables and helpers.

``kafka.NewProducer(&kafka.ConfigMap{"acks": "all"})`` is the common shape; a
map built in a variable gets more keys with ``conf.SetKey("k", v)`` or
``conf["k"] = v``, possibly inside a local helper it is handed to, or comes
from a helper (``producerConfig()``). `complete` is False when the map went
somewhere gobex cannot see (then a missing key proves nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from gobex.facts import Binding, Facts, UseKind
from gobex.facts.syntax import arguments, expression_list, parent, text, unparen

from ._follow import MAX_DEPTH, Located, parameter_of, returned_values


@dataclass
class ConfluentConfig:
    """Keys set on the map -> the value expression (the last one seen wins)."""

    entries: dict[str, Located] = field(default_factory=dict)
    complete: bool = True

    def value(self, key: str) -> str | None:
        """The value of `key` as text (strings unquoted, bools and numbers as
        written); None when unset or not a constant."""
        found = self.entries.get(key)
        if found is None:
            return None
        node = unparen(found.node)
        if node.type in ("true", "false", "int_literal"):
            return text(node)
        return found.facts.const_string(node)

    def has(self, key: str) -> bool:
        return key in self.entries


def resolve_configmap(facts: Facts, expr: Node, depth: int = 0) -> ConfluentConfig | None:
    """The ConfigMap `expr` evaluates to; None when it cannot be followed."""
    config = ConfluentConfig()
    return config if _resolve(facts, expr, config, depth) else None


def _resolve(facts: Facts, expr: Node, config: ConfluentConfig, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    expr = unparen(expr)
    if expr.type == "unary_expression":
        operand = expr.child_by_field_name("operand")
        operator = expr.child_by_field_name("operator")
        if operand is None or operator is None or operator.type not in ("&", "*"):
            return False
        return _resolve(facts, operand, config, depth)
    if expr.type == "composite_literal":
        kind = facts.type_of(expr)
        if kind is None or not kind.is_type("confluent-kafka-go", "ConfigMap"):
            return False
        _literal(facts, expr, config)
        return True
    if expr.type == "call_expression":
        returned = returned_values(facts, expr)
        if not returned:
            return False
        # Several returns: the keys of all of them (a key set on one path only
        # counts as set; `complete` falls when one cannot be followed).
        for value in returned:
            if not _resolve(value.facts, value.node, config, depth + 1):
                config.complete = False
        return True
    if expr.type == "identifier":
        binding = facts.binding(expr)
        if binding is None or binding.value is None or binding.value_index > 0:
            return False
        if not _resolve(facts, binding.value, config, depth + 1):
            return False
        _uses(facts, binding, config, depth)
        return True
    return False


def _literal(facts: Facts, literal: Node, config: ConfluentConfig) -> None:
    body = literal.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        if element.type != "keyed_element":
            continue
        parts = [c for c in element.named_children if c.type != "comment"]
        if len(parts) != 2:
            config.complete = False
            continue
        key_node = parts[0].named_child(0) if parts[0].named_child_count else parts[0]
        value_node = parts[1].named_child(0) if parts[1].named_child_count else parts[1]
        key = facts.const_string(key_node) if key_node is not None else None
        if key is None or value_node is None:
            config.complete = False
            continue
        config.entries[key] = Located(value_node, facts)


def _uses(facts: Facts, binding: Binding, config: ConfluentConfig, depth: int) -> None:
    for use in facts.uses(binding):
        if use.kind == UseKind.METHOD_CALL and use.path in ("SetKey", "Set"):
            _set_key(facts, use.call, config)
        elif use.kind == UseKind.PASSED and use.call is not None and not use.path:
            _into_helper(facts, use.call, use.expression, config, depth)
        elif use.kind == UseKind.ADDRESS:
            _address(facts, use.expression, config, depth)
        elif use.kind in (UseKind.STORED, UseKind.ALIASED, UseKind.PASSED):
            config.complete = False
        elif use.kind == UseKind.OTHER:
            _index_store(facts, use.node, config)


def _into_helper(
    facts: Facts, call: Node, argument: Node, config: ConfluentConfig, depth: int
) -> None:
    """The map handed to a local helper: its SetKey calls count too."""
    parameter = parameter_of(facts, call, argument)
    if parameter is None or depth >= MAX_DEPTH:
        config.complete = False
        return
    helper_binding, helper_facts = parameter
    _uses(helper_facts, helper_binding, config, depth + 1)


def _address(facts: Facts, expression: Node, config: ConfluentConfig, depth: int) -> None:
    """``&conf`` handed to confluent (fine), to a local helper (followed), or
    anywhere else (the map may change there)."""
    unary = parent(expression)
    holder = parent(unary) if unary is not None else None
    call = parent(holder) if holder is not None else None
    if unary is None or holder is None or call is None or holder.type != "argument_list":
        config.complete = False
        return
    callee = facts.callee(call)
    if callee is not None and callee.package == "confluent-kafka-go":
        return
    _into_helper(facts, call, unary, config, depth)


def _set_key(facts: Facts, call: Node | None, config: ConfluentConfig) -> None:
    args = arguments(call) if call is not None else []
    if len(args) != 2:
        config.complete = False  # Set("k=v") is not parsed
        return
    key = facts.const_string(args[0])
    if key is None:
        config.complete = False
        return
    config.entries[key] = Located(args[1], facts)


def _index_store(facts: Facts, ident: Node, config: ConfluentConfig) -> None:
    """``conf["acks"] = "all"``."""
    index = parent(ident)
    if index is None or index.type != "index_expression":
        return
    holder = parent(index)
    statement = parent(holder) if holder is not None else None
    if holder is None or statement is None or statement.type != "assignment_statement":
        return
    if statement.child_by_field_name("left") != holder:
        return
    lefts = expression_list(holder)
    rights = expression_list(statement.child_by_field_name("right"))
    if len(lefts) != len(rights) or index not in lefts:
        config.complete = False
        return
    key_node = index.child_by_field_name("index")
    key = facts.const_string(key_node) if key_node is not None else None
    if key is None:
        config.complete = False
        return
    config.entries[key] = Located(rights[lefts.index(index)], facts)
