"""Small syntax questions the Kafka rules share."""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts.syntax import function_name, text
from gobex.rule import RuleContext


def in_main(ctx: RuleContext, node: Node) -> bool:
    """True inside `func main()` of package main (closures included): what is
    created there lives as long as the process."""
    function = ctx.facts.enclosing_function(node)
    while function is not None and function.type == "func_literal":
        function = ctx.facts.enclosing_function(function)
    if function is None or function.type != "function_declaration":
        return False
    return function_name(function) == "main" and package_name(ctx.source.root) == "main"


def package_name(root: Node) -> str:
    clause = next((c for c in root.named_children if c.type == "package_clause"), None)
    name = clause.named_child(0) if clause is not None else None
    return text(name)
