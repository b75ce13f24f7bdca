"""Whether the result of a call is looked at, and zero values for early returns."""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts.package import resolve_type_node
from gobex.facts.syntax import expression_list, text, unparen
from gobex.rule import RuleContext

_NUMERIC = frozenset(
    {
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "float32",
        "float64",
        "complex64",
        "complex128",
        "byte",
        "rune",
    }
)


def result_dropped(call: Node) -> bool:
    """True when nothing looks at `call`'s (single or last) result: the call is a
    statement, deferred, started as a goroutine, or its result is assigned to `_`."""
    node = call
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type in ("expression_statement", "defer_statement", "go_statement"):
        return True
    if parent.type == "expression_list":
        holder = parent.parent
        if holder is not None and holder.type in ("assignment_statement", "short_var_declaration"):
            if holder.child_by_field_name("right") != parent:
                return False
            lefts = expression_list(holder.child_by_field_name("left"))
            rights = expression_list(parent)
            if len(rights) == 1 and lefts:
                return all(text(target) == "_" for target in lefts[-1:])
            if node in rights and len(lefts) == len(rights):
                return text(lefts[rights.index(node)]) == "_"
    return False


def zero_values(ctx: RuleContext, function: Node) -> list[str] | None:
    """Go zero values for every result of `function` but the last (the error), or
    None when one cannot be written without knowing more than syntax tells."""
    result = function.child_by_field_name("result")
    if result is None:
        return None
    type_nodes: list[Node] = []
    if result.type == "parameter_list":
        for param in result.named_children:
            if param.type != "parameter_declaration":
                continue
            type_node = param.child_by_field_name("type")
            if type_node is None:
                return None
            type_nodes.extend([type_node] * max(1, len(param.children_by_field_name("name"))))
    else:
        type_nodes.append(result)
    if not type_nodes:
        return None
    zeros: list[str] = []
    for type_node in type_nodes[:-1]:
        zero = _zero(ctx, unparen(type_node))
        if zero is None:
            return None
        zeros.append(zero)
    return zeros


def _zero(ctx: RuleContext, type_node: Node) -> str | None:
    kind = type_node.type
    if kind in (
        "pointer_type",
        "slice_type",
        "map_type",
        "channel_type",
        "function_type",
        "interface_type",
    ):
        return "nil"
    if kind == "type_identifier":
        name = text(type_node)
        if name in _NUMERIC:
            return "0"
        if name == "string":
            return '""'
        if name == "bool":
            return "false"
        if name in ("error", "any"):
            return "nil"
        definition = ctx.facts.package.type_definition(name)
        if definition is not None and definition[0].type == "struct_type":
            return f"{name}{{}}"
        return None
    if kind == "qualified_type":
        resolved = resolve_type_node(type_node, ctx.facts.imports)
        spec = ctx.facts.type_spec(resolved)
        if resolved is None or spec is None:
            return None
        if spec.kind == "struct":
            return f"{text(type_node)}{{}}"
        if spec.kind == "interface":
            return "nil"
        return None
    if kind == "struct_type":
        return f"{text(type_node)}{{}}"
    if kind == "array_type":
        return f"{text(type_node)}{{}}"
    return None
