"""A confluent-kafka-go producer's delivery reports are never read, or lost at Close.

## What it does
Reports three misuses of confluent-kafka-go's `Producer` (v1 and v2):
- `producer.Produce(msg, nil)` while no code of the package reads the
  producer's `Events()` channel and the config does not set
  `"go.delivery.reports": false` (the config is followed from `NewProducer`
  through variables, `SetKey` calls and helpers; unknown configs are left
  alone);
- `producer.Close()` with no `Flush` before it in the same function (a deferred
  `Close` counts any `Flush` of the function), unless the function reads
  `Events()` itself; at warning level;
- the deprecated `producer.ProduceChannel()`; at warning level.

## Why is this bad
With a nil delivery channel, every produced message's delivery report goes to
`Events()`. Nobody reads it, so the reports pile up: the producer's memory
grows with every message until the process is OOM-killed, and every delivery
failure goes unseen. `Close` does not wait for queued messages: without a
`Flush`, whatever librdkafka still holds is dropped at shutdown. The produce
channel can block forever when the queue is full and is deprecated in favour
of `Produce`.

## Example
```go
p, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers})
if err != nil {
        return err
}
defer p.Close()
for _, m := range msgs {
        if err := p.Produce(m, nil); err != nil {
                return err
        }
}
```

## Use instead
```go
p, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": brokers})
if err != nil {
        return err
}
defer p.Close()
go func() {
        for e := range p.Events() {
                if m, ok := e.(*kafka.Message); ok && m.TopicPartition.Error != nil {
                        log.Printf("delivery failed: %v", m.TopicPartition.Error)
                }
        }
}()
for _, m := range msgs {
        if err := p.Produce(m, nil); err != nil {
                return err
        }
}
if left := p.Flush(15 * 1000); left > 0 {
        return fmt.Errorf("%d messages not delivered", left)
}
```
"""

import dataclasses
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.flow import is_deferred
from gobex.facts.syntax import arguments, parent, text, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from . import CONFLUENT
from ._channels import channel_reads, escapes_package
from ._confluent_config import resolve_configmap
from ._origin import constructor_of

RULE = Rule(
    code="KFK012",
    name="confluent-delivery-reports-unread",
    severity=Severity.ERROR,
    packages=CONFLUENT,
    scope=Scope.PACKAGE,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @m)
  (#match? @m "^(Produce|Close|ProduceChannel)$")) @call
""",
    doc=__doc__ or "",
)

_MODEL = "confluent-kafka-go"
_TAG = "kafka-producer"


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    callee = ctx.facts.callee(call)
    if callee is None or not callee.is_method(_MODEL, "Producer", callee.name):
        return
    if callee.name == "Produce":
        yield from _produce(ctx, call)
    elif callee.name == "Close":
        yield from _close(ctx, call)
    else:
        yield _warning(
            ctx,
            ctx.finding(
                call,
                "ProduceChannel is deprecated and blocks when the queue is full: use Produce",
            ),
        )


def _receiver(call: Node) -> Node | None:
    function = call.child_by_field_name("function")
    return function.child_by_field_name("operand") if function is not None else None


def _produce(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    args = arguments(call)
    receiver = _receiver(call)
    if len(args) != 2 or unparen(args[1]).type != "nil" or receiver is None:
        return
    origin = constructor_of(ctx.facts, receiver, _MODEL, ("NewProducer",))
    if origin is None or origin.facts is not ctx.facts:
        return  # created in another file: whether it leaves the package is not checked there
    origin_args = arguments(origin.node)
    config = resolve_configmap(origin.facts, origin_args[0]) if origin_args else None
    if config is None or config.value("go.delivery.reports") == "false":
        return
    if not config.complete and not config.has("go.delivery.reports"):
        return
    if escapes_package(ctx, origin.node, _TAG):
        return
    for read in channel_reads(ctx, ("Events",), _TAG):
        other = constructor_of(read.facts, read.owner, _MODEL, ("NewProducer",))
        if other is None or other.node == origin.node:
            return  # this producer's reports (or maybe its) are read
    yield ctx.finding(
        call,
        "delivery reports of Produce(msg, nil) go to Events(), which nobody reads: they pile "
        "up until the process runs out of memory, and failed deliveries go unseen",
        related=[ctx.related(origin.node, "the producer is created here")],
    )


def _close(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    receiver = _receiver(call)
    function = ctx.facts.enclosing_function(call)
    if receiver is None or function is None:
        return
    while function.type == "func_literal" and is_deferred(call):
        outer = ctx.facts.enclosing_function(function)
        if outer is None:
            break
        function = outer  # `defer func() { p.Close() }()` runs at the end of the outer one
    name = text(receiver)
    data = ctx.source.data
    deferred = is_deferred(call)
    end = function.end_byte if deferred else call.start_byte
    window = data[function.start_byte : end]
    if f"{name}.Flush(".encode() in window:
        return
    if f"{name}.Events()".encode() in data[function.start_byte : function.end_byte]:
        return  # the function handles the delivery reports itself
    if _waits_for_reports(ctx, name, function):
        return
    yield _warning(
        ctx,
        ctx.finding(
            call,
            "Close without Flush drops the messages still queued in the producer: "
            "call Flush (and check what it returns) before Close",
        ),
    )


def _waits_for_reports(ctx: RuleContext, name: str, function: Node) -> bool:
    """``p.Produce(m, deliveryChan)`` in the function: it waits for each report."""
    data = ctx.source.data
    needle = f"{name}.Produce(".encode()
    at = data.find(needle, function.start_byte, function.end_byte)
    while at != -1:
        node = ctx.source.root.descendant_for_byte_range(at, at + len(needle) - 1)
        call = node
        while call is not None and call.type != "call_expression":
            call = parent(call)
        args = arguments(call) if call is not None else []
        if len(args) == 2 and unparen(args[1]).type != "nil":
            return True
        at = data.find(needle, at + len(needle), function.end_byte)
    return False


def _warning(ctx: RuleContext, finding: Finding) -> Finding:
    lowered = {Severity.ERROR: Severity.WARNING}
    return dataclasses.replace(finding, severity=lowered.get(ctx.severity, ctx.severity))
