"""Control flow over structured Go code (no CFG): dominance, defers, loops, returns.

Go functions without ``goto`` are trees of blocks, so "does A run before every
path reaches B" is answered by block nesting: A dominates B when B lies in the
block that holds A's statement, after that statement, and A itself runs
unconditionally within its statement.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import FUNCTION_TYPES, is_inside


def statement_of(node: Node) -> Node:
    """The statement holding `node` that sits directly in a statement list."""
    current = node
    while current.parent is not None and current.parent.type not in (
        "statement_list",
        "block",
        "source_file",
    ):
        current = current.parent
    return current


def _conditional_within(node: Node, statement: Node) -> bool:
    """True when `node` runs only sometimes when `statement` runs (the right side
    of ``&&``/``||``, or inside a func literal)."""
    current = node
    while current != statement and current.parent is not None:
        parent = current.parent
        if parent.type == "func_literal":
            return True
        if parent.type == "binary_expression":
            operator = parent.child_by_field_name("operator")
            if (
                operator is not None
                and operator.type in ("&&", "||")
                and parent.child_by_field_name("right") == current
            ):
                return True
        current = parent
    return False


def dominates(first: Node, second: Node) -> bool:
    """True when `first` runs on every path from the function start to `second`."""
    if first.start_byte > second.start_byte:
        return False
    statement = statement_of(first)
    container = statement.parent
    if container is None:
        return False
    if _conditional_within(first, statement):
        return False
    if not is_inside(second, container):
        return False
    if second.start_byte >= statement.end_byte:
        return True
    return is_inside(second, statement) and second.start_byte >= first.end_byte


def is_deferred(call: Node) -> bool:
    """True for ``defer x.Close()`` and for calls inside ``defer func() { ... }()``."""
    parent = call.parent
    if parent is not None and parent.type == "defer_statement":
        return True
    # One walk up through the enclosing func literals (each `Node.parent` costs the
    # node's depth: no walk may restart from the bottom).
    current = parent
    while current is not None:
        if current.type == "func_literal":
            literal_call = current.parent
            if literal_call is not None and literal_call.type == "call_expression":
                holder = literal_call.parent
                if holder is not None and holder.type == "defer_statement":
                    return True
            current = literal_call
            continue
        if current.type in FUNCTION_TYPES:
            return False
        current = current.parent
    return False


def in_loop(node: Node, within: Node | None = None) -> Node | None:
    """The innermost ``for`` statement around `node` in the same function, if any."""
    current = node.parent
    while current is not None and current != within:
        if current.type in FUNCTION_TYPES:
            return None
        if current.type == "for_statement":
            return current
        current = current.parent
    return None


def returns_of(function: Node) -> Iterator[Node]:
    """Return statements of `function`, not those of nested func literals."""
    body = function.child_by_field_name("body")
    if body is None:
        return
    stack = [body]
    while stack:
        current = stack.pop()
        if current.type == "return_statement":
            yield current
            continue
        stack.extend(c for c in current.named_children if c.type != "func_literal")


def ends_without_return(function: Node) -> bool:
    """True when control can fall off the end of `function`'s body (approximate:
    the last statement is not a return, panic, or an infinite ``for``)."""
    body = function.child_by_field_name("body")
    if body is None:
        return False
    statements = [c for c in body.named_children if c.type == "statement_list"]
    if not statements:
        return True
    items = [c for c in statements[0].named_children if c.type != "comment"]
    if not items:
        return True
    last = items[-1]
    if last.type == "return_statement":
        return False
    if last.type == "expression_statement":
        call = last.named_child(0)
        if call is not None and call.type == "call_expression":
            function_node = call.child_by_field_name("function")
            if function_node is not None and function_node.text in (
                b"panic",
                b"os.Exit",
                b"log.Fatal",
            ):
                return False
    infinite_for = last.type == "for_statement" and all(
        c.type in ("block", "comment") for c in last.named_children
    )
    return not infinite_for
