"""An HTTP server has no read timeout.

## What it does
Reports servers that wait forever for a client to send its request headers:
`http.ListenAndServe`, `ListenAndServeTLS`, `Serve` and `ServeTLS` (the package
functions build a `Server` with no timeouts), and `http.Server` values —
`http.Server{...}` and `&http.Server{...}` literals, `new(http.Server)`,
`var srv http.Server` — that set neither `ReadHeaderTimeout` nor `ReadTimeout`,
unless one of them is assigned later (`srv.ReadHeaderTimeout = ...` on that
variable, or on any `http.Server` of the package when the value is stored in a
field or handed on). Servers listening on a constant loopback address
(`"localhost:6060"`, `"127.0.0.1:..."`, or a listener from `net.Listen` on
one, kept in a variable or a struct field), `_test.go` files and programs run
by hand (`//go:build ignore`) are left alone: only local processes can reach
them. Gosec reports the same defect as G112 and
G114.

The severity is `warning`: nothing is lost or corrupted on the normal path,
the failure needs slow or hostile clients — a robustness defect, which is what
`warning` stands for.

## Why is this bad
Without a read timeout, a client that opens a connection and sends its headers
one byte at a time (or never finishes them) keeps a connection, a goroutine and
its buffers for as long as it likes. A few hundred such clients (slowloris) use
up the file descriptors or memory of the process and every real request is
refused — no flood of traffic needed. Flaky mobile networks and broken proxies
produce the same idle connections by accident.

## Example
```go
func main() {
        mux := http.NewServeMux()
        mux.HandleFunc("/orders", handleOrders)
        log.Fatal(http.ListenAndServe(":8080", mux))
}
```

## Use instead
```go
func main() {
        mux := http.NewServeMux()
        mux.HandleFunc("/orders", handleOrders)
        srv := &http.Server{
                Addr:              ":8080",
                Handler:           mux,
                ReadHeaderTimeout: 10 * time.Second,
        }
        log.Fatal(srv.ListenAndServe())
}
```
`ReadHeaderTimeout` bounds only the request headers: request bodies (uploads,
streams) keep whatever deadline the handler chooses, so the fix is safe for
every well-behaved client. Set `ReadTimeout`, `WriteTimeout` and `IdleTimeout`
too when handlers are short.
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import arguments, text, unparen
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.composite_literal import add_keyed_field, keyed_field_names
from .._shared.qualifier import qualifier
from .._shared.test_files import is_run_by_hand
from . import HTTP_PACKAGES
from ._server import (
    HTTP,
    READ_TIMEOUTS,
    holder,
    in_test_code,
    is_loopback,
    loopback_listener,
    served,
    served_on_loopback,
    timeout_set_later,
)

TIMEOUT = "ReadHeaderTimeout"
TIMEOUT_VALUE = "10 * {time}.Second"

RULE = Rule(
    code="API002",
    name="server-without-read-timeout",
    severity=Severity.WARNING,
    packages=HTTP_PACKAGES,
    query="""
