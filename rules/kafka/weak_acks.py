"""A Kafka producer does not wait for all in-sync replicas to acknowledge a write.

## What it does
Reports producers configured to wait for the partition leader only, or for
nobody: sarama `Producer.RequiredAcks = sarama.WaitForLocal` or `NoResponse`;
kafka-go `RequiredAcks: kafka.RequireOne` or `RequireNone` (or 0/1), and a
`kafka.Writer{...}` or `kafka.WriterConfig{...}` literal without
`RequiredAcks`, whose zero value is `RequireNone`; franz-go
`kgo.RequiredAcks(kgo.LeaderAck())` or `NoAck()`; confluent-kafka-go
`"acks"` (or `"request.required.acks"`) set to `"0"` or `"1"` in a
`kafka.ConfigMap` literal, with `SetKey` or by index. The unsafe fix waits
for all in-sync replicas (`sarama.WaitForAll`, `kafka.RequireAll`,
`kgo.AllISRAcks()`, `"all"`). Test files are left alone. sarama's own default
(`WaitForLocal` when nothing is set) is not reported.

## Why is this bad
With `acks=1` the leader acknowledges a write as soon as it is in its own
log; if it fails before a follower copied the write, a follower becomes leader
without it and the message is gone, although the producer was told it was
stored. With `acks=0` the producer does not even learn about failed writes.
Both lose data on the most ordinary event in a Kafka cluster, a broker
restart. kafka-go makes this the default: a `Writer` literal without
`RequiredAcks` is fire-and-forget.

## Example
```go
w := &kafka.Writer{
        Addr:  kafka.TCP(brokers...),
        Topic: "payments",
}
```

## Use instead
```go
w := &kafka.Writer{
        Addr:         kafka.TCP(brokers...),
        Topic:        "payments",
        RequiredAcks: kafka.RequireAll,
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import arguments, expression_list, parent, text, unparen
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext

from .._shared.composite_literal import add_keyed_field, keyed_field_names
from .._shared.test_files import is_test_file
from . import KAFKA_CLIENTS
from ._syntax import fields_set_later, is_member, local_name

_LOST = "acknowledged messages are lost when the leader fails"
_SILENT = "failed writes are lost silently"

RULE = Rule(
    code="KFK003",
    name="weak-acks",
    severity=Severity.WARNING,
    packages=KAFKA_CLIENTS,
    query="""
