"""What a `*sarama.Config` is set to, followed through local variables and helpers.

Config is often built in one function (`newConfig()`) and used in another; the
assignments `cfg.Producer.Return.Errors = false` are collected along the way,
also inside the local helpers the config is handed to (`applyTLS(cfg)`).
When the config comes from somewhere gobex cannot see (a parameter, a field, a
function of another package, or it is handed to a function that may change it),
the answer is None: rules then stay quiet rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from gobex.facts import Binding, Facts, UseKind
from gobex.facts.syntax import arguments, expression_list, text, unparen

from ._follow import MAX_DEPTH, parameter_of, returned_values


@dataclass
class SaramaConfig:
    """A config's origin (the NewConfig() call, or nil for the defaults) and the
    fields assigned on it: dotted path -> (value text, assignment node)."""

    origin: Node
    assignments: dict[str, tuple[str, Node]] = field(default_factory=dict)

    def value(self, path: str) -> str | None:
        found = self.assignments.get(path)
        return found[0] if found is not None else None

    def node(self, path: str) -> Node | None:
        found = self.assignments.get(path)
        return found[1] if found is not None else None


def resolve_config(facts: Facts, expr: Node, depth: int = 0) -> SaramaConfig | None:
    """The config an expression evaluates to, when it can be followed."""
    if depth > MAX_DEPTH:
        return None
    expr = unparen(expr)
    if expr.type == "nil":
        return SaramaConfig(expr)
    if expr.type == "call_expression":
        callee = facts.callee(expr)
        if callee is None:
            return None
        if callee.is_function("sarama", "NewConfig"):
            return SaramaConfig(expr)
        returned = returned_values(facts, expr)
        if not returned:
            return None
        found: SaramaConfig | None = None
        for value in returned:
            found = resolve_config(value.facts, value.node, depth + 1)
            if found is None:
                return None
        return found
    if expr.type == "identifier":
        binding = facts.binding(expr)
        if binding is None or binding.value is None or binding.value_index > 0:
            return None
        base = resolve_config(facts, binding.value, depth + 1)
        if base is None or not _collect_uses(facts, binding, base, depth):
            return None
        return base
    return None


def _collect_uses(facts: Facts, binding: Binding, config: SaramaConfig, depth: int) -> bool:
    """Record the assignments made through `binding`, following it into the local
    helpers it is handed to; False when it goes somewhere that may change it."""
    for use in facts.uses(binding):
        if use.kind == UseKind.PASSED and use.call is not None and not use.path:
            if _is_sarama_call(facts, use.call):
                continue
            parameter = parameter_of(facts, use.call, use.expression)
            if parameter is None or depth >= MAX_DEPTH:
                return False
            helper_binding, helper_facts = parameter
            if not _collect_uses(helper_facts, helper_binding, config, depth + 1):
                return False
            continue
        if use.kind in (UseKind.PASSED, UseKind.STORED, UseKind.ALIASED):
            return False  # handed somewhere that may change it
    for ident in binding.uses:
        _collect_assignment(ident, config)
    return True


def _is_sarama_call(facts: Facts, call: Node | None) -> bool:
    if call is None:
        return False
    callee = facts.callee(call)
    return callee is not None and callee.package == "sarama"


def _collect_assignment(ident: Node, config: SaramaConfig) -> None:
    """Record `ident.A.B = value` when `ident` starts the assignment's target."""
    path: list[str] = []
    node = ident
    parent = node.parent
    while (
        parent is not None
        and parent.type == "selector_expression"
        and parent.child_by_field_name("operand") == node
    ):
        path.append(text(parent.child_by_field_name("field")))
        node = parent
        parent = node.parent
    if not path or parent is None or parent.type != "expression_list":
        return
    statement = parent.parent
    if statement is None or statement.type != "assignment_statement":
        return
    if statement.child_by_field_name("left") != parent:
        return
    lefts = expression_list(parent)
    rights = expression_list(statement.child_by_field_name("right"))
    if len(lefts) != len(rights) or node not in lefts:
        return
    value = rights[lefts.index(node)]
    config.assignments[".".join(path)] = (text(value), statement)


# Where the config (or the client holding it) is among a constructor's arguments.
_CONFIG_ARGUMENT = {"NewConsumerGroup": 2}
_CLIENT_ARGUMENT = {"NewConsumerGroupFromClient": 1}


def constructor_config(facts: Facts, call: Node, constructor: str) -> SaramaConfig | None:
    """The config a sarama constructor gets: its config argument, or for the
    ``...FromClient`` variants the config of the ``NewClient`` call the client
    comes from (a nil config there means the defaults)."""
    args = arguments(call)
    if not constructor.endswith("FromClient"):
        index = _CONFIG_ARGUMENT.get(constructor, 1)
        return resolve_config(facts, args[index]) if len(args) > index else None
    index = _CLIENT_ARGUMENT.get(constructor, 0)
    if len(args) <= index:
        return None
    client = facts.binding(args[index])
    if client is None or client.value is None:
        return None
    value = unparen(client.value)
    if value.type != "call_expression":
        return None
    callee = facts.callee(value)
    if callee is None or not callee.is_function("sarama", "NewClient"):
        return None
    client_args = arguments(value)
    return resolve_config(facts, client_args[1]) if len(client_args) >= 2 else None
