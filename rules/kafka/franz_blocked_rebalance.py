"""A franz-go client blocks rebalances on poll and never allows them again.

## What it does
Reports franz-go clients created with `kgo.BlockRebalanceOnPoll()` (the option
is followed through option slices and helpers) when no code of the package
calls `AllowRebalance()`, and each `Close()` of such a client (a local
variable, or a struct field the package sets in one place) that should be
`CloseAllowingRebalance()`; the unsafe fix makes it so.

## Why is this bad
With `BlockRebalanceOnPoll`, a rebalance cannot start between a poll and the
next `AllowRebalance()`. Without that call the first rebalance waits forever:
the member exceeds the rebalance timeout, is kicked out of the group, and its
partitions stop being consumed. `Close` does not allow rebalances either: a
client that has polled hangs in `Close` during shutdown until it is killed,
and the group waits for the session timeout before anyone takes over its
partitions.

## Example
```go
cl, err := kgo.NewClient(
        kgo.SeedBrokers(brokers...),
        kgo.ConsumerGroup("billing"),
        kgo.ConsumeTopics("invoices"),
        kgo.BlockRebalanceOnPoll(),
)
if err != nil {
        return err
}
defer cl.Close()
for {
        fetches := cl.PollFetches(ctx)
        process(fetches)
}
```

## Use instead
```go
defer cl.CloseAllowingRebalance()
for {
        fetches := cl.PollFetches(ctx)
        process(fetches)
        cl.AllowRebalance()
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Facts
from gobex.finding import Finding, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from . import KGO
from ._kgo_options import client_options
from ._origin import constructor_of
from ._syntax import related_anywhere, same_declaration

RULE = Rule(
    code="KFK015",
    name="franz-blocked-rebalance",
    severity=Severity.ERROR,
    packages=KGO,
    scope=Scope.PACKAGE,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @m)
  (#match? @m "^(NewClient|Close)$")) @call
""",
    doc=__doc__ or "",
    fixable=True,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    callee = ctx.facts.callee(call)
    if callee is None:
        return
    if callee.is_function("kgo", "NewClient"):
        yield from _never_allowed(ctx, call)
    elif callee.is_method("kgo", "Client", "Close"):
        yield from _close(ctx, call)


def _blocking_option(facts: Facts, new_client: Node) -> Node | None:
    blocking = client_options(facts, new_client).named("BlockRebalanceOnPoll")
    return blocking[0].node if blocking else None


def _never_allowed(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    option = _blocking_option(ctx.facts, call)
    if option is None:
        return
    if any(b".AllowRebalance()" in f.source.data for f in ctx.facts.package.files):
        return
    at = option if same_declaration(ctx, option, call) else call
    related = related_anywhere(ctx, option, "blocked here") if at != option else None
    yield ctx.finding(
        at,
        "BlockRebalanceOnPoll without any AllowRebalance() call: the first rebalance waits "
        "forever and the member is kicked out of the group",
        related=[related] if related is not None else [],
    )


def _close(ctx: RuleContext, close: Node) -> Iterator[Finding]:
    function = close.child_by_field_name("function")
    receiver = function.child_by_field_name("operand") if function is not None else None
    name = function.child_by_field_name("field") if function is not None else None
    if receiver is None or name is None:
        return
    origin = constructor_of(ctx.facts, receiver, "kgo", ("NewClient",))
    if origin is None or _blocking_option(origin.facts, origin.node) is None:
        return
    edit = TextEdit(name.start_byte, name.end_byte, "CloseAllowingRebalance")
    yield ctx.finding(
        close,
        "Close on a client that blocks rebalances on poll hangs until rebalances are "
        "allowed: use CloseAllowingRebalance",
        fixes=[ctx.fix("Use `CloseAllowingRebalance()`", [edit], unsafe=True)],
    )
