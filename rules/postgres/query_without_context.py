"""A database call ignores the context in scope.

## What it does
Reports database/sql and sqlx calls without a context (`Query`, `QueryRow`,
`Exec`, `Prepare`, `Begin`, `Ping`, sqlx `Get`, `Select`, `Queryx`,
`NamedExec`...) made where a `context.Context` or an `*http.Request` is in
scope, as the `noctx` linter does, and pgx, pgxpool and database/sql calls
given `context.Background()` or `context.TODO()` while a context is in scope.
Left alone: contexts that are themselves `context.Background()`, calls inside
a `go func() { ... }()` started in that function (detached work outlives the
request on purpose), releasing calls (`tx.Rollback(context.Background())`
in a defer must run even when the request is cancelled), and `_test.go`
files. The fix switches to the `Context` variant (`Begin` becomes
`BeginTx(ctx, nil)`) or passes the context in scope; it is safe when that
context is a parameter of the function.

## Why is this bad
A query without the request's context keeps running after the client has
gone, the deadline has passed or the server is shutting down: a slow query
holds its pooled connection and its locks to the end, requests pile up
behind it, and graceful shutdown waits for work nobody will read.

## Example
```go
func (h *Handler) Orders(w http.ResponseWriter, r *http.Request) {
        rows, err := h.db.Query("SELECT id FROM orders WHERE user_id = $1", userID(r))
        ...
}

func (r *Repo) Count(ctx context.Context) (n int, err error) {
        err = r.pool.QueryRow(context.Background(), "SELECT count(*) FROM orders").Scan(&n)
        return n, err
}
```

## Use instead
```go
func (h *Handler) Orders(w http.ResponseWriter, r *http.Request) {
        rows, err := h.db.QueryContext(r.Context(),
                "SELECT id FROM orders WHERE user_id = $1", userID(r))
        ...
}

func (r *Repo) Count(ctx context.Context) (n int, err error) {
        err = r.pool.QueryRow(ctx, "SELECT count(*) FROM orders").Scan(&n)
        return n, err
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import ContextRef
from gobex.facts.flow import is_deferred
from gobex.facts.syntax import arguments, text, unparen
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from . import SQL_PACKAGES
from ._context import context_argument, is_root_context, request_context

_WITHOUT_CONTEXT = (
    "^(Query|QueryRow|Exec|Prepare|Begin|Ping|Queryx|QueryRowx|NamedQuery|NamedExec"
    "|Get|Select|MustExec|Preparex|PrepareNamed|Beginx|MustBegin)$"
)

RULE = Rule(
    code="PG005",
    name="query-without-context",
    severity=Severity.WARNING,
    packages=SQL_PACKAGES,
    query=f"""
(call_expression
  function: (selector_expression field: (field_identifier) @method)
  (#match? @method "{_WITHOUT_CONTEXT}")) @call
(call_expression
  function: (selector_expression)
  arguments: (argument_list
    . (call_expression
        function: (selector_expression field: (field_identifier) @root))
    @root_call)
  (#match? @root "^(Background|TODO)$")) @rooted
""",
    doc=__doc__ or "",
    fixable=True,
)

# Variants that also take options: `Begin()` becomes `BeginTx(ctx, nil)`.
_WITH_OPTIONS = frozenset({"BeginTx", "BeginTxx", "MustBeginTx"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    rooted = match.get("rooted")
    if rooted is not None:
        yield from _check_root_context(ctx, rooted, match["root_call"])
        return
    yield from _check_variant(ctx, match["call"])


def _check_variant(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    callee = ctx.facts.callee(call)
    if callee is None or callee.spec is None or callee.spec.context_variant is None:
        return
    if callee.receiver is None:
        return  # package functions (sqlx.Get(db, ...)) take the handle first
    scope = request_context(ctx.facts, call)
    if scope is None:
        return
    variant = callee.spec.context_variant
    message = (
        f"{callee.name} ignores the context in scope: "
        f"use {variant}({scope.expression}, ...) so the query stops with the request"
    )
    yield ctx.finding(_method_node(call), message, fixes=[_variant_fix(ctx, call, variant, scope)])


def _check_root_context(ctx: RuleContext, call: Node, root: Node) -> Iterator[Finding]:
    if context_argument(ctx.facts, call) != root or not is_root_context(ctx.facts, root):
        return
    callee = ctx.facts.callee(call)
    if callee is None or callee.receiver is None:
        return
    spec = ctx.facts.type_spec(callee.receiver)
    if spec is not None and callee.name in (*spec.release, *spec.transfer):
        return  # cleanup must run even when the request is cancelled
    if is_deferred(call):
        return
    scope = request_context(ctx.facts, call)
    if scope is None:
        return
    message = (
        f"{callee.name} is given {text(root.child_by_field_name('function'))}() while "
        f"{scope.expression} is in scope: the query ignores cancellation"
    )
    fix = ctx.fix(
        f"Pass `{scope.expression}`",
        [TextEdit(root.start_byte, root.end_byte, scope.expression)],
        unsafe=not scope.is_parameter,
    )
    yield ctx.finding(root, message, fixes=[fix])


def _method_node(call: Node) -> Node:
    function = call.child_by_field_name("function")
    field = function.child_by_field_name("field") if function is not None else None
    return field if field is not None else call


def _variant_fix(ctx: RuleContext, call: Node, variant: str, scope: ContextRef) -> Fix | None:
    field = _method_node(call)
    args = call.child_by_field_name("arguments")
    if args is None or field == call:
        return None
    inserted = scope.expression
    if variant in _WITH_OPTIONS:
        if arguments(call):
            return None
        inserted += ", nil"
    elif arguments(call):
        inserted += ", "
    opening = args.start_byte + 1  # after `(`
    if unparen(args).type != "argument_list":
        return None
    edits = [
        TextEdit(field.start_byte, field.end_byte, variant),
        TextEdit(opening, opening, inserted),
    ]
    title = f"Use `{variant}({scope.expression}, ...)`"
    return ctx.fix(title, edits, unsafe=not scope.is_parameter)
