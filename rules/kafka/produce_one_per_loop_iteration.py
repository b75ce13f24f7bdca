"""A loop produces one message at a time and waits for each.

## What it does
Reports synchronous single-message produce calls inside a loop over a
collection or a condition: sarama `producer.SendMessage(msg)`, kafka-go
`writer.WriteMessages(ctx, msg)` with one message (on a writer not known to be
`Async`), and franz-go `client.ProduceSync(ctx, record)` with one record.
The message must be built in the loop (from its variables): a retry loop that
sends the same message again is fine. Endless loops and loops over channels
(streaming pipelines) are left alone.

## Why is this bad
Each call waits for the brokers before the loop moves on, so the loop runs at
one round trip per message instead of one per batch. kafka-go makes it worse:
`WriteMessages` waits for the writer's `BatchTimeout` (1s by default) to fill
a batch that never grows beyond the one message, so a loop over 1,000 items
takes about 17 minutes. Request handlers that publish a list this way time
out under the first real load.

## Example
```go
for _, ev := range events {
        if err := w.WriteMessages(ctx, kafka.Message{Key: ev.Key, Value: ev.Value}); err != nil {
                return err
        }
}
```

## Use instead
```go
msgs := make([]kafka.Message, 0, len(events))
for _, ev := range events {
        msgs = append(msgs, kafka.Message{Key: ev.Key, Value: ev.Value})
}
if err := w.WriteMessages(ctx, msgs...); err != nil {
        return err
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.flow import in_loop
from gobex.facts.syntax import arguments, text, walk
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from . import KAFKA_CLIENTS
from ._loops import is_endless
from ._origin import constructor_of
from ._syntax import literal_field

RULE = Rule(
    code="KFK011",
    name="produce-one-per-loop-iteration",
    severity=Severity.WARNING,
    packages=KAFKA_CLIENTS,
    scope=Scope.PACKAGE,  # a writer field's Async is set where the package creates it
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @m)
  (#match? @m "^(SendMessage|WriteMessages|ProduceSync)$")) @call
""",
    doc=__doc__ or "",
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    callee = ctx.facts.callee(call)
    if callee is None:
        return
    args = arguments(call)
    if callee.is_method("sarama", "SyncProducer", "SendMessage") and len(args) == 1:
        message = (
            "SendMessage in a loop waits for the brokers once per message: "
            "send the batch with SendMessages"
        )
    elif callee.is_method("kafka-go", "Writer", "WriteMessages") and _single(args, 2):
        if _async_writer(ctx, call):
            return
        message = (
            "WriteMessages with one message in a loop waits up to the writer's BatchTimeout "
            "(1s by default) per message: collect the messages and write them in one call"
        )
    elif callee.is_method("kgo", "Client", "ProduceSync") and _single(args, 2):
        message = (
            "ProduceSync with one record in a loop waits for the brokers once per record: "
            "pass all the records to one ProduceSync (or use Produce with a promise)"
        )
    else:
        return
    loop = in_loop(call)
    if loop is None or not _iterates_items(ctx, loop) or not _built_in(ctx, args[-1], loop):
        return
    yield ctx.finding(call, message)


def _single(args: list[Node], count: int) -> bool:
    return len(args) == count and args[-1].type != "variadic_argument"


def _iterates_items(ctx: RuleContext, loop: Node) -> bool:
    """A loop over a collection, a counter or a condition; not an endless loop
    nor a range over a channel (a stream, where batching needs a timer)."""
    if is_endless(loop):
        return False
    clause = next((c for c in loop.named_children if c.type == "range_clause"), None)
    if clause is None:
        return True
    right = clause.child_by_field_name("right")
    kind = ctx.facts.type_of(right) if right is not None else None
    return kind is None or kind.kind != "chan"


def _built_in(ctx: RuleContext, message: Node, loop: Node) -> bool:
    """True when `message` uses a variable declared by or inside the loop."""
    for node in walk(message):
        if node.type != "identifier":
            continue
        binding = ctx.facts.binding(node)
        if binding is not None and loop.start_byte <= binding.ident.start_byte < loop.end_byte:
            return True
    return False


def _async_writer(ctx: RuleContext, call: Node) -> bool:
    function = call.child_by_field_name("function")
    receiver = function.child_by_field_name("operand") if function is not None else None
    if receiver is None:
        return False
    origin = constructor_of(ctx.facts, receiver, "kafka-go", ("Writer", "NewWriter"))
    if origin is None:
        return False
    literal = origin.node
    if literal.type == "call_expression":
        args = arguments(literal)
        literal = args[0] if args else literal
    value = literal_field(literal, "Async") if literal.type == "composite_literal" else None
    return value is not None and text(value) != "false"
