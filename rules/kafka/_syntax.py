"""Small syntax questions the Kafka rules share."""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts.syntax import expression_list, function_name, parent, text
from gobex.finding import Related
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


def local_name(ctx: RuleContext, model_id: str) -> str | None:
    """The name the file imports a modelled package under, when code can use it
    (not imported, or only as ``_`` or ``.``: None)."""
    name = ctx.facts.imports.name_for(model_id)
    return None if name in (None, ".", "_") else name


def is_member(ctx: RuleContext, node: Node, model_id: str, *names: str) -> bool:
    """True for ``pkg.Name`` where pkg is an import of `model_id` and Name one of `names`."""
    if node.type != "selector_expression":
        return False
    package = ctx.facts.package_ref(node.child_by_field_name("operand"))
    return package == model_id and text(node.child_by_field_name("field")) in names


def related_anywhere(ctx: RuleContext, node: Node, message: str) -> Related | None:
    """A related location at `node`, in this file or another file of the package."""
    if _holds(ctx.source.root, node):
        return ctx.related(node, message)
    for file in ctx.facts.package.files:
        if file.source is not ctx.source and _holds(file.source.root, node):
            return Related(node.start_byte, node.end_byte, message, path=file.source.path)
    return None


def _holds(root: Node, node: Node) -> bool:
    """True when `node` is a node of `root`'s tree."""
    span = (node.start_byte, node.end_byte)
    found = root.descendant_for_byte_range(*span)
    while found is not None and found != node and (found.start_byte, found.end_byte) == span:
        found = parent(found)
    return found == node


def same_declaration(ctx: RuleContext, node: Node, anchor: Node) -> bool:
    """True when `node` lies in this file inside the top-level function that holds
    `anchor` (a finding there stays inside the declaration being checked)."""
    function = ctx.facts.enclosing_function(anchor)
    while function is not None and function.type == "func_literal":
        function = ctx.facts.enclosing_function(function)
    if function is None or not _holds(ctx.source.root, node):
        return False
    return function.start_byte <= node.start_byte and node.end_byte <= function.end_byte


def literal_field(literal: Node, name: str) -> Node | None:
    """The value of ``name: value`` in a keyed composite literal."""
    body = literal.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        if element.type != "keyed_element":
            continue
        key = element.child_by_field_name("key")
        value = element.child_by_field_name("value")
        if key is not None and value is not None and text(key) == name:
            inner = value.named_child(0) if value.type == "literal_element" else value
            return inner if inner is not None else value
    return None


def declared_name(literal: Node) -> Node | None:
    """The name ``w := &kafka.Writer{...}`` (or ``var w = ...``) declares for the
    literal (with or without ``&``), when it is one of the declaration's values."""
    node = literal
    above = parent(node)
    if above is not None and above.type == "unary_expression":
        node, above = above, parent(above)
    if above is None or above.type != "expression_list":
        return None
    declaration = parent(above)
    if declaration is None or declaration.type not in ("short_var_declaration", "var_spec"):
        return None
    names = (
        declaration.children_by_field_name("name")
        if declaration.type == "var_spec"
        else expression_list(declaration.child_by_field_name("left"))
    )
    values = expression_list(above)
    if len(names) != len(values) or node not in values:
        return None
    name = names[values.index(node)]
    return name if name.type == "identifier" else None


def fields_set_later(ctx: RuleContext, literal: Node, *fields: str) -> bool:
    """True when the variable the literal is declared into gets one of `fields`
    assigned or read later (``w.RequiredAcks = ...``), or cannot be told."""
    name = declared_name(literal)
    if name is None:
        return False
    binding = ctx.facts.binding(name)
    if binding is None:
        return True
    return any(use.path in fields for use in ctx.facts.uses(binding))
