"""A kafka-go Writer is asynchronous and nobody hears about its errors.

## What it does
Reports kafka-go writers with `Async: true` and no `Completion` callback: a
`kafka.Writer{...}` literal (or `w.Async = true` on a writer variable) that
sets no `Completion`, neither in the literal nor by assignment in the same
function, and `kafka.WriterConfig{Async: true}` for the deprecated
`NewWriter`, which has no way to report errors at all. A writer whose `Async`
comes from configuration is left alone.

## Why is this bad
An asynchronous writer's `WriteMessages` returns before the messages are
sent and always returns nil. The only place a failed batch is reported is the
`Completion` callback: without it, a broker outage, an authorization error or
a message over the size limit loses every message while the service reports
success and no log line appears.

## Example
```go
w := &kafka.Writer{
        Addr:         kafka.TCP(brokers...),
        Topic:        "clicks",
        RequiredAcks: kafka.RequireAll,
        Async:        true,
}
```

## Use instead
```go
w := &kafka.Writer{
        Addr:         kafka.TCP(brokers...),
        Topic:        "clicks",
        RequiredAcks: kafka.RequireAll,
        Async:        true,
        Completion: func(messages []kafka.Message, err error) {
                if err != nil {
                        log.Printf("kafka: %d messages lost: %v", len(messages), err)
                }
        },
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding
from gobex.facts.syntax import expression_list, parent, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from . import KAFKA_GO
from ._syntax import fields_set_later, literal_field

RULE = Rule(
    code="KFK013",
    name="kafka-go-async-without-completion",
    severity=Severity.WARNING,
    packages=KAFKA_GO,
    query="""
(keyed_element
  key: (literal_element (identifier) @key)
  value: (literal_element (true))
  (#eq? @key "Async")) @element
(assignment_statement
  left: (expression_list (selector_expression field: (field_identifier) @field))
  right: (expression_list (true))
  (#eq? @field "Async")) @assign
""",
    doc=__doc__ or "",
)

_MESSAGE = (
    "this Async kafka.Writer has no Completion: WriteMessages returns nil at once and every "
    "failed write is dropped without a trace"
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    element = match.get("element")
    if element is not None:
        yield from _literal(ctx, element)
        return
    assignment = match["assign"]
    target = expression_list(assignment.child_by_field_name("left"))[0]
    operand = target.child_by_field_name("operand")
    kind = ctx.facts.type_of(operand) if operand is not None else None
    if kind is None or not kind.is_type("kafka-go", "Writer"):
        return
    binding = ctx.facts.binding(operand) if operand is not None else None
    if binding is None or _completion_set(ctx, binding):
        return
    value = binding.value
    literal = _literal_of_value(value) if value is not None else None
    if literal is not None and literal_field(literal, "Completion") is not None:
        return
    yield ctx.finding(target, _MESSAGE)


def _literal(ctx: RuleContext, element: Node) -> Iterator[Finding]:
    body = parent(element)
    literal = parent(body) if body is not None else None
    if literal is None or literal.type != "composite_literal":
        return
    kind = ctx.facts.type_of(literal)
    if kind is None or kind.package != "kafka-go":
        return
    if kind.name == "WriterConfig":
        yield ctx.finding(
            element,
            "an Async writer from NewWriter(WriterConfig{...}) cannot report errors: every "
            "failed write is dropped; use a kafka.Writer literal with Completion",
        )
        return
    if kind.name != "Writer" or literal_field(literal, "Completion") is not None:
        return
    if fields_set_later(ctx, literal, "Completion"):
        return
    yield ctx.finding(element, _MESSAGE)


def _literal_of_value(value: Node) -> Node | None:
    value = unparen(value)
    if value.type == "unary_expression":
        operand = value.child_by_field_name("operand")
        value = unparen(operand) if operand is not None else value
    return value if value.type == "composite_literal" else None


def _completion_set(ctx: RuleContext, binding: Binding) -> bool:
    """``w.Completion = ...`` in the writer's function."""
    return any(use.path == "Completion" for use in ctx.facts.uses(binding))
