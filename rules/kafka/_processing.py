"""Where a consumed message is processed, and whether processing can fail.

Processing is a call that takes the message (or a field of it: ``m.Value``) as
an argument, other than logging and printing: ``json.Unmarshal(m.Value, &e)``
and ``h.handle(ctx, m)`` process; ``log.Printf("%s", m.Value)`` and
``logger.Info("got", zap.ByteString("v", m.Value))`` do not. Processing can
fail when its error is checked by an ``if`` whose error branch leaves the
message behind (``continue``, ``break`` or ``return``).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from gobex.facts import Binding, Facts, UseKind
from gobex.facts.facts import error_check
from gobex.facts.syntax import parent, walk_same_function
from gobex.gotypes import BUILTIN

_LOGGING = re.compile(
    r"^(S|F)?[Pp]rint(f|ln)?$|^(Debug|Info|Warn|Warning|Error|Fatal|Panic|Trace|Log)(f|w|ln|Context)?$"
    r"|^(With|WithField|WithFields|WithError|Str|Bytes|ByteString|String|Stringer|Any|Int|Int32|"
    r"Int64|Msg|Msgf|Field|Object|Interface|Dur|Time|Err)$"
)
_WRAPPERS = frozenset({"parenthesized_expression", "unary_expression"})
_LEAVING = frozenset({"continue_statement", "break_statement", "return_statement"})


def processing_calls(facts: Facts, message: Binding, after: Node, within: Node) -> list[Node]:
    """Calls processing `message` that start after `after` and lie in `within`."""
    found: list[Node] = []
    for use in facts.uses(message):
        node = use.node
        if node.start_byte < after.end_byte or not (
            within.start_byte <= node.start_byte < within.end_byte
        ):
            continue
        if use.kind == UseKind.METHOD_CALL:
            continue
        call = _processing_call(facts, use.expression)
        if call is not None and call not in found:
            found.append(call)
    return found


def _processing_call(facts: Facts, expression: Node) -> Node | None:
    """The outermost call `expression` is an argument of, unless a call on the
    way is logging; conversions and builtins (``string(m.Value)``, ``len``) are
    looked through."""
    node = expression
    outermost: Node | None = None
    while True:
        holder = parent(node)
        while holder is not None and holder.type in (
            "parenthesized_expression",
            "unary_expression",
        ):
            node, holder = holder, parent(holder)
        if holder is None or holder.type != "argument_list":
            break
        call = parent(holder)
        if call is None or call.type != "call_expression":
            break
        callee = facts.callee(call)
        name = callee.name if callee is not None else ""
        if callee is not None and callee.spec is not None and "print" in callee.spec.tags:
            return None
        if _LOGGING.match(name):
            return None
        if callee is None or not (callee.conversion is not None or callee.package == BUILTIN):
            outermost = call
        node = call
    return outermost


def failure_exit(call: Node) -> Node | None:
    """The ``continue``/``break``/``return`` on the error path of `call`:
    ``if err := call; err != nil { ...; continue }``, ``err = call`` followed by
    such an ``if``, or ``if call != nil { return }``."""
    holder = parent(call)
    if holder is None:
        return None
    branch: Node | None = None
    if holder.type == "expression_list":
        declaration = parent(holder)
        if declaration is not None and declaration.type in (
            "short_var_declaration",
            "assignment_statement",
        ):
            check = error_check(declaration)
            branch = check.invalid if check is not None else None
    elif holder.type == "binary_expression":
        condition = parent(holder)
        operator = holder.child_by_field_name("operator")
        right = holder.child_by_field_name("right")
        if (
            condition is not None
            and condition.type == "if_statement"
            and operator is not None
            and operator.type == "!="
            and right is not None
            and right.type == "nil"
        ):
            branch = condition.child_by_field_name("consequence")
    if branch is None:
        return None
    for node in walk_same_function(branch):
        if node.type in _LEAVING:
            return node
    return None
