"""Calls whose error result is always nil.

Dropping such an error loses nothing. A modelled method says so with the tag
``infallible`` (``bytes.Buffer.Write``: "err is always nil"; ``hash.Hash.Write``:
"It never returns an error"). A function of the package being checked never
fails when every ``return`` gives ``nil`` for its error, or hands back the result
of a call that never fails (``return w.buf.WriteByte(c)``). A model function
tagged ``writes:N`` (``io.WriteString``) fails only when writing to argument N
fails.
"""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts import BindingKind, Callee, Facts
from gobex.facts.flow import returns_of
from gobex.facts.package import signature_results
from gobex.facts.syntax import arguments, expression_list, unparen
from gobex.gotypes import LOCAL

INFALLIBLE = "infallible"
_WRITES = "writes:"
_MAX_DEPTH = 3


def never_fails(facts: Facts, callee: Callee, call: Node | None = None, depth: int = 0) -> bool:
    """The call's error result is always nil."""
    if callee.spec is not None:
        if INFALLIBLE in callee.spec.tags:
            return True
        return call is not None and _writes_to_infallible(facts, callee, call, depth)
    if callee.declaration is None or depth > _MAX_DEPTH:
        return False
    declaration, file = callee.declaration
    if declaration.type not in ("function_declaration", "method_declaration"):
        return False  # an interface method: any implementation may fail
    count = len(signature_results(declaration, file))
    returns = list(returns_of(declaration))
    if not returns or count == 0:
        return False
    own = facts if file.source is facts.source else Facts(file.source, facts.package, facts.models)
    named_nil = _named_error_never_set(own, declaration)
    return all(_returns_nil_error(own, ret, count, depth, named_nil) for ret in returns)


def _named_error_never_set(facts: Facts, declaration: Node) -> bool:
    """The error result is named (``(n int, err error)``) and nothing in the body
    assigns it, so a bare ``return`` gives nil."""
    result_list = declaration.child_by_field_name("result")
    results = [
        b
        for b in facts.bindings_in(declaration)
        if b.kind is BindingKind.RESULT and b.decl.parent == result_list
    ]
    if not results:
        return False
    error = results[-1]
    error_type = facts.binding_type(error)
    if error_type is None or not error_type.is_error:
        return False
    return not error.assignments and not any(
        use.parent is not None and use.parent.type == "unary_expression" for use in error.uses
    )


def writes_infallibly(facts: Facts, writer: Node, depth: int = 0) -> bool:
    """`writer`'s ``Write`` never fails (a ``bytes.Buffer``, ``strings.Builder``,
    ``hash.Hash``, ``fmt.State``, or a local type whose Write returns nil)."""
    writer_type = facts.type_of(writer)
    if writer_type is None:
        return False
    base = facts.package.underlying(writer_type).deref()
    spec = facts.models.method(base, "Write")
    if spec is not None:
        return INFALLIBLE in spec.tags
    declaration = facts.package.method(base, "Write")
    if declaration is None:
        return False
    return never_fails(facts, Callee(LOCAL, "Write", declaration=declaration), None, depth + 1)


def _writes_to_infallible(facts: Facts, callee: Callee, call: Node, depth: int) -> bool:
    assert callee.spec is not None
    for tag in callee.spec.tags:
        if tag.startswith(_WRITES) and tag[len(_WRITES) :].isdigit():
            index = int(tag[len(_WRITES) :])
            args = arguments(call)
            return index < len(args) and writes_infallibly(facts, args[index], depth)
    return False


def _returns_nil_error(
    facts: Facts, statement: Node, count: int, depth: int, named_nil: bool
) -> bool:
    values = expression_list(statement.named_child(0)) if statement.named_child_count else []
    if not values:
        return named_nil  # a bare return gives the named results
    if len(values) == count:
        error = unparen(values[-1])
        if error.type == "nil":
            return True
        if error.type != "call_expression":
            return False
    elif len(values) == 1 and unparen(values[0]).type == "call_expression":
        error = unparen(values[0])
    else:
        return False
    inner = facts.callee(error)
    return inner is not None and never_fails(facts, inner, error, depth + 1)