(call_expression
  function: (selector_expression
    field: (field_identifier) @_serve
    (#match? @_serve "^(ListenAndServe|ListenAndServeTLS|Serve|ServeTLS)$"))) @serve
(composite_literal
  type: (qualified_type name: (type_identifier) @_literal (#eq? @_literal "Server"))) @literal
(call_expression
  function: (identifier) @_new (#eq? @_new "new")
  arguments: (argument_list
    (qualified_type name: (type_identifier) @_new_type (#eq? @_new_type "Server")))) @new
(var_spec
  type: (qualified_type name: (type_identifier) @_var_type (#eq? @_var_type "Server"))) @var
""",
    doc=__doc__ or "",
    fixable=True,
    scope=Scope.PACKAGE,
)

# Package function -> (index of the address or listener, arguments of the method).
_SERVE_FUNCTIONS = {
    "ListenAndServe": ("Addr", (1,), ()),
    "ListenAndServeTLS": ("Addr", (3,), (1, 2)),
    "Serve": (None, (1,), (0,)),
    "ServeTLS": (None, (1,), (0, 2, 3)),
}


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if in_test_code(ctx) or is_run_by_hand(ctx.source):
        return
    serve = match.get("serve")
    if serve is not None:
        yield from _check_function(ctx, serve)
        return
    literal = match.get("literal")
    if literal is not None:
        yield from _check_literal(ctx, literal)
        return
    new = match.get("new")
    if new is not None:
        yield from _check_declared(ctx, new, match["_new_type"].parent, holder(new))
        return
    var = match.get("var")
    if var is not None and var.child_by_field_name("value") is None:
        names = var.children_by_field_name("name")
        yield from _check_declared(ctx, var, var.child_by_field_name("type"), *names[:1])


def _is_server(ctx: RuleContext, type_node: Node | None) -> bool:
    server = ctx.facts.resolve_type(type_node)
    return server is not None and server.is_type(HTTP, "Server")


def _check_function(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    callee = ctx.facts.callee(call)
    if callee is None or callee.receiver is not None or callee.package != HTTP:
        return
    if callee.spec is None or "serve-no-timeout" not in callee.spec.tags:
        return
    args = arguments(call)
    if callee.name.startswith("ListenAndServe") and args and is_loopback(ctx, args[0]):
        return
    if callee.name.startswith("Serve") and args and loopback_listener(ctx, args[0]):
        return
    function = call.child_by_field_name("function")
    written = text(function)
    yield ctx.finding(
        call,
        f"{written} starts a server without {TIMEOUT} (slow clients can hold connections forever)",
        fixes=[_server_fix(ctx, call, callee.name)],
    )


def _check_literal(ctx: RuleContext, literal: Node) -> Iterator[Finding]:
    type_node = literal.child_by_field_name("type")
    if not _is_server(ctx, type_node):
        return
    body = literal.child_by_field_name("body")
    if body is None:
        return
    keys = keyed_field_names(body)
    if keys is None or keys & READ_TIMEOUTS:
        return
    if _literal_loopback(ctx, body) or timeout_set_later(ctx, holder(literal)):
        return
    if served_on_loopback(ctx, holder(literal)):
        return
    fix = None
    when = qualifier(ctx, literal, "time", "time")
    if when is not None:
        value = TIMEOUT_VALUE.format(time=when.name)
        edits = add_keyed_field(ctx.source, body, TIMEOUT, value)
        if edits is not None:
            fix = ctx.fix(f"Add `{TIMEOUT}: {value}`", edits, imports=when.imports)
    yield ctx.finding(
        type_node if type_node is not None else literal,
        f"http.Server sets neither {TIMEOUT} nor ReadTimeout"
        " (slow clients can hold connections forever)",
        fixes=[fix],
    )


def _check_declared(
    ctx: RuleContext, node: Node, type_node: Node | None, target: Node | None
) -> Iterator[Finding]:
    """``new(http.Server)`` and ``var srv http.Server`` that the function then serves
    (``srv.ListenAndServe()``): every field starts zero. A zero server that is
    only returned or read is a configuration holder (``http2.ServeConnOpts``)."""
    if not _is_server(ctx, type_node) or not served(ctx, target):
        return
    if timeout_set_later(ctx, target):
        return
    if target is not None and (_address_loopback(ctx, target) or served_on_loopback(ctx, target)):
        return
    yield ctx.finding(
        node,
        f"http.Server is created without {TIMEOUT} or ReadTimeout"
        " (slow clients can hold connections forever)",
    )


def _literal_loopback(ctx: RuleContext, body: Node) -> bool:
    for element in body.named_children:
        if element.type != "keyed_element":
            continue
        parts = [c for c in element.named_children if c.type != "comment"]
        if len(parts) == 2 and text(parts[0]) == "Addr":
            value: Node | None = parts[1].named_child(0)
            return is_loopback(ctx, value if value is not None else parts[1])
    return False


def _address_loopback(ctx: RuleContext, target: Node) -> bool:
    """``srv.Addr = "localhost:6060"`` on the variable."""
    binding = ctx.facts.binding(target)
    if binding is None:
        return False
    for use in ctx.facts.uses(binding):
        if use.path != "Addr":
            continue
        parent = use.expression.parent
        statement = parent.parent if parent is not None else None
        if statement is None or statement.type != "assignment_statement":
            continue
        right = statement.child_by_field_name("right")
        values = list(right.named_children) if right is not None else []
        if len(values) == 1 and is_loopback(ctx, values[0]):
            return True
    return False


def _server_fix(ctx: RuleContext, call: Node, name: str) -> Fix | None:
    """``http.ListenAndServe(addr, h)`` -> ``(&http.Server{Addr: addr, Handler: h,
    ReadHeaderTimeout: 10 * time.Second}).ListenAndServe()``: what the package
    function does, plus the timeout."""
    shape = _SERVE_FUNCTIONS.get(name)
    function = call.child_by_field_name("function")
    operand = function.child_by_field_name("operand") if function is not None else None
    args = arguments(call)
    if shape is None or operand is None or any(a.type == "variadic_argument" for a in args):
        return None
    address_field, handler_index, method_indexes = shape
    expected = 2 if name in ("ListenAndServe", "Serve") else 4
    if len(args) != expected:
        return None
    when = qualifier(ctx, call, "time", "time")
    if when is None:
        return None
    fields = []
    if address_field is not None:
        fields.append(f"{address_field}: {text(args[0])}")
    handler = args[handler_index[0]]
    if unparen(handler).type != "nil":
        fields.append(f"Handler: {text(handler)}")
    fields.append(f"{TIMEOUT}: {TIMEOUT_VALUE.format(time=when.name)}")
    method_args = ", ".join(text(args[i]) for i in method_indexes)
    replacement = f"(&{text(operand)}.Server{{{', '.join(fields)}}}).{name}({method_args})"
    return ctx.fix(
        f"Use an `http.Server` with `{TIMEOUT}`",
        [TextEdit(call.start_byte, call.end_byte, replacement)],
        imports=when.imports,
    )