(assignment_statement
  left: (expression_list (selector_expression field: (field_identifier) @field))
  right: (expression_list (_) @value)
  (#eq? @field "RequiredAcks")) @assign
(keyed_element
  key: (literal_element (identifier) @key)
  value: (literal_element (_) @value)
  (#eq? @key "RequiredAcks")) @keyed
(composite_literal
  type: (qualified_type name: (type_identifier) @type)
  (#match? @type "^Writer(Config)?$")) @writer
(call_expression
  function: (selector_expression field: (field_identifier) @f)
  (#eq? @f "RequiredAcks")) @kgo
(keyed_element
  key: (literal_element (interpreted_string_literal) @ckey)
  value: (literal_element (_) @value)
  (#match? @ckey "^\\"(acks|request\\\\.required\\\\.acks)\\"$")) @confluent
(call_expression
  function: (selector_expression field: (field_identifier) @f)
  arguments: (argument_list . (interpreted_string_literal) @ckey . (_) @value .)
  (#eq? @f "SetKey")
  (#match? @ckey "^\\"(acks|request\\\\.required\\\\.acks)\\"$")) @setkey
(assignment_statement
  left: (expression_list (index_expression index: (interpreted_string_literal) @ckey) @target)
  right: (expression_list (_) @value)
  (#match? @ckey "^\\"(acks|request\\\\.required\\\\.acks)\\"$")) @index
""",
    doc=__doc__ or "",
    fixable=True,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    if match.get("assign") is not None:
        yield from _assigned(ctx, match["assign"], match["value"])
    elif match.get("keyed") is not None:
        yield from _keyed(ctx, match["keyed"], match["value"])
    elif match.get("writer") is not None:
        yield from _omitted(ctx, match["writer"])
    elif match.get("kgo") is not None:
        yield from _franz(ctx, match["kgo"])
    else:
        yield from _confluent(ctx, match)


# -- sarama and kafka-go: RequiredAcks fields -------------------------------------


def _assigned(ctx: RuleContext, statement: Node, value: Node) -> Iterator[Finding]:
    """``cfg.Producer.RequiredAcks = sarama.WaitForLocal``; ``w.RequiredAcks = 1``."""
    lefts = expression_list(statement.child_by_field_name("left"))
    rights = expression_list(statement.child_by_field_name("right"))
    if len(lefts) != 1 or len(rights) != 1:
        return
    target = lefts[0]
    operand = target.child_by_field_name("operand")
    owner = ctx.facts.type_of(operand) if operand is not None else None
    value = unparen(value)
    if is_member(ctx, value, "sarama", "NoResponse", "WaitForLocal") or (
        _small_int(value) and _is_sarama_producer_config(ctx, target)
    ):
        yield _sarama(ctx, value)
    elif is_member(ctx, value, "kafka-go", "RequireNone", "RequireOne") or (
        _small_int(value) and owner is not None and owner.is_type("kafka-go", "Writer")
    ):
        yield _kafka_go(ctx, value, "RequireAll")


def _is_sarama_producer_config(ctx: RuleContext, target: Node) -> bool:
    """``x.Producer.RequiredAcks`` where x is a ``*sarama.Config``."""
    producer = target.child_by_field_name("operand")
    if producer is None or producer.type != "selector_expression":
        return False
    if text(producer.child_by_field_name("field")) != "Producer":
        return False
    root = producer.child_by_field_name("operand")
    config = ctx.facts.type_of(root) if root is not None else None
    return config is not None and config.is_type("sarama", "Config")


def _sarama(ctx: RuleContext, value: Node) -> Finding:
    weak = text(value)
    silent = weak.endswith("NoResponse") or weak == "0"
    what = "does not wait for any broker" if silent else "waits for the leader only"
    name = local_name(ctx, "sarama")
    fix = _replace(ctx, value, f"{name}.WaitForAll") if name is not None else None
    return ctx.finding(
        value,
        f"the sarama producer {what} ({weak}): {_SILENT if silent else _LOST}",
        fixes=[fix],
    )


def _keyed(ctx: RuleContext, element: Node, value: Node) -> Iterator[Finding]:
    """``kafka.Writer{RequiredAcks: kafka.RequireOne}`` (or WriterConfig with 0/1)."""
    literal = _literal_of(element)
    kind = ctx.facts.type_of(literal) if literal is not None else None
    if kind is None or kind.package != "kafka-go" or kind.name not in ("Writer", "WriterConfig"):
        return
    value = unparen(value)
    if is_member(ctx, value, "kafka-go", "RequireNone", "RequireOne") or _small_int(value):
        yield _kafka_go(ctx, value, "RequireAll" if kind.name == "Writer" else "-1")


def _kafka_go(ctx: RuleContext, value: Node, strongest: str) -> Finding:
    weak = text(value)
    silent = weak.endswith("RequireNone") or weak == "0"
    what = "does not wait for any broker" if silent else "waits for the leader only"
    replacement: str | None = strongest
    if not strongest.startswith("-"):
        name = local_name(ctx, "kafka-go")
        replacement = f"{name}.{strongest}" if name is not None else None
    fix = _replace(ctx, value, replacement) if replacement is not None else None
    return ctx.finding(
        value,
        f"the kafka-go writer {what} ({weak}): {_SILENT if silent else _LOST}",
        fixes=[fix],
    )


def _omitted(ctx: RuleContext, literal: Node) -> Iterator[Finding]:
    """``&kafka.Writer{Addr: ..., Topic: ...}``: RequiredAcks defaults to RequireNone."""
    kind = ctx.facts.type_of(literal)
    if kind is None or kind.package != "kafka-go" or kind.name not in ("Writer", "WriterConfig"):
        return
    body = literal.child_by_field_name("body")
    if body is None:
        return
    names = keyed_field_names(body)
    if names is None or "RequiredAcks" in names or fields_set_later(ctx, literal, "RequiredAcks"):
        return
    fix: Fix | None = None
    value = "-1"
    if kind.name == "Writer":
        name = local_name(ctx, "kafka-go")
        value = f"{name}.RequireAll" if name is not None else ""
    edits = add_keyed_field(ctx.source, body, "RequiredAcks", value) if value else None
    if edits is not None:
        fix = ctx.fix(f"Add `RequiredAcks: {value}`", edits, unsafe=True)
    yield ctx.finding(
        literal.child_by_field_name("type") or literal,
        f"kafka.{kind.name} without RequiredAcks does not wait for any broker "
        f"(RequireNone is the default): {_SILENT}",
        fixes=[fix],
    )


# -- franz-go ------------------------------------------------------------------------


def _franz(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    """``kgo.RequiredAcks(kgo.LeaderAck())``."""
    callee = ctx.facts.callee(call)
    args = arguments(call)
    if callee is None or not callee.is_function("kgo", "RequiredAcks") or len(args) != 1:
        return
    acks = unparen(args[0])
    if acks.type != "call_expression":
        return
    inner = ctx.facts.callee(acks)
    if inner is None or not inner.is_function("kgo", "LeaderAck", "NoAck"):
        return
    silent = inner.name == "NoAck"
    what = "does not wait for any broker" if silent else "waits for the leader only"
    name = local_name(ctx, "kgo")
    fix = _replace(ctx, acks, f"{name}.AllISRAcks()") if name is not None else None
    yield ctx.finding(
        call,
        f"the franz-go producer {what} ({inner.name}()): {_SILENT if silent else _LOST}",
        fixes=[fix],
    )


# -- confluent-kafka-go --------------------------------------------------------------


def _confluent(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    value = unparen(match["value"])
    key = match["ckey"]
    if match.get("confluent") is not None:
        literal = _literal_of(match["confluent"])
        owner = ctx.facts.type_of(literal) if literal is not None else None
    elif match.get("setkey") is not None:
        callee = ctx.facts.callee(match["setkey"])
        owner = callee.receiver if callee is not None else None
    else:
        operand = match["target"].child_by_field_name("operand")
        owner = ctx.facts.type_of(operand) if operand is not None else None
    if owner is None or not owner.is_type("confluent-kafka-go", "ConfigMap"):
        return
    setting = ctx.facts.const_string(value) if value.type != "int_literal" else text(value)
    if setting not in ("0", "1"):
        return
    what = "does not wait for any broker" if setting == "0" else "waits for the leader only"
    yield ctx.finding(
        value,
        f"the confluent producer {what} ({text(key)}: {text(value)}): "
        f"{_SILENT if setting == '0' else _LOST}",
        fixes=[_replace(ctx, value, '"all"')],
    )


# -- helpers -------------------------------------------------------------------------


def _literal_of(element: Node) -> Node | None:
    """The composite literal a keyed element belongs to."""
    body = parent(element)
    literal = parent(body) if body is not None else None
    return literal if literal is not None and literal.type == "composite_literal" else None


def _small_int(value: Node) -> bool:
    return value.type == "int_literal" and text(value) in ("0", "1")


def _replace(ctx: RuleContext, node: Node, code: str) -> Fix:
    return ctx.fix(f"Use `{code}`", [TextEdit(node.start_byte, node.end_byte, code)], unsafe=True)
