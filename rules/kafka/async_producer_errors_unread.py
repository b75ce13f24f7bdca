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
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from gobex.facts import Facts, UseKind
from gobex.facts.syntax import arguments, expression_list, text
from gobex.finding import Finding, Related, Severity
from gobex.gotypes import LOCAL
from gobex.rule import Match, Rule, RuleContext, Scope
from gobex.source import go_language

from .._shared.release import bound_result
from . import SARAMA
from ._sarama_config import producer_config
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


@cache
def _channel_calls() -> Query:
    return Query(
        go_language(),
        """(call_expression
             function: (selector_expression operand: (_) @producer field: (field_identifier) @m)
             (#match? @m "^(Errors|Successes)$")) @call""",
    )


def _channels_read(ctx: RuleContext) -> set[str]:
    """Which of Errors()/Successes() some code of the package calls on an
    AsyncProducer (or on a value of unknown type, to stay on the safe side)."""
    found: set[str] = set()
    for file in ctx.facts.package.files:
        data = file.source.data
        if b".Errors()" not in data and b".Successes()" not in data:
            continue
        facts = (
            ctx.facts
            if file.source is ctx.source
            else Facts(file.source, ctx.facts.package, ctx.facts.models)
        )
        for _, captures in QueryCursor(_channel_calls()).matches(file.source.root):
            call = captures["call"][0]
            if arguments(call):
                continue
            kind = facts.type_of(captures["producer"][0])
            if kind is None or kind.package == LOCAL or facts.has_tag(kind, "async-producer"):
                # Local types count: a struct embedding the producer, or an
                # interface of the package declaring Errors().
                found.add(text(captures["m"][0]))
    return found


def _escapes_package(ctx: RuleContext, call: Node) -> bool:
    """True when the producer leaves the package's sight: returned as is, or
    passed to a function of another package."""
    parent = call.parent
    while parent is not None and parent.type in ("expression_list", "parenthesized_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "return_statement":
        return True
    declaration = parent
    if declaration is None or declaration.type not in (
        "short_var_declaration",
        "assignment_statement",
        "var_spec",
    ):
        return False
    bound = bound_result(ctx, call, declaration, "async-producer")
    if bound is None or bound.binding is None:
        return False
    for use in ctx.facts.uses(bound.binding):
        if use.kind == UseKind.RETURNED:
            return True
        if use.kind == UseKind.PASSED and (use.callee is None or use.callee.package != LOCAL):
            return True
        if use.kind == UseKind.STORED and _exported_field(use.expression):
            return True
    return False


def _exported_field(value: Node) -> bool:
    """True when `value` is stored in an exported field (``c.Producer = p``,
    ``&Client{Producer: p}``): code of other packages may read its channels."""
    node = value
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "literal_element"):
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "keyed_element":
        key = parent.named_child(0)
        name = text(key)
        return key is not None and key != node and name[:1].isupper()
    if parent.type == "expression_list" and parent.parent is not None:
        statement = parent.parent
        if statement.type != "assignment_statement":
            return False
        lefts = expression_list(statement.child_by_field_name("left"))
        rights = expression_list(parent)
        if len(lefts) != len(rights) or node not in rights:
            return False
        target = lefts[rights.index(node)]
        if target.type == "selector_expression":
            return text(target.child_by_field_name("field"))[:1].isupper()
    return False


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    callee = ctx.facts.callee(call)
    constructor = text(match["ctor"])
    if callee is None or not callee.is_function("sarama", constructor):
        return
    config = producer_config(ctx.facts, call, constructor)
    if config is None or _escapes_package(ctx, call):
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
    read = _channels_read(ctx)
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
