"""What a `*sarama.Config` is set to, followed through local variables and helpers.

Config is often built in one function (`newConfig()`) and used in another; the
assignments `cfg.Producer.Return.Errors = false` are collected along the way.
When the config comes from somewhere gobex cannot see (a parameter, a field, a
function of another package, or it is handed to a function that may change it),
the answer is None: rules then stay quiet rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from gobex.facts import Facts, UseKind
from gobex.facts.flow import returns_of
from gobex.facts.package import FileDecls
from gobex.facts.syntax import expression_list, text, unparen
from gobex.gotypes import LOCAL

_MAX_DEPTH = 4


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
    if depth > _MAX_DEPTH:
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
        if callee.package == LOCAL and callee.declaration is not None and callee.receiver is None:
            return _from_helper(facts, callee.declaration, depth)
        return None
    if expr.type == "identifier":
        binding = facts.binding(expr)
        if binding is None or binding.value is None or binding.value_index > 0:
            return None
        base = resolve_config(facts, binding.value, depth + 1)
        if base is None:
            return None
        for use in facts.uses(binding):
            if use.kind in (UseKind.PASSED, UseKind.STORED, UseKind.ALIASED, UseKind.RETURNED):
                if use.kind == UseKind.PASSED and _is_sarama_call(facts, use.call):
                    continue
                if use.kind == UseKind.RETURNED:
                    continue
                return None  # handed somewhere that may change it
        for ident in binding.uses:
            _collect_assignment(ident, base)
        return base
    return None


def _is_sarama_call(facts: Facts, call: Node | None) -> bool:
    if call is None:
        return False
    callee = facts.callee(call)
    return callee is not None and callee.package == "sarama"


def _from_helper(
    facts: Facts, declaration: tuple[Node, FileDecls], depth: int
) -> SaramaConfig | None:
    """`func newConfig() *sarama.Config { c := sarama.NewConfig(); ...; return c }`,
    possibly in another file of the package."""
    function, file = declaration
    if function.child_by_field_name("body") is None:
        return None
    helper_facts = (
        facts if file.source is facts.source else Facts(file.source, facts.package, facts.models)
    )
    found: SaramaConfig | None = None
    for ret in returns_of(function):
        values = expression_list(ret.named_child(0)) if ret.named_child_count else []
        if not values:
            return None
        config = resolve_config(helper_facts, values[0], depth + 1)
        if config is None:
            return None
        found = config
    return found


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
