"""How fixed code can refer to a package at some point of a file: by the name the
file imports it under (``tm "time"`` -> ``tm``), or by its default name once the
fixer adds the import; never when a local or package-level name shadows it."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts.syntax import enclosing_function
from gobex.rule import RuleContext


@dataclass(frozen=True)
class Qualifier:
    """`name` to write before ``.Member``; `imports` to add with the fix."""

    name: str
    imports: tuple[str, ...]


def qualifier(ctx: RuleContext, node: Node, path: str, default_name: str) -> Qualifier | None:
    """The qualifier for package `path` at `node`, or None when no plain name
    works there (imported only as ``_`` or ``.``, or the name is shadowed)."""
    imports = ctx.facts.imports
    if imports.imports_path(path):
        name = imports.name_for(path)
        if name is None or name in (".", "_"):
            return None
        extra: tuple[str, ...] = ()
    else:
        name = default_name
        extra = (path,)
        package = ctx.facts.package
        if name in imports.names() or any(
            name in table
            for table in (package.functions, package.types, package.variables, package.constants)
        ):
            return None
    if _shadowed(ctx, node, name):
        return None
    return Qualifier(name, extra)


def _shadowed(ctx: RuleContext, node: Node, name: str) -> bool:
    """A local variable, parameter or constant named `name` is visible at `node`."""
    function = enclosing_function(node)
    while function is not None:
        for binding in ctx.facts.bindings_in(function):
            if binding.name != name or binding.ident.end_byte > node.start_byte:
                continue
            scope = binding.scope
            if scope.start_byte <= node.start_byte and node.end_byte <= scope.end_byte:
                return True
        function = enclosing_function(function)
    return False
