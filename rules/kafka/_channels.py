"""Channels of sarama clients that someone must read (`Errors()`,
`Successes()`), and whether a client leaves the package, where code gobex does
not see may read them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from gobex.facts import Facts, UseKind
from gobex.facts.syntax import arguments, expression_list, parent, text
from gobex.gotypes import LOCAL
from gobex.rule import RuleContext
from gobex.source import go_language

from .._shared.release import bound_result
from ._follow import facts_of


@cache
def _channel_calls() -> Query:
    return Query(
        go_language(),
        """(call_expression
             function: (selector_expression operand: (_) @owner field: (field_identifier) @m)
             (#match? @m "^(Errors|Successes|Events)$")) @call""",
    )


def channels_read(ctx: RuleContext, names: tuple[str, ...], tag: str) -> set[str]:
    """Which of the channel methods `names` (Errors, Successes, Events) some code
    of the package calls on a value whose type carries `tag` (or on a value of
    unknown or local type, to stay on the safe side)."""
    return {text(read.method) for read in channel_reads(ctx, names, tag)}


@dataclass(frozen=True)
class ChannelRead:
    """A call ``owner.Method()`` reading one of a client's channels."""

    owner: Node
    method: Node
    facts: Facts


def channel_reads(ctx: RuleContext, names: tuple[str, ...], tag: str) -> list[ChannelRead]:
    """The calls of the channel methods `names` in the package, on values whose
    type carries `tag` or is unknown or local (a struct embedding the client, an
    interface of the package declaring the method)."""
    found: list[ChannelRead] = []
    needles = [f".{name}()".encode() for name in names]
    for file in ctx.facts.package.files:
        data = file.source.data
        if not any(needle in data for needle in needles):
            continue
        facts = facts_of(ctx.facts, file)
        for _, captures in QueryCursor(_channel_calls()).matches(file.source.root):
            call = captures["call"][0]
            method = captures["m"][0]
            if text(method) not in names or arguments(call):
                continue
            owner = captures["owner"][0]
            kind = facts.type_of(owner)
            if kind is None or kind.package == LOCAL or facts.has_tag(kind, tag):
                found.append(ChannelRead(owner, method, facts))
    return found


def escapes_package(ctx: RuleContext, call: Node, tag: str) -> bool:
    """True when the value `call` creates leaves the package's sight: returned
    as is, or passed to a function of another package, or stored in an exported
    field (code of other packages may read its channels)."""
    above = parent(call)
    while above is not None and above.type in ("expression_list", "parenthesized_expression"):
        above = parent(above)
    if above is not None and above.type == "return_statement":
        return True
    declaration = above
    if declaration is None or declaration.type not in (
        "short_var_declaration",
        "assignment_statement",
        "var_spec",
    ):
        return False
    bound = bound_result(ctx, call, declaration, tag)
    if bound is None or bound.binding is None:
        return False
    for use in ctx.facts.uses(bound.binding):
        if use.kind == UseKind.RETURNED:
            return True
        if use.kind == UseKind.PASSED and (use.callee is None or use.callee.package != LOCAL):
            return True
        if use.kind == UseKind.STORED and _exported_field(use.expression):
            return True
    return False


def _exported_field(value: Node) -> bool:
    """True when `value` is stored in an exported field (``c.Producer = p``,
    ``&Client{Producer: p}``): code of other packages may read its channels."""
    node = value
    above = parent(node)
    while above is not None and above.type in ("parenthesized_expression", "literal_element"):
        node, above = above, parent(above)
    if above is None:
        return False
    if above.type == "keyed_element":
        key = above.named_child(0)
        name = text(key)
        return key is not None and key != node and name[:1].isupper()
    statement = parent(above) if above.type == "expression_list" else None
    if statement is not None:
        if statement.type != "assignment_statement":
            return False
        lefts = expression_list(statement.child_by_field_name("left"))
        rights = expression_list(above)
        if len(lefts) != len(rights) or node not in rights:
            return False
        target = lefts[rights.index(node)]
        if target.type == "selector_expression":
            return text(target.child_by_field_name("field"))[:1].isupper()
    return False
