"""A sarama AsyncProducer's `Errors()` (or `Successes()`) channel is never read.

## What it does
Reports `sarama.NewAsyncProducer` and `NewAsyncProducerFromClient` when no code
in the package reads the producer's `Errors()` channel, unless the config sets
`Producer.Return.Errors = false`; and likewise `Successes()` when the config sets
`Producer.Return.Successes = true`. The config is followed through local
variables and helper functions of the package (`newConfig()`); when it cannot be
seen (a parameter, another package), the rule stays quiet. Producers returned to
a caller or handed to another package are left alone. Both
`github.com/IBM/sarama` and `github.com/Shopify/sarama` are covered.

## Why is this bad
`Producer.Return.Errors` is true by default: every failed message is delivered
on `Errors()`, a channel with a small buffer. When nobody reads it, the first
few failures fill it and the producer's goroutines block on the send; `Input()`
stops accepting messages and every request that publishes hangs. The same
happens with `Successes()` once `Return.Successes` is switched on. It shows up
only when the brokers misbehave, which is exactly when it hurts.

## Example
```go
cfg := sarama.NewConfig()
cfg.Producer.Return.Successes = true
producer, err := sarama.NewAsyncProducer(brokers, cfg)
if err != nil {
        return nil, err
}
return &Publisher{producer: producer}, nil // nobody reads Errors() or Successes()
```

## Use instead
```go
producer, err := sarama.NewAsyncProducer(brokers, cfg)
if err != nil {
        return nil, err
}
go func() {
        for err := range producer.Errors() {
                log.Printf("kafka: publish %s failed: %v", err.Msg.Topic, err.Err)
        }
}()
go func() {
        for range producer.Successes() {
        }
}()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import text
from gobex.finding import Finding, Related, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from . import SARAMA
from ._channels import channels_read, escapes_package
from ._sarama_config import constructor_config
from ._syntax import related_anywhere

RULE = Rule(
    code="KFK001",
    name="async-producer-errors-unread",
    severity=Severity.ERROR,
    packages=SARAMA,
    scope=Scope.PACKAGE,
    query="""
    (call_expression
      function: (selector_expression field: (field_identifier) @ctor)
      (#match? @ctor "^NewAsyncProducer(FromClient)?$")) @call
    """,
    doc=__doc__ or "",
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    callee = ctx.facts.callee(call)
    constructor = text(match["ctor"])
    if callee is None or not callee.is_function("sarama", constructor):
        return
    config = constructor_config(ctx.facts, call, constructor)
    if config is None or escapes_package(ctx, call, "async-producer"):
        return
    wanted: list[tuple[str, Related | None]] = []
    if config.value("Producer.Return.Errors") in (None, "true"):
        origin = config.node("Producer.Return.Errors") or (
            config.origin if config.origin.type != "nil" else None
        )
        wanted.append(("Errors", _related(ctx, origin, "Producer.Return.Errors is true here")))
    if config.value("Producer.Return.Successes") == "true":
        wanted.append(
            (
                "Successes",
                _related(
                    ctx, config.node("Producer.Return.Successes"), "Successes are returned here"
                ),
            )
        )
    if not wanted:
        return
    read = channels_read(ctx, ("Errors", "Successes"), "async-producer")
    for channel, related in wanted:
        if channel in read:
            continue
        setting = f"Producer.Return.{channel}"
        yield ctx.finding(
            call,
            f"{channel}() of this AsyncProducer is never read: the producer blocks once the "
            f"channel fills ({setting} is true)",
            related=[related] if related is not None else [],
        )


def _related(ctx: RuleContext, node: Node | None, message: str) -> Related | None:
    """A related location, in this file or another file of the package."""
    return related_anywhere(ctx, node, message) if node is not None else None
