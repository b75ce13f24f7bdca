"""A gocql session is created per request or per loop iteration.

## What it does
Reports `cluster.CreateSession()` and `gocql.NewSession(cfg)` (v1 and
`apache/cassandra-gocql-driver/v2`) in code that runs once per call: an HTTP
handler (or a closure inside one), a loop body, or a function that receives a
`context.Context` (request-scoped by convention). Constructors and start-up code
are left alone (`New*`, `Open*`, `Connect*`, `Dial*`, `Init*`, `Setup*`,
`Start*`, `Must*`, `main`, `init`, `run`), and so are retry loops (a loop that
`break`s or sleeps), sessions that are returned or stored (a field, a package
variable, a variable of an enclosing function: lazy initialisation), and
`_test.go` files. The heuristic is shared with PG008
(`rules/_shared/request_scope.py`).

## Why is this bad
A `*gocql.Session` is a connection pool to the whole cluster: creating one
discovers the topology, opens `NumConns` connections to every node, prepares
statements again, and starts background goroutines. Per request that is
hundreds of milliseconds of latency, thousands of connections under load
(Cassandra starts refusing them), and goroutine and file-descriptor leaks for
every session that is not closed. gocql sessions are safe for concurrent use:
create one at start-up and share it.

## Example
```go
func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
        session, err := h.cluster.CreateSession()
        if err != nil { ... }
        defer session.Close()
        ...
}
```

## Use instead
```go
func NewHandler(cluster *gocql.ClusterConfig) (*Handler, error) {
        session, err := cluster.CreateSession()
        if err != nil {
                return nil, err
        }
        return &Handler{session: session}, nil
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding, Facts, UseKind
from gobex.facts.syntax import expression_list, outer_holder, parent, text, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.request_scope import per_call_scope
from .._shared.test_files import is_test_file
from . import CQL_PACKAGES

RULE = Rule(
    code="CQL006",
    name="cql-session-per-call",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @method)
  (#match? @method "^(CreateSession|NewSession)$")) @open
""",
    doc=__doc__ or "",
)

_KEPT = frozenset({UseKind.RETURNED, UseKind.STORED, UseKind.SENT, UseKind.ADDRESS})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    call = match["open"]
    facts = ctx.facts
    callee = facts.callee(call)
    if callee is None or callee.spec is None or "opens-session" not in callee.spec.tags:
        return
    if callee.package != "gocql":
        return
    kept, binding = _kept(facts, call)
    if kept:
        return
    scope = per_call_scope(facts, call, binding)
    if scope is None:
        return
    related = []
    if scope.node.type == "for_statement":
        related.append(ctx.related(scope.node, "the loop runs it once per iteration"))
    yield ctx.finding(
        call,
        f"gocql session created {scope.reason}: each call connects to every node again; "
        "create one Session at start-up and share it",
        related=related,
    )


def _kept(facts: Facts, call: Node) -> tuple[bool, Binding | None]:
    """(True, _) when the session outlives the call: returned, stored, or assigned
    to a variable of an enclosing function; else (False, the local variable)."""
    _, holder = outer_holder(call)
    if holder is None or holder.type != "expression_list":
        return holder is not None and holder.type == "return_statement", None
    statement = parent(holder)
    if statement is None:
        return False, None
    if statement.type == "return_statement":
        return True, None
    if statement.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
        return True, None  # an argument, a literal element: handed on
    left = statement.child_by_field_name("left")
    targets = (
        expression_list(left) if left is not None else statement.children_by_field_name("name")
    )
    target = unparen(targets[0]) if targets else None
    if target is None or target.type != "identifier":
        return True, None  # a field or an element: stored
    if text(target) == "_":
        return False, None
    binding = facts.binding(target)
    if binding is None:
        return True, None  # a package variable
    if binding.function != facts.enclosing_function(call):
        return True, binding  # lazy initialisation of an enclosing function's variable
    uses = facts.uses(binding)
    if any(use.kind in _KEPT for use in uses):
        return True, binding
    return False, binding
