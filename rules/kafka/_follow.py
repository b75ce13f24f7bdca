"""Following a value into the local helpers of the package: what a helper
returns, and which of its parameters an argument becomes.

Config is often built in one function and used in another (``newConfig()``
returning a ``*sarama.Config``, ``baseOpts()`` returning ``[]kgo.Opt``,
``applyTLS(cfg)`` changing a config in place). The helpers may live in another
file of the package: their nodes come with the Facts of their own file.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import Binding, BindingKind, Facts
from gobex.facts.flow import returns_of
from gobex.facts.package import FileDecls
from gobex.facts.syntax import arguments, expression_list
from gobex.gotypes import LOCAL

MAX_DEPTH = 4


@dataclass(frozen=True)
class Located:
    """A node with the Facts of the file it belongs to."""

    node: Node
    facts: Facts


def facts_of(facts: Facts, file: FileDecls) -> Facts:
    """The Facts of `file`, a file of `facts`' package."""
    if file.source is facts.source:
        return facts
    return Facts(file.source, facts.package, facts.models)


def returned_values(facts: Facts, call: Node) -> list[Located] | None:
    """The first result of every ``return`` of the package-level function `call`
    calls; None when it is not a local function with a body, or when some
    ``return`` gives no value (named results)."""
    callee = facts.callee(call)
    if (
        callee is None
        or callee.package != LOCAL
        or callee.declaration is None
        or callee.receiver is not None
    ):
        return None
    function, file = callee.declaration
    if function.child_by_field_name("body") is None:
        return None
    helper = facts_of(facts, file)
    found: list[Located] = []
    for ret in returns_of(function):
        values = expression_list(ret.named_child(0)) if ret.named_child_count else []
        if not values:
            return None
        found.append(Located(values[0], helper))
    return found


def parameter_of(facts: Facts, call: Node, argument: Node) -> tuple[Binding, Facts] | None:
    """The parameter of the local function `call` calls that `argument` becomes
    (``applyTLS(cfg)`` -> ``cfg`` inside applyTLS), with the helper's Facts."""
    callee = facts.callee(call)
    if callee is None or callee.package != LOCAL or callee.declaration is None:
        return None
    function, file = callee.declaration
    if function.type not in ("function_declaration", "method_declaration"):
        return None
    args = arguments(call)
    if argument not in args:
        return None
    index = args.index(argument)
    names: list[Node] = []
    parameters = function.child_by_field_name("parameters")
    for declaration in parameters.named_children if parameters is not None else []:
        if declaration.type == "variadic_parameter_declaration":
            return None
        if declaration.type == "parameter_declaration":
            names.extend(declaration.children_by_field_name("name"))
    if index >= len(names):
        return None
    helper = facts_of(facts, file)
    target = names[index]
    for binding in helper.bindings_in(function):
        if binding.kind == BindingKind.PARAM and binding.ident == target:
            return binding, helper
    return None
