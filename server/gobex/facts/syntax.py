"""Small, shared helpers over tree-sitter Go nodes."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

FUNCTION_TYPES = frozenset({"function_declaration", "method_declaration", "func_literal"})
CASE_TYPES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})
LOOP_TYPES = frozenset({"for_statement"})


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "surrogateescape")


def unparen(node: Node) -> Node:
    """`node` without surrounding parentheses."""
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        inner: Node | None = node.named_child(0)
        if inner is None:
            break
        node = inner
    return node


def enclosing_function(node: Node) -> Node | None:
    """The innermost function declaration, method or func literal holding `node`."""
    current = node.parent
    while current is not None:
        if current.type in FUNCTION_TYPES:
            return current
        current = current.parent
    return None


def top_level_declaration(node: Node) -> Node | None:
    """The child of the source file holding `node` (a func, type, var... declaration)."""
    current: Node | None = node
    while current is not None and current.parent is not None:
        if current.parent.type == "source_file":
            return current
        current = current.parent
    return None


def function_name(function: Node) -> str:
    """The declared name of a function or method; "" for func literals."""
    name = function.child_by_field_name("name")
    return text(name)


def receiver_type_name(method: Node) -> str | None:
    """The base type name of a method's receiver (``Repo`` for ``(r *Repo)``)."""
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return None
    for param in receiver.named_children:
        if param.type != "parameter_declaration":
            continue
        type_node = param.child_by_field_name("type")
        while type_node is not None and type_node.type in ("pointer_type", "generic_type"):
            inner = (
                type_node.named_child(0)
                if type_node.type == "pointer_type"
                else type_node.child_by_field_name("type")
            )
            type_node = inner
        if type_node is not None:
            return text(type_node)
    return None


def call_function_parts(call: Node) -> tuple[Node | None, str]:
    """For ``x.y.M(...)`` returns (the ``x.y`` node, "M"); for ``f(...)`` (None, "f")."""
    function = call.child_by_field_name("function")
    if function is None:
        return None, ""
    function = unparen(function)
    if function.type == "selector_expression":
        return function.child_by_field_name("operand"), text(function.child_by_field_name("field"))
    if function.type == "identifier":
        return None, text(function)
    if function.type in ("generic_type", "index_expression"):
        inner = function.child_by_field_name("type") or function.child_by_field_name("operand")
        if inner is not None and inner.type == "identifier":
            return None, text(inner)
        if inner is not None and inner.type == "selector_expression":
            return inner.child_by_field_name("operand"), text(inner.child_by_field_name("field"))
    return None, ""


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


def expression_list(node: Node | None) -> list[Node]:
    """The expressions of an ``expression_list`` (or the node itself)."""
    if node is None:
        return []
    if node.type == "expression_list":
        return [c for c in node.named_children if c.type != "comment"]
    return [node]


def walk(node: Node) -> Iterator[Node]:
    """All named descendants of `node` (pre-order), `node` included."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def walk_same_function(node: Node) -> Iterator[Node]:
    """Named descendants of `node`, not entering nested func literals."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(c for c in reversed(current.named_children) if c.type != "func_literal")


def statement_of(node: Node) -> Node:
    """The statement (child of a statement_list) that holds `node`."""
    current = node
    while current.parent is not None and current.parent.type != "statement_list":
        if current.parent.type in ("source_file", "block"):
            break
        current = current.parent
    return current


def is_inside(node: Node, ancestor: Node) -> bool:
    return (
        ancestor.start_byte <= node.start_byte
        and node.end_byte <= ancestor.end_byte
        and (node == ancestor or _has_ancestor(node, ancestor))
    )


def _has_ancestor(node: Node, ancestor: Node) -> bool:
    current = node.parent
    while current is not None:
        if current == ancestor:
            return True
        current = current.parent
    return False


def has_token(node: Node, token: str) -> bool:
    """True when `node` has an anonymous child token `token` (e.g. ``:=``)."""
    return any(not c.is_named and c.type == token for c in node.children)
