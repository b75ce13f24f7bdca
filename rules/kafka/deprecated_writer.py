"""A kafka-go Writer is built with the deprecated `NewWriter(WriterConfig{...})`.

## What it does
Reports `kafka.NewWriter(kafka.WriterConfig{...})` (segmentio/kafka-go). Since
v0.4 a `Writer` is configured as a struct literal and `NewWriter` is kept only
for compatibility. The unsafe fix rewrites the call into the equivalent
`&kafka.Writer{...}` literal when every field has a direct counterpart
(`Brokers` becomes `Addr: kafka.TCP(...)`, `RequiredAcks: -1` becomes
`kafka.RequireAll`, `BatchBytes` becomes an `int64`); configs with a
`Dialer`, a `CompressionCodec`, fields the literal no longer has, or comments
are reported without a fix. Test files are left alone.

## Why is this bad
`NewWriter` translates the old config into a `Writer` and silently ignores the
fields that no longer mean anything (`QueueCapacity`, `RebalanceInterval`,
`IdleConnTimeout`...), so code that tunes them tunes nothing. It also panics on
an empty broker list or topic instead of returning an error, and it is
scheduled for removal in kafka-go 1.0. New options (`Completion`,
`AllowAutoTopicCreation`, `Transport`) exist only on the literal.

## Example
```go
w := kafka.NewWriter(kafka.WriterConfig{
        Brokers:      brokers,
        Topic:        "events",
        RequiredAcks: -1,
})
```

## Use instead
```go
w := &kafka.Writer{
        Addr:         kafka.TCP(brokers...),
        Topic:        "events",
        RequiredAcks: kafka.RequireAll,
}
```
"""

from collections.abc import Iterator
from itertools import pairwise

from tree_sitter import Node

from gobex.edits import indentation, line_ending
from gobex.facts.syntax import arguments, text, unparen
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from . import KAFKA_GO

RULE = Rule(
    code="KFK014",
    name="kafka-go-deprecated-writer",
    severity=Severity.INFO,
    packages=KAFKA_GO,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @m)
  (#eq? @m "NewWriter")) @call
""",
    doc=__doc__ or "",
    fixable=True,
)

# WriterConfig fields kept as they are in the Writer literal.
_SAME = frozenset(
    {
        "Topic",
        "Balancer",
        "MaxAttempts",
        "BatchSize",
        "BatchTimeout",
        "ReadTimeout",
        "WriteTimeout",
        "Async",
        "Logger",
        "ErrorLogger",
    }
)
_ACKS = {"-1": "RequireAll", "0": "RequireNone", "1": "RequireOne"}


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    if is_test_file(ctx.source):
        return
    callee = ctx.facts.callee(call)
    if callee is None or not callee.is_function("kafka-go", "NewWriter"):
        return
    function = call.child_by_field_name("function")
    qualifier = function.child_by_field_name("operand") if function is not None else None
    args = arguments(call)
    config = unparen(args[0]) if len(args) == 1 else None
    fix = (
        _rewrite(ctx, call, config, text(qualifier))
        if config is not None and config.type == "composite_literal" and qualifier is not None
        else None
    )
    yield ctx.finding(
        call,
        "NewWriter(WriterConfig{...}) is deprecated: configure a &kafka.Writer{...} literal",
        fixes=[fix],
    )


def _rewrite(ctx: RuleContext, call: Node, config: Node, package: str) -> Fix | None:
    """The call replaced by the equivalent Writer literal (None when a field has
    no direct counterpart, or the literal's layout is beyond a plain rewrite)."""
    body = config.child_by_field_name("body")
    if body is None:
        return None
    fields: list[tuple[str, str]] = []
    for element in _elements(body):
        if element.type != "keyed_element":
            return None  # a comment, or an unkeyed element
        key = element.child_by_field_name("key")
        value = element.child_by_field_name("value")
        if key is None or value is None or value.start_point[0] != value.end_point[0]:
            return None
        converted = _convert(text(key), text(value), package)
        if converted is None:
            return None
        fields.append(converted)
    literal = _literal(ctx, call, body, fields, package)
    if literal is None:
        return None
    edit = TextEdit(call.start_byte, call.end_byte, literal)
    return ctx.fix(f"Use a `&{package}.Writer{{...}}` literal", [edit], unsafe=True)


def _convert(key: str, value: str, package: str) -> tuple[str, str] | None:
    if key in _SAME:
        return key, value
    if key == "Brokers":
        if value.startswith("[]string{") and value.endswith("}"):
            return "Addr", f"{package}.TCP({value[len('[]string{') : -1].strip().rstrip(',')})"
        return "Addr", f"{package}.TCP({value}...)"
    if key == "RequiredAcks":
        named = _ACKS.get(value)
        acks = f"{package}.{named}" if named is not None else f"{package}.RequiredAcks({value})"
        return key, acks
    if key == "BatchBytes":
        return key, value if value.isdigit() else f"int64({value})"
    return None


def _elements(body: Node) -> list[Node]:
    """The literal's elements, without a comment right after its opening brace
    (kept by the rewrite); other comments stay and prevent it."""
    return [
        c
        for c in body.named_children
        if not (c.type == "comment" and c.start_point[0] == body.start_point[0])
    ]


def _literal(
    ctx: RuleContext, call: Node, body: Node, fields: list[tuple[str, str]], package: str
) -> str | None:
    head = f"&{package}.Writer{{"
    if body.start_point[0] == body.end_point[0]:
        return head + ", ".join(f"{k}: {v}" for k, v in fields) + "}"
    elements = _elements(body)
    if not elements or any(a.start_point[0] == b.start_point[0] for a, b in pairwise(elements)):
        return None
    trailing = [c for c in body.named_children if c not in elements]
    if trailing:
        head += " " + " ".join(text(c) for c in trailing)  # the comment after `{`
    if elements[0].start_point[0] == body.start_point[0]:
        return None  # `{Brokers: b,` on the opening line
    if elements[-1].end_point[0] == body.end_point[0]:
        return None  # the closing brace right after the last element
    newline = line_ending(ctx.source)
    indent = indentation(ctx.source, elements[0])
    closing = indentation(ctx.source, call)
    width = max(len(k) for k, _ in fields) + 1
    lines = [f"{indent}{(k + ':').ljust(width)} {v}," for k, v in fields]
    return head + newline + newline.join(lines) + newline + closing + "}"
