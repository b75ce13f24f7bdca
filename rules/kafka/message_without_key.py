"""A produced message has no key although its value belongs to an entity with an ID.

## What it does
Reports message literals with a `Value` and no `Key` (sarama
`ProducerMessage`, kafka-go `Message`, franz-go `Record`, confluent-kafka-go
`Message`) when the value is the encoding of a struct with an ID-like field
(`ID`, `OrderID`, `UserId`, `UUID`...): `Value: sarama.ByteEncoder(b)` where
`b, err := json.Marshal(order)`. A key set later (`msg.Key = ...`) and an
explicit `Partition` count. The rule is in preview: whether a topic needs
per-entity order is a design decision gobex cannot see.

## Why is this bad
Kafka orders messages only within a partition, and the key decides the
partition. Without a key, the producer spreads the messages of one order (or
user, or account) over all partitions: consumers see `order.shipped` before
`order.created`, and a consumer that keeps per-entity state applies updates
in the wrong order. The bug appears only under load, when several consumers
process partitions in parallel.

## Example
```go
value, err := json.Marshal(ev) // ev.OrderID identifies the order
if err != nil {
        return err
}
_, _, err = p.SendMessage(&sarama.ProducerMessage{
        Topic: "orders",
        Value: sarama.ByteEncoder(value),
})
```

## Use instead
```go
_, _, err = p.SendMessage(&sarama.ProducerMessage{
        Topic: "orders",
        Key:   sarama.StringEncoder(strconv.FormatInt(ev.OrderID, 10)),
        Value: sarama.ByteEncoder(value),
})
```
"""

import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import arguments, unparen
from gobex.finding import Finding, Severity
from gobex.gotypes import LOCAL
from gobex.rule import Group, Match, Rule, RuleContext

from .._shared.composite_literal import keyed_field_names
from . import KAFKA_CLIENTS
from ._syntax import fields_set_later, literal_field

RULE = Rule(
    code="KFK016",
    name="message-without-key",
    severity=Severity.INFO,
    group=Group.PREVIEW,
    packages=KAFKA_CLIENTS,
    query="""
(composite_literal
  type: (qualified_type name: (type_identifier) @type)
  (#match? @type "^(ProducerMessage|Message|Record)$")) @literal
""",
    doc=__doc__ or "",
)

_ID_FIELD = re.compile(r"^(ID|Id|UUID|Uuid|Key)$|[a-z0-9](ID|Id|UUID|Uuid)$")
_MARSHAL = re.compile(r"Marshal|Encode")


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    literal = match["literal"]
    kind = ctx.facts.type_of(literal)
    if kind is None or not ctx.facts.has_tag(kind, "kafka-message"):
        return
    body = literal.child_by_field_name("body")
    names = keyed_field_names(body) if body is not None else None
    if names is None or "Value" not in names or "Key" in names or "Partition" in names:
        return
    if fields_set_later(ctx, literal, "Key", "Partition"):
        return
    value = literal_field(literal, "Value")
    entity = _entity(ctx.facts, value) if value is not None else None
    if entity is None:
        return
    owner, field = entity
    yield ctx.finding(
        literal.child_by_field_name("type") or literal,
        f"this message has a value but no key while the value's {owner} has an {field} "
        f"field: messages of one {owner} spread over partitions and lose their order",
    )


def _entity(facts: Facts, value: Node) -> tuple[str, str] | None:
    """(struct name, ID field) when `value` encodes a local struct with an ID field."""
    node: Node | None = unparen(value)
    for _ in range(4):
        if node is None:
            return None
        if node.type == "call_expression":
            callee = facts.callee(node)
            args = arguments(node)
            if callee is None or not args:
                return None
            if callee.conversion is not None:
                node = unparen(args[0])  # sarama.ByteEncoder(b), []byte(s)
                continue
            if _MARSHAL.search(callee.name):
                return _id_field(facts, args[0])
            return None
        if node.type == "type_conversion_expression":
            node = node.child_by_field_name("operand")
            node = unparen(node) if node is not None else None
            continue
        if node.type == "identifier":
            binding = facts.binding(node)
            if binding is None or binding.value is None or binding.assignments:
                return None
            node = unparen(binding.value)
            continue
        return None
    return None


def _id_field(facts: Facts, encoded: Node) -> tuple[str, str] | None:
    kind = facts.type_of(encoded)
    if kind is None or kind.package != LOCAL or kind.kind != "named":
        return None
    for name, _, _ in facts.package.struct_fields(kind.name):
        if name is not None and _ID_FIELD.search(name):
            return kind.name, name
    return None
