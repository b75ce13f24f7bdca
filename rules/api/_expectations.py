"""Does the code after a request expect it to fail? Then there is no response
body to close (tests do this: ``_, err := c.Get(bad); if err == nil { t.Fatal() }``)."""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts.syntax import arguments, call_function_parts, text, walk

from ._response import next_statement


def expects_failure(declaration: Node, error_name: str | None) -> bool:
    """``_, err := c.Get(bad)`` where the code then expects an error: the first
    ``if`` that looks at ``err`` (within the next few statements, or around the
    call) tests it other than by ``err != nil`` (``err == nil``, ``err !=
    errLimit``, ``!errors.Is(err, ...)``), or a test assertion wants one
    (``require.Error(t, err)``). Then there is no body to close."""
    if error_name is None:
        return False
    statement = _first_error_test(declaration, error_name)
    if statement is None:
        return False
    if statement.type == "if_statement":
        condition = statement.child_by_field_name("condition")
        return text(condition).replace(" ", "") != f"{error_name}!=nil"
    call = statement.named_child(0)
    if call is None or call.type != "call_expression":
        return False
    _, name = call_function_parts(call)
    return _wants_error(name) and any(text(a) == error_name for a in arguments(call))


def _wants_error(assertion: str) -> bool:
    """`require.Error`, `assert.ErrorIs`, `EqualError`, a local `assertError`..."""
    lowered = assertion.lower()
    for prefix in ("assert", "require", "expect", "want", "must", "equal"):
        if lowered.startswith(prefix):
            lowered = lowered[len(prefix) :]
            break
    return lowered.startswith("error")


def _first_error_test(declaration: Node, error_name: str) -> Node | None:
    """The ``if`` around the call, or the first statement after it that
    mentions the error (looking past the end of an enclosing ``if``/``else``)."""
    parent = declaration.parent
    if parent is not None and parent.type == "if_statement":
        return parent
    current: Node | None = declaration
    for _ in range(4):
        if current is None:
            return None
        following = next_statement(current)
        if following is None:
            # `if body { _, err = c.Post(...) } else { _, err = c.Get(...) }`
            current = _enclosing_if(current)
            continue
        if _mentions(following, error_name):
            return following if following.type in ("if_statement", "expression_statement") else None
        current = following
    return None


def _enclosing_if(statement: Node) -> Node | None:
    node = statement.parent
    while node is not None and node.type in ("statement_list", "block", "if_statement"):
        if (
            node.type == "if_statement"
            and node.parent is not None
            and node.parent.type != "if_statement"
        ):
            return node
        node = node.parent
    return None


def _mentions(node: Node, name: str) -> bool:
    return any(n.type == "identifier" and text(n) == name for n in walk(node))
