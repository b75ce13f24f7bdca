"""`LISTEN` runs on a pooled connection, or a notification loop cannot stop.

## What it does
Reports `LISTEN` sent through a pool (`pool.Exec(ctx, "LISTEN jobs")` on a
`*pgxpool.Pool`, a `*sql.DB` or a `*sqlx.DB`), and `LISTEN` on a connection
acquired from a pgxpool that the function gives back without waiting for
notifications on it (no `WaitForNotification`, no `Hijack`). A file that
installs a lib/pq notification handler (`ConnectorWithNotificationHandler`,
`SetNotificationHandler`) is left alone: every connection of that connector
hands its notifications to the handler. Also reports
`WaitForNotification(context.Background())` (or `TODO()`) inside a loop of a
package that serves requests (it imports net/http or gRPC): nothing can stop
that loop at shutdown.

## Why is this bad
`LISTEN` subscribes the one connection it runs on. Through a pool that is
whichever connection the pool picked, returned to the pool right after: the
notifications arrive on an idle connection nobody reads (or on the next
request that borrows it, which ignores them), and the listener waits forever.
A notification loop with a background context holds its connection through
shutdown, and the service is killed instead of stopping.

## Example
```go
if _, err := s.pool.Exec(ctx, "LISTEN jobs"); err != nil {
        return err
}
conn, _ := s.pool.Acquire(ctx)
defer conn.Release()
n, err := conn.Conn().WaitForNotification(ctx) // never fires
```

## Use instead
```go
conn, err := s.pool.Acquire(ctx)
if err != nil {
        return err
}
defer conn.Release()
if _, err := conn.Exec(ctx, "LISTEN jobs"); err != nil {
        return err
}
for {
        n, err := conn.Conn().WaitForNotification(ctx) // ctx is cancelled at shutdown
        if err != nil {
                return err
        }
        s.handle(n)
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import UseKind
from gobex.facts.flow import in_loop
from gobex.facts.syntax import text, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from . import SQL_PACKAGES
from ._context import context_argument, is_root_context
from ._handlers import serves_requests_package
from ._sql import SQL_CALL_QUERY, sql_argument, statement_keyword, tokenize, trace

RULE = Rule(
    code="PG012",
    name="listen-on-pool",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
    query=SQL_CALL_QUERY
    + """
(call_expression
  function: (selector_expression field: (field_identifier) @wait)
  (#eq? @wait "WaitForNotification")) @wait_call
""",
    doc=__doc__ or "",
)

_WAIT = b"WaitForNotification"
# lib/pq's ConnectorWithNotificationHandler / SetNotificationHandler.
_NOTIFICATION_HANDLER = b"NotificationHandler("


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    wait = match.get("wait_call")
    if wait is not None:
        yield from _check_wait(ctx, wait)
        return
    call = match["call"]
    argument = sql_argument(ctx.facts, call)
    if argument is None:
        return
    if statement_keyword(tokenize(trace(ctx.facts, argument, before=call).sketch())) != "LISTEN":
        return
    function = call.child_by_field_name("function")
    receiver = function.child_by_field_name("operand") if function is not None else None
    if receiver is None:
        return
    receiver_type = ctx.facts.type_of(receiver)
    if ctx.facts.has_tag(receiver_type, "sql-pool"):
        if _NOTIFICATION_HANDLER in ctx.source.data:
            return  # lib/pq delivers every connection's notifications to a handler
        yield ctx.finding(
            call,
            "LISTEN through a pool subscribes a connection the pool takes back at once: "
            "notifications are lost; listen on a dedicated connection",
        )
        return
    if ctx.facts.has_tag(receiver_type, "pool-conn"):
        yield from _check_acquired(ctx, call, receiver)


def _check_acquired(ctx: RuleContext, call: Node, receiver: Node) -> Iterator[Finding]:
    """LISTEN on ``conn`` from ``pool.Acquire``: fine when this function waits for
    notifications or hijacks the connection; otherwise it goes back listening."""
    binding = ctx.facts.binding(unparen(receiver))
    if binding is None:
        return
    uses = ctx.facts.uses(binding)
    if any(u.kind not in (UseKind.METHOD_CALL, UseKind.OTHER) for u in uses):
        return  # handed on: someone else may wait on it
    if any(u.kind == UseKind.METHOD_CALL and u.path == "Hijack" for u in uses):
        return
    if not any(u.kind == UseKind.METHOD_CALL and u.path == "Release" for u in uses):
        return
    function = binding.function
    if _WAIT in (function.text or b""):
        return
    yield ctx.finding(
        call,
        f"LISTEN on {binding.name}, which goes back to the pool without waiting for "
        "notifications: they are lost; hijack it or wait on it before Release",
    )


def _check_wait(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    argument = context_argument(ctx.facts, call)
    if argument is None or not is_root_context(ctx.facts, argument):
        return
    if in_loop(call) is None or not serves_requests_package(ctx.facts):
        return
    root = text(unparen(argument).child_by_field_name("function"))
    yield ctx.finding(
        argument,
        f"WaitForNotification({root}()) in a loop cannot be stopped at shutdown: "
        "pass a context that is cancelled when the server stops",
    )
