"""A sarama consumer returns its errors on `Errors()`, and nobody reads them.

## What it does
Reports `sarama.NewConsumerGroup` (and `NewConsumerGroupFromClient`) and
`consumer.ConsumePartition` when the config sets `Consumer.Return.Errors =
true` and no code of the package reads the consumer group's or the partition
consumer's `Errors()` channel. The config is followed from the constructor
through local variables and the package's helpers; a config gobex cannot see
is left alone, and so are consumers returned to a caller, handed to another
package or stored in an exported field. Both `github.com/IBM/sarama` and
`github.com/Shopify/sarama` are covered.

## Why is this bad
With `Consumer.Return.Errors = true`, sarama stops logging consumer errors and
delivers them on `Errors()` instead. A partition consumer sends them with a
blocking send: once its small buffer is full, the partition consumer stops,
and with it every message of the partition, until someone reads the channel;
the consumer group looks alive but its lag grows without end. A consumer
group drops the errors once the buffer is full: offset commit and rebalance
failures disappear without a trace.

## Example
```go
cfg := sarama.NewConfig()
cfg.Consumer.Return.Errors = true
group, err := sarama.NewConsumerGroup(brokers, "billing", cfg)
if err != nil {
        return err
}
defer group.Close()
for ctx.Err() == nil {
        if err := group.Consume(ctx, topics, handler); err != nil {
                return err
        }
}
```

## Use instead
```go
group, err := sarama.NewConsumerGroup(brokers, "billing", cfg)
if err != nil {
        return err
}
defer group.Close()
go func() {
        for err := range group.Errors() {
                log.Printf("kafka consumer: %v", err)
        }
}()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import text
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from . import SARAMA
from ._channels import channels_read, escapes_package
from ._origin import constructor_of
from ._sarama_config import SaramaConfig, constructor_config
from ._syntax import related_anywhere

RULE = Rule(
    code="KFK007",
    name="consumer-errors-unread",
    severity=Severity.ERROR,
    packages=SARAMA,
    scope=Scope.PACKAGE,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @ctor)
  (#match? @ctor "^(NewConsumerGroup(FromClient)?|ConsumePartition)$")) @call
""",
    doc=__doc__ or "",
)

_SETTING = "Consumer.Return.Errors"


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    name = text(match["ctor"])
    callee = ctx.facts.callee(call)
    if callee is None:
        return
    if callee.is_function("sarama", name):
        config = constructor_config(ctx.facts, call, name)
        tag, noun = "consumer-group", "ConsumerGroup"
        consequence = "its errors are dropped once the channel is full"
    elif callee.is_method("sarama", "Consumer", "ConsumePartition"):
        config = _consumer_config(ctx, call)
        tag, noun = "partition-consumer", "PartitionConsumer"
        consequence = "the partition consumer blocks once the channel is full"
    else:
        return
    if config is None or config.value(_SETTING) != "true":
        return
    if escapes_package(ctx, call, tag) or "Errors" in channels_read(ctx, ("Errors",), tag):
        return
    setting = config.node(_SETTING)
    related = related_anywhere(ctx, setting, f"{_SETTING} is set here") if setting else None
    yield ctx.finding(
        call,
        f"Errors() of this {noun} is never read ({_SETTING} is true): {consequence}",
        related=[related] if related is not None else [],
    )


def _consumer_config(ctx: RuleContext, call: Node) -> SaramaConfig | None:
    """The config of the consumer ``consumer.ConsumePartition`` is called on."""
    function = call.child_by_field_name("function")
    receiver = function.child_by_field_name("operand") if function is not None else None
    if receiver is None:
        return None
    origin = constructor_of(ctx.facts, receiver, "sarama", ("NewConsumer", "NewConsumerFromClient"))
    if origin is None:
        return None
    callee = origin.facts.callee(origin.node)
    if callee is None:
        return None
    return constructor_config(origin.facts, origin.node, callee.name)
