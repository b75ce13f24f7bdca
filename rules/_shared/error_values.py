"""Which expressions hold errors, and which name sentinel error values.

An expression is an error when Facts give it the type ``error`` (declarations,
models, struct fields) or a local type with an ``Error`` method; when its type
is unknown, the Go naming convention decides (``err``, ``closeErr``,
``ErrNotFound``). A known type that is not an error always wins over the name.

A sentinel is a package-level error variable compared by identity: a model
variable typed ``error`` (``io.EOF``, ``sql.ErrNoRows``), an initialised
package variable of this package whose type is ``error``, or, when no
declaration says, an exported ``Err*`` name of another package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.package import spec_value
from gobex.facts.syntax import text, unparen
from gobex.gotypes import LOCAL, GoType

# err, rerr, closeErr, ErrNotFound, errClosed (package-level), Err (a field).
ERROR_NAME = re.compile(r"^(?:err|[a-z]{1,2}err|\w*Err|Err[A-Z0-9_]\w*)$")
SENTINEL_NAME = re.compile(r"^(?:Err[A-Z0-9_]\w*|err[A-Z0-9_]\w*)$")
EXPORTED_SENTINEL_NAME = re.compile(r"^Err[A-Z0-9_]\w*$")


class Evidence(IntEnum):
    """How sure we are that an expression is an error (or a sentinel)."""

    NONE = 0
    WEAK = 1  # a name of a package whose model does not list it, or a constant
    NAME = 2  # the naming convention, type unknown
    TYPE = 3  # declared or modelled type


@dataclass(frozen=True)
class Sentinel:
    """A sentinel error operand."""

    node: Node
    key: str | None  # "io.EOF", "database/sql.ErrNoRows": model id + name; None when unmodelled
    evidence: Evidence


def implements_error(facts: Facts, go_type: GoType) -> bool:
    if go_type.is_error:
        return True
    base = go_type.deref()
    return (
        base.is_named and base.package == LOCAL and facts.package.method(base, "Error") is not None
    )


def value_name(node: Node) -> str | None:
    """The name an identifier or a field selector reads (``err``, ``e.Err``)."""
    node = unparen(node)
    if node.type == "identifier":
        return text(node)
    if node.type == "selector_expression":
        return text(node.child_by_field_name("field"))
    return None


def error_evidence(facts: Facts, node: Node, *, interface: bool = False) -> Evidence:
    """How sure we are that `node` holds an error value. With `interface`, only
    the interface type ``error`` counts: a concrete type that implements it
    (``type KError int16``) compares by value, and nothing can wrap it."""
    node = unparen(node)
    go_type = facts.type_of(node)
    if go_type is not None:
        if interface:
            return Evidence.TYPE if go_type.is_error else Evidence.NONE
        return Evidence.TYPE if implements_error(facts, go_type) else Evidence.NONE
    name = value_name(node)
    if name is not None and ERROR_NAME.match(name):
        return Evidence.NAME
    return Evidence.NONE


def is_error_value(facts: Facts, node: Node) -> bool:
    return error_evidence(facts, node) >= Evidence.NAME


def sentinel(facts: Facts, node: Node) -> Sentinel | None:
    """`node` as a sentinel error, if it names one."""
    node = unparen(node)
    if node.type == "selector_expression":
        package = facts.package_ref(node.child_by_field_name("operand"))
        if package is None:
            return None  # a field of a value, not a package variable
        name = text(node.child_by_field_name("field"))
        declared = facts.models.variable(package, name)
        if declared is not None:
            if not declared.is_error:
                return None
            return Sentinel(node, f"{package}.{name}", Evidence.TYPE)
        if not EXPORTED_SENTINEL_NAME.match(name):
            return None
        modelled = facts.models.by_id(package) is not None
        return Sentinel(node, None, Evidence.WEAK if modelled else Evidence.NAME)
    if node.type != "identifier" or facts.binding(node) is not None:
        return None
    name = text(node)
    variable = facts.package.variables.get(name)
    if variable is not None:
        if spec_value(variable) is None:
            return None  # `var errX error`: nil until assigned, not a sentinel
        go_type = _package_variable_type(facts, node)
        if go_type is not None:
            return Sentinel(node, None, Evidence.TYPE) if implements_error(facts, go_type) else None
        return Sentinel(node, None, Evidence.NAME) if SENTINEL_NAME.match(name) else None
    if name in facts.package.constants and SENTINEL_NAME.match(name):
        return Sentinel(node, None, Evidence.WEAK)
    return None


def _package_variable_type(facts: Facts, node: Node) -> GoType | None:
    """The type of a package-level variable, also when another file declares it
    without a type (``var ErrClosed = errors.New("closed")``)."""
    found = facts.type_of(node)
    if found is not None:
        return found
    declared = facts.package.variables.get(text(node))
    if declared is None or declared.file.source is facts.source:
        return None
    if declared.node.child_by_field_name("type") is not None:
        return None
    value = spec_value(declared)
    if value is None:
        return None
    return Facts(declared.file.source, facts.package, facts.models).type_of(value)
