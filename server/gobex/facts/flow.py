"""Control flow over structured Go code (no CFG): dominance, defers, loops, returns.

Go functions without ``goto`` are trees of blocks, so "does A run before every
path reaches B" is answered by block nesting: A dominates B when B lies in the
block that holds A's statement, after that statement, and A itself runs
unconditionally within its statement.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import (
    FUNCTION_TYPES,
    ancestry_of,
    enclosing_function,
    is_inside,
    parent,
)


def statement_of(node: Node) -> Node:
    """The statement holding `node` that sits directly in a statement list."""
    current = node
    above = parent(current)
    while above is not None and above.type not in ("statement_list", "block", "source_file"):
        current = above
        above = parent(current)
    return current


def _conditional_within(node: Node, statement: Node) -> bool:
    """True when `node` runs only sometimes when `statement` runs (the right side
    of ``&&``/``||``, or inside a func literal)."""
    current = node
    above = parent(current)
    while current != statement and above is not None:
        if above.type == "func_literal":
            return True
        if above.type == "binary_expression":
            operator = above.child_by_field_name("operator")
            if (
                operator is not None
                and operator.type in ("&&", "||")
                and above.child_by_field_name("right") == current
            ):
                return True
        current = above
        above = parent(current)
    return False


def dominates(first: Node, second: Node) -> bool:
    """True when `first` runs on every path from the function start to `second`."""
    if first.start_byte > second.start_byte:
        return False
    statement = statement_of(first)
    container = parent(statement)
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
    above = parent(call)
    if above is not None and above.type == "defer_statement":
        return True
    function = enclosing_function(call)
    return function is not None and _runs_deferred(function)


def _runs_deferred(function: Node) -> bool:
    """True when the func literal `function` is deferred, or sits in one that is.
    Answers are remembered per literal for the tree being linted, so that the
    calls of 3,000 nested closures do not each walk to the top."""
    ancestry = ancestry_of(function)
    memo = ancestry.deferred if ancestry is not None else {}
    chain: list[Node] = []
    result = False
    current: Node | None = function
    while current is not None and current.type == "func_literal":
        if current in memo:
            result = memo[current]
            break
        chain.append(current)
        literal_call = parent(current)
        if literal_call is not None and literal_call.type == "call_expression":
            holder = parent(literal_call)
            if holder is not None and holder.type == "defer_statement":
                result = True
                break
        current = enclosing_function(current)
    for literal in chain:
        memo[literal] = result
    return result


def in_loop(node: Node, within: Node | None = None) -> Node | None:
    """The innermost ``for`` statement around `node` in the same function, if any."""
    current = parent(node)
    while current is not None and current != within:
        if current.type in FUNCTION_TYPES:
            return None
        if current.type == "for_statement":
            return current
        current = parent(current)
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
