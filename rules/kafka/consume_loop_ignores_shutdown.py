"""A loop calls a sarama consumer group's `Consume` forever, even after shutdown.

## What it does
Reports `group.Consume(ctx, topics, handler)` inside an endless `for { ... }`
that nothing can leave: no `return`, no `break` out of the loop, no `panic`
or `log.Fatal`, and no loop condition. `Consume` belongs in a loop (it returns
at every rebalance), but that loop must end when the context is cancelled
(`ctx.Err() != nil`) or the group is closed
(`errors.Is(err, sarama.ErrClosedConsumerGroup)`).

## Why is this bad
Once the context is cancelled or the group is closed, `Consume` returns at
once, every time. A loop without an exit then calls it millions of times a
second: the service pins a core at 100% CPU during every shutdown and never
finishes it (the orchestrator kills it after its grace period), and if the
error is logged, the log fills the disk at the same speed.

## Example
```go
for {
        if err := group.Consume(ctx, topics, handler); err != nil {
                log.Printf("consume: %v", err)
        }
}
```

## Use instead
```go
for {
        if err := group.Consume(ctx, topics, handler); err != nil {
                if errors.Is(err, sarama.ErrClosedConsumerGroup) {
                        return
                }
                log.Printf("consume: %v", err)
        }
        if ctx.Err() != nil {
                return
        }
}
```
"""

from collections.abc import Iterator

from gobex.facts.flow import in_loop
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from . import SARAMA
from ._loops import has_way_out, is_endless

RULE = Rule(
    code="KFK008",
    name="consume-loop-ignores-shutdown",
    severity=Severity.ERROR,
    packages=SARAMA,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @m)
  (#eq? @m "Consume")) @call
""",
    doc=__doc__ or "",
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    callee = ctx.facts.callee(call)
    if callee is None or not callee.is_method("sarama", "ConsumerGroup", "Consume"):
        return
    loop = in_loop(call)
    if loop is None or not is_endless(loop) or has_way_out(loop):
        return
    yield ctx.finding(
        call,
        "this loop calls Consume forever: once ctx is cancelled or the group is closed, "
        "Consume returns at once and the loop spins at 100% CPU (check ctx.Err() and "
        "sarama.ErrClosedConsumerGroup, and leave the loop)",
    )
