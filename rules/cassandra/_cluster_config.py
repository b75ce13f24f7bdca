"""What a gocql `ClusterConfig` is set to, followed through one function.

The config comes from ``gocql.NewCluster(hosts...)`` or a
``gocql.ClusterConfig{...}`` literal (also behind ``&``), and is usually kept in
a local variable whose fields are assigned (``cfg.Consistency = gocql.One``,
``cfg.PoolConfig.HostSelectionPolicy = ...``) before ``cfg.CreateSession()``
or ``gocql.NewSession(*cfg)``. When the config goes anywhere gobex cannot see
(a function that may change it, a field, a return), the settings are not
`known` and rules stay quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from gobex.facts import ESCAPING, Binding, Facts, UseKind
from gobex.facts.syntax import expression_list, parent, text, unparen

_CREATES = frozenset({"CreateSession"})


@dataclass
class ClusterSettings:
    """The fields set on one config (dotted path -> value node), whether a
    session is created from it here, and whether every use was seen."""

    origin: Node
    fields: dict[str, Node] = field(default_factory=dict)
    creates_session: bool = False
    session_calls: set[str] = field(default_factory=set)  # methods called on the session
    known: bool = True

    def has(self, path: str) -> bool:
        return path in self.fields or any(p.startswith(path + ".") for p in self.fields)


def is_cluster_origin(facts: Facts, node: Node) -> bool:
    """``gocql.NewCluster(...)`` or a ``gocql.ClusterConfig{...}`` literal."""
    node = unparen(node)
    if node.type == "call_expression":
        callee = facts.callee(node)
        return callee is not None and callee.is_function("gocql", "NewCluster")
    if node.type == "composite_literal":
        literal_type = facts.resolve_type(node.child_by_field_name("type"))
        return literal_type is not None and literal_type.is_type("gocql", "ClusterConfig")
    return False


def cluster_settings(facts: Facts, origin: Node) -> ClusterSettings:
    """What is done to the config `origin` creates, in its function."""
    settings = ClusterSettings(origin)
    if origin.type == "composite_literal":
        _literal_fields(origin, "", settings.fields)
    node = origin
    holder = parent(node)
    if holder is not None and holder.type == "unary_expression":
        node, holder = holder, parent(holder)
    while holder is not None and holder.type == "parenthesized_expression":
        node, holder = holder, parent(holder)
    if holder is not None and holder.type == "selector_expression":
        call = parent(holder)
        name = text(holder.child_by_field_name("field"))
        if call is not None and call.type == "call_expression" and name in _CREATES:
            settings.creates_session = True
            _session_calls(facts, call, settings)
            return settings
        settings.known = False
        return settings
    binding = _bound(facts, node, holder)
    if binding is None:
        settings.known = False
        return settings
    _follow(facts, binding, settings)
    return settings


def _bound(facts: Facts, node: Node, holder: Node | None) -> Binding | None:
    if holder is None or holder.type != "expression_list":
        return None
    statement = parent(holder)
    if statement is None or statement.type not in ("short_var_declaration", "var_spec"):
        return None
    left = statement.child_by_field_name("left")
    names = expression_list(left) if left is not None else statement.children_by_field_name("name")
    values = expression_list(holder)
    if len(names) != len(values) or node not in values:
        return None
    return facts.binding(names[values.index(node)])


def _follow(facts: Facts, binding: Binding, settings: ClusterSettings) -> None:
    for use in facts.uses(binding):
        if use.kind == UseKind.METHOD_CALL:
            if use.path in _CREATES and use.call is not None:
                settings.creates_session = True
                _session_calls(facts, use.call, settings)
            continue
        assigned = _assigned_value(use.expression)
        if assigned is not None and use.path:
            settings.fields[use.path] = assigned
            if unparen(assigned).type == "composite_literal":
                _literal_fields(unparen(assigned), use.path + ".", settings.fields)
            continue
        if _new_session_argument(facts, use.expression):
            settings.creates_session = True
            continue
        if use.kind in ESCAPING:
            settings.known = False


def _assigned_value(expression: Node) -> Node | None:
    """The value assigned when `expression` (``cfg.A.B``) is an assignment's target."""
    holder = parent(expression)
    statement = parent(holder) if holder is not None else None
    if (
        holder is None
        or statement is None
        or holder.type != "expression_list"
        or statement.type != "assignment_statement"
        or statement.child_by_field_name("left") != holder
    ):
        return None
    lefts = expression_list(holder)
    rights = expression_list(statement.child_by_field_name("right"))
    if len(lefts) != len(rights):
        return None
    return rights[lefts.index(expression)]


def _new_session_argument(facts: Facts, expression: Node) -> bool:
    """``gocql.NewSession(*cfg)`` / ``gocql.NewSession(cfg)``."""
    node = expression
    holder = parent(node)
    if holder is not None and holder.type == "unary_expression":
        node, holder = holder, parent(holder)
    call = parent(holder) if holder is not None and holder.type == "argument_list" else None
    if call is None:
        return False
    callee = facts.callee(call)
    return callee is not None and callee.is_function("gocql", "NewSession")


def _session_calls(facts: Facts, create: Node, settings: ClusterSettings) -> None:
    """Methods called on the session `create` returns (``SetConsistency``)."""
    holder = parent(create)
    statement = parent(holder) if holder is not None else None
    if holder is None or statement is None or holder.type != "expression_list":
        return
    if statement.type not in ("short_var_declaration", "assignment_statement"):
        return
    left = expression_list(statement.child_by_field_name("left"))
    if not left or left[0].type != "identifier":
        return
    session = facts.binding(left[0])
    if session is None:
        return
    for use in facts.uses(session):
        if use.kind == UseKind.METHOD_CALL:
            settings.session_calls.add(use.path)


def _literal_fields(literal: Node, prefix: str, fields: dict[str, Node]) -> None:
    body = literal.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        if element.type != "keyed_element" or element.named_child_count != 2:
            continue
        key, value = element.named_children
        inner = value.named_children[0] if value.named_children else value
        name = text(key)
        fields[prefix + name] = inner
        if inner.type == "composite_literal":
            _literal_fields(inner, prefix + name + ".", fields)
