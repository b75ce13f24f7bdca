"""A fix that stops dropping an error: ``call()`` as a statement becomes
``if err := call(); err != nil { return <zero values>, err }``, when the
enclosing function returns an error and its other results' zero values can be
written. The fix changes behaviour (the function starts returning an error it
used to swallow): it is unsafe."""

from __future__ import annotations

from tree_sitter import Node

from gobex.edits import indentation, line_ending
from gobex.facts.syntax import parent as parent_of
from gobex.finding import Fix, TextEdit
from gobex.rule import RuleContext

from .results import zero_values


def return_error_fix(ctx: RuleContext, call: Node, title: str) -> Fix | None:
    statement = parent_of(call)
    if statement is None or statement.type != "expression_statement":
        return None
    function = ctx.facts.enclosing_function(call)
    if function is None or not ctx.facts.returns_error(function):
        return None
    zeros = zero_values(ctx, function)
    if zeros is None:
        return None
    indent = indentation(ctx.source, statement)
    newline = line_ending(ctx.source)
    values = ", ".join([*zeros, "err"])
    code = (
        f"if err := {ctx.text(call)}; err != nil {{{newline}"
        f"{indent}\treturn {values}{newline}"
        f"{indent}}}"
    )
    return ctx.fix(title, [TextEdit(statement.start_byte, statement.end_byte, code)], unsafe=True)
