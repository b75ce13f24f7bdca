"""A database pool or connection is opened on every request, call or iteration.

## What it does
Reports `sql.Open`, `sql.OpenDB`, `sqlx.Open`/`Connect`, `pgx.Connect` and
`pgxpool.New`/`NewWithConfig`/`Connect` (v4 and v5) called inside an HTTP
handler (a function given an `*http.Request`, or a literal inside one), in
the body of a loop (a new pool each iteration), or in a method given a
`context.Context` in a package that serves requests (it imports net/http or
gRPC). Left alone: set-up code (`main`, `init`, `New*`, `Open*`, `Connect*`,
`setup*`, `run*`, `migrate*`...), pools that are returned or stored (a cache
of pools per tenant), retry loops that assign a variable declared outside the
loop, and `_test.go` files.

## Why is this bad
`sql.Open` and `pgxpool.New` create a pool meant to live as long as the
process: each call dials new connections, runs the TLS and authentication
handshakes, and throws the pool's warm connections away afterwards. Per
request this multiplies latency, and under load the server hits
`max_connections` ("sorry, too many clients already") and every service
sharing the database goes down with it.

## Example
```go
func (h *Handler) Orders(w http.ResponseWriter, r *http.Request) {
        db, err := sql.Open("pgx", h.dsn)
        if err != nil {
                http.Error(w, err.Error(), http.StatusInternalServerError)
                return
        }
        defer db.Close()
        ...
}
```

## Use instead
```go
func NewHandler(dsn string) (*Handler, error) {
        db, err := sql.Open("pgx", dsn) // once, at startup
        if err != nil {
                return nil, err
        }
        return &Handler{db: db}, nil
}

func (h *Handler) Orders(w http.ResponseWriter, r *http.Request) {
        rows, err := h.db.QueryContext(r.Context(), "SELECT id FROM orders")
        ...
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding, UseKind
from gobex.facts.flow import in_loop
from gobex.facts.syntax import expression_list, function_name, text, unparen
from gobex.facts.syntax import parent as parent_of
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.test_files import is_test_file
from . import SQL_PACKAGES
from ._handlers import is_constructor, is_http_handler, serves_requests_package, takes_context

_OPENERS = (
    "^(Open|OpenDB|Connect|ConnectConfig|ConnectContext|MustConnect|MustOpen|New|NewWithConfig)$"
)

RULE = Rule(
    code="PG008",
    name="db-opened-per-call",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
    query=f"""
(call_expression
  function: (selector_expression field: (field_identifier) @open)
  (#match? @open "{_OPENERS}")) @call
""",
    doc=__doc__ or "",
    scope=Scope.DECLARATION,
)

_OPENS = frozenset({"opens-pool", "opens-conn"})
_KEPT = frozenset({UseKind.RETURNED, UseKind.STORED, UseKind.SENT, UseKind.ADDRESS})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    call = match["call"]
    callee = ctx.facts.callee(call)
    if callee is None or callee.spec is None or callee.receiver is not None:
        return
    if not callee.spec.tags & _OPENS:
        return
    function = ctx.facts.enclosing_function(call)
    if function is None:
        return
    kept, declared_here = _fate(ctx, call)
    if kept:
        return
    label = text(call.child_by_field_name("function"))
    what = "a connection" if "opens-conn" in callee.spec.tags else "a connection pool"
    where = _per_call(ctx, call, function, declared_here)
    if where is None:
        return
    yield ctx.finding(call, f"{label} opens {what} {where}: open it once at startup and share it")


def _per_call(
    ctx: RuleContext, call: Node, function: Node, declared_here: Node | None
) -> str | None:
    """Where the call runs once per request or iteration, said as a phrase."""
    named = function
    current: Node | None = function
    while current is not None:
        if is_http_handler(ctx.facts, current):
            name = function_name(current)
            return f"on every request (HTTP handler {name})" if name else "on every request"
        named = current
        current = ctx.facts.enclosing_function(current)
    if is_constructor(named):
        return None
    loop = in_loop(call)
    if loop is not None and declared_here is not None and _inside(declared_here, loop):
        return "on every iteration of this loop"
    if (
        named.type == "method_declaration"
        and serves_requests_package(ctx.facts)
        and takes_context(ctx.facts, named)
    ):
        return f"on every call of {function_name(named)}, which serves requests"
    return None


def _fate(ctx: RuleContext, call: Node) -> tuple[bool, Node | None]:
    """(whether the opened value is kept beyond this call: returned or stored,
    the statement declaring the local that holds it, if any)."""
    holder = parent_of(call)
    if holder is None:
        return True, None
    if holder.type != "expression_list":
        # An argument, a return, a selector chain: handed on, not a per-call pool.
        return holder.type in ("return_statement", "argument_list", "keyed_element"), None
    statement = parent_of(holder)
    if statement is None:
        return True, None
    if statement.type == "return_statement":
        return True, None
    if statement.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
        return True, None
    left = expression_list(
        statement.child_by_field_name("left") or statement.child_by_field_name("name")
    )
    if not left:
        return True, None
    target = unparen(left[0])
    if target.type != "identifier":
        return True, None  # stored in a field or map element: cached
    binding = ctx.facts.binding(target)
    if binding is None:
        return True, None  # a package variable
    if _kept(ctx, binding):
        return True, None
    declaration = binding.decl
    return False, declaration


def _kept(ctx: RuleContext, binding: Binding) -> bool:
    return any(use.kind in _KEPT and not use.path for use in ctx.facts.uses(binding))


def _inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte
