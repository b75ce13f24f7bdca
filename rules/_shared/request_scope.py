"""Whether code runs once per request (or once per item of a loop) rather than once
per process: the place where opening a process-wide resource (a `*sql.DB` pool, a
pgxpool, a gocql session) is a defect.

Code is per call when it sits

- in an HTTP handler (a function or func literal taking an ``http.ResponseWriter``,
  an ``*http.Request``, a gin/echo/fiber context), or in a closure inside one;
- in a loop body of its own function (or of a func literal called on the spot
  there), when the loop is not a retry loop (one that ``break``s out or sleeps
  between attempts) and the value is declared inside it;
- in a function that receives a ``context.Context`` (request-scoped by Go
  convention), or in a closure inside one;

and the top-level function holding it is not a constructor or start-up function:
``New*``, ``Open*``, ``Connect*``, ``Dial*``, ``Init*``, ``Setup*``, ``Start*``,
``Must*`` (either case), ``main``, ``init``, ``run``/``Run``. A handler literal
inside ``main`` is still a handler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import Binding, Facts
from gobex.facts.flow import in_loop
from gobex.facts.syntax import FUNCTION_TYPES, call_function_parts, function_name, is_inside, parent
from gobex.gotypes import GoType

CONSTRUCTOR_NAME = re.compile(
    r"^(?:[Nn]ew|[Oo]pen|[Cc]onnect|[Dd]ial|[Ii]nit|[Ss]etup|[Ss]etUp|[Ss]tart|[Mm]ust)"
    r"|^(?:main|init|run|Run)$"
)

# Parameter types that make a function a request handler: (package, name).
_HANDLER_TYPES = frozenset(
    {
        ("net/http", "ResponseWriter"),
        ("net/http", "Request"),
        ("github.com/gin-gonic/gin", "Context"),
        ("github.com/labstack/echo/v4", "Context"),
        ("github.com/labstack/echo", "Context"),
        ("github.com/gofiber/fiber/v2", "Ctx"),
        ("github.com/valyala/fasthttp", "RequestCtx"),
    }
)

# Calls that mark a loop as retrying (waiting between attempts).
_WAITS = frozenset({"Sleep", "After", "NewTimer", "NewTicker", "Tick"})


@dataclass(frozen=True)
class RequestScope:
    """Why code at some node runs per call: `reason` completes "… is opened <reason>"
    (``inside a loop``, ``in the HTTP handler getUser``, ``in GetUser, which serves a
    request (it receives a context)``); `node` is the loop or the function."""

    reason: str
    node: Node


def per_call_scope(facts: Facts, node: Node, value: Binding | None = None) -> RequestScope | None:
    """The per-call scope `node` runs in, or None when it runs once (a constructor,
    ``main``, a plain function without a context). `value` is the variable that
    receives what `node` opens: a loop counts only when it is declared inside it."""
    functions = _enclosing_functions(facts, node)
    if not functions:
        return None
    for function in functions:
        if _is_handler(facts, function):
            name = function_name(function)
            label = f"the HTTP handler {name}" if name else "an HTTP handler"
            return RequestScope(f"in {label}", function)
    declaration = functions[-1]
    name = function_name(declaration)
    if declaration.type in ("function_declaration", "method_declaration") and is_constructor_name(
        name
    ):
        return None
    loop = _loop_around(functions, node)
    if (
        loop is not None
        and (value is None or is_inside(value.ident, loop))
        and not is_retry_loop(facts, loop)
    ):
        return RequestScope("inside a loop", loop)
    for function in functions:
        if _takes_context(facts, function):
            label = function_name(function) or "a func literal"
            return RequestScope(
                f"in {label}, which serves a request (it receives a context)", function
            )
    return None


def _loop_around(functions: list[Node], node: Node) -> Node | None:
    """The loop around `node` in its function, or around a func literal that is
    called on the spot (``func() { ... }()``, ``go func() { ... }()``) holding it."""
    loop = in_loop(node)
    for function in functions:
        if loop is not None or function.type != "func_literal":
            break
        call = parent(function)
        if call is None or call.type != "call_expression":
            break
        if call.child_by_field_name("function") != function:
            break
        loop = in_loop(call)
    return loop


def is_constructor_name(name: str) -> bool:
    """``NewStore``, ``openDB``, ``main``, ``run``...: a function that runs once."""
    return bool(CONSTRUCTOR_NAME.search(name))


def is_retry_loop(facts: Facts, loop: Node) -> bool:
    """A loop that stops on success or waits between attempts: a ``break`` of its
    own, or a ``time.Sleep``/``time.After``/timer in its body."""
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    stack = list(body.named_children)
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in FUNCTION_TYPES:
            continue
        if kind == "break_statement":
            labelled = current.named_child_count > 0
            if labelled or _breaks_this_loop(current, loop):
                return True
            continue
        if kind == "call_expression":
            operand, name = call_function_parts(current)
            if name in _WAITS and facts.package_ref(operand) == "time":
                return True
        stack.extend(current.named_children)
    return False


def _breaks_this_loop(statement: Node, loop: Node) -> bool:
    """An unlabelled ``break`` leaves the innermost for/switch/select around it."""
    current = parent(statement)
    while current is not None and current != loop:
        if current.type in (
            "for_statement",
            "expression_switch_statement",
            "type_switch_statement",
            "select_statement",
        ):
            return False
        current = parent(current)
    return current == loop


def _enclosing_functions(facts: Facts, node: Node) -> list[Node]:
    """The functions around `node`, innermost first, up to the top-level one."""
    found: list[Node] = []
    function = facts.enclosing_function(node)
    while function is not None:
        found.append(function)
        function = facts.enclosing_function(function)
    return found


def _parameter_types(facts: Facts, function: Node) -> list[GoType]:
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        return []
    types: list[GoType] = []
    for parameter in parameters.named_children:
        if parameter.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        resolved = facts.resolve_type(parameter.child_by_field_name("type"))
        if resolved is not None:
            types.extend([resolved] * max(1, len(parameter.children_by_field_name("name"))))
    return types


def _is_handler(facts: Facts, function: Node) -> bool:
    return any((t.package, t.name) in _HANDLER_TYPES for t in _parameter_types(facts, function))


def _takes_context(facts: Facts, function: Node) -> bool:
    return any(t.is_type("context", "Context") for t in _parameter_types(facts, function))
