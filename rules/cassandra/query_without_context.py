"""A gocql query runs without the context in scope.

## What it does
Reports `Exec()`, `Iter()`, `Scan(...)`, `MapScan(...)`, `ScanCAS(...)` and
`MapScanCAS(...)` on a gocql query (or a v2 batch's `Exec`/`ExecCAS`) created
in the same function by `session.Query`/`Bind`/`Batch` without
`.WithContext(ctx)`, made where a `context.Context` or an `*http.Request` is in
scope (v1 and `apache/cassandra-gocql-driver/v2`). Left alone: queries that
are passed to other functions or stored before they run (someone else may set
the context), queries that run in a `go func() { ... }()` (detached work
outlives the request on purpose), contexts that are themselves
`context.Background()`, and `_test.go` files. A `q.WithContext(ctx)` whose
result is dropped does not count: it returns a copy and leaves `q` as it was.

The fix inserts `.WithContext(ctx)` before the call (v1); for v2 it uses the
`Context` variant (`ExecContext(ctx)`, `ScanContext(ctx, ...)`). It is safe
when the context is a parameter of the function, unsafe otherwise.

## Why is this bad
Without the request's context a query keeps its connection stream and its
coordinator busy after the client has gone or the deadline has passed: gocql
waits for the full `Timeout` (and retries, and speculative executions) on a
slow or overloaded node. Under load, abandoned queries pile up behind the live
ones, and graceful shutdown waits for work nobody will read.

## Example
```go
func (s *Store) User(ctx context.Context, id gocql.UUID) (User, error) {
        var u User
        err := s.session.Query(`SELECT id, name FROM users WHERE id = ?`, id).
                Scan(&u.ID, &u.Name)
        return u, err
}
```

## Use instead
```go
func (s *Store) User(ctx context.Context, id gocql.UUID) (User, error) {
        var u User
        err := s.session.Query(`SELECT id, name FROM users WHERE id = ?`, id).
                WithContext(ctx).Scan(&u.ID, &u.Name)
        return u, err
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import ContextRef
from gobex.facts.syntax import arguments, text
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext

from .._shared.results import result_dropped
from .._shared.test_files import is_test_file
from ..postgres._context import request_context
from . import CQL_PACKAGES
from ._query_chain import QueryChain, chain_of, chain_to, method_range

RULE = Rule(
    code="CQL007",
    name="cql-query-without-context",
    severity=Severity.WARNING,
    packages=CQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression
    operand: (_)
    field: (field_identifier) @method)
  (#match? @method "^(Exec|Iter|Scan|MapScan|ScanCAS|MapScanCAS|ExecCAS|MapExecCAS)$")) @run
(call_expression
  function: (selector_expression field: (field_identifier) @method)
  arguments: (argument_list . (_) @batch)
  (#match? @method "^(ExecuteBatch|ExecuteBatchCAS|MapExecuteBatchCAS)$")) @run
""",
    doc=__doc__ or "",
    fixable=True,
)

_V2 = "github.com/apache/cassandra-gocql-driver/v2"
_CONTEXT_SETTERS = frozenset({"WithContext"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    run = match["run"]
    facts = ctx.facts
    callee = facts.callee(run)
    if callee is None or callee.package != "gocql" or callee.receiver is None:
        return
    receiver = callee.receiver
    batch = match.get("batch")
    if batch is not None:
        if not receiver.is_type("gocql", "Session"):
            return
        noun = "batch"
    elif receiver.is_type("gocql", "Query"):
        noun = "query"
    elif receiver.is_type("gocql", "Batch"):
        noun = "batch"
    else:
        return
    scope = request_context(facts, run)
    if scope is None:
        return
    chain = chain_of(facts, batch) if batch is not None else chain_to(facts, run)
    if not _lacks_context(chain):
        return
    method = text(match["method"])
    fix = _argument_fix(ctx, batch, scope) if batch is not None else _fix(ctx, run, method, scope)
    yield ctx.finding(
        method_range(run) if batch is None else run,
        f"{method}() runs the {noun} without {scope.expression}: "
        "cancellation and deadlines never reach Cassandra",
        fixes=[fix],
    )


def _lacks_context(chain: QueryChain | None) -> bool:
    """No ``WithContext`` whose result is used: gocql's ``q.WithContext(ctx)``
    returns a copy, so as a statement it sets nothing."""
    if chain is None or not chain.complete:
        return False
    return not any(not result_dropped(c.call) for c in chain.all(*_CONTEXT_SETTERS))


def _argument_fix(ctx: RuleContext, batch: Node, scope: ContextRef) -> Fix:
    code = f".WithContext({scope.expression})"
    return ctx.fix(
        f"Add `{code}`",
        [TextEdit(batch.end_byte, batch.end_byte, code)],
        unsafe=not scope.is_parameter,
    )


def _fix(ctx: RuleContext, run: Node, method: str, scope: ContextRef) -> Fix | None:
    function = run.child_by_field_name("function")
    operand = function.child_by_field_name("operand") if function is not None else None
    field = function.child_by_field_name("field") if function is not None else None
    args = run.child_by_field_name("arguments")
    if operand is None or field is None or args is None:
        return None
    variant = f"{method}Context"
    receiver = ctx.facts.type_of(operand)
    if (
        ctx.facts.imports.imports_path(_V2)
        and receiver is not None
        and ctx.facts.models.method(receiver.deref(), variant) is not None
    ):
        inserted = scope.expression + (", " if arguments(run) else "")
        opening = args.start_byte + 1
        return ctx.fix(
            f"Use `{variant}({scope.expression}, ...)`",
            [
                TextEdit(field.start_byte, field.end_byte, variant),
                TextEdit(opening, opening, inserted),
            ],
            unsafe=not scope.is_parameter,
        )
    code = f".WithContext({scope.expression})"
    return ctx.fix(
        f"Add `{code}`",
        [TextEdit(operand.end_byte, operand.end_byte, code)],
        unsafe=not scope.is_parameter,
    )
