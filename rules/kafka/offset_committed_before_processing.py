"""A message's offset is committed (or marked) before the message is processed.

## What it does
Reports consumers that acknowledge a message before handling it:
- sarama: `session.MarkMessage(msg, "")` or `session.MarkOffset(...)` followed,
  in the same loop, by the call that processes `msg`;
- franz-go: `client.CommitRecords(ctx, ...)` or `MarkCommitRecords(...)` on
  fetched records that are processed afterwards (`fetches.EachRecord(...)`, a
  `range` over the records, a call taking them);
- kafka-go: `reader.ReadMessage(ctx)` on a reader with a `GroupID` (which
  commits the message as it returns it) when processing the message can fail
  and the code then moves on (`continue`, `break`, `return` on the error
  path): the fix is `FetchMessage` and `CommitMessages` after processing;
- confluent-kafka-go (info): `consumer.ReadMessage(timeout)` on a consumer
  with the default automatic offset store when processing can fail the same
  way: set `"enable.auto.offset.store": false` and `StoreMessage` after
  processing.

Logging the message is not processing. Readers and consumers whose
configuration gobex cannot see are left alone.

## Why is this bad
Kafka's at-least-once delivery rests on one order: process, then commit. A
message committed first is gone for good when processing fails or the process
dies in between (a deploy, an OOM kill, a panic): the group resumes after it.
The consumer silently becomes at-most-once, and the lost messages show up as
missing orders or payments nobody can replay.

## Example
```go
for msg := range claim.Messages() {
        session.MarkMessage(msg, "")
        if err := h.apply(session.Context(), msg); err != nil {
                return err
        }
}
```

## Use instead
```go
for msg := range claim.Messages() {
        if err := h.apply(session.Context(), msg); err != nil {
                return err
        }
        session.MarkMessage(msg, "")
}
```
"""

import dataclasses
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding, UseKind
from gobex.facts.flow import in_loop, statement_of
from gobex.facts.syntax import arguments, expression_list, parent, text, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from . import KAFKA_CLIENTS
from ._confluent_config import resolve_configmap
from ._origin import constructor_of
from ._processing import failure_exit, processing_calls

RULE = Rule(
    code="KFK006",
    name="offset-committed-before-processing",
    severity=Severity.WARNING,
    packages=KAFKA_CLIENTS,
    scope=Scope.PACKAGE,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @m)
  (#match? @m "^(MarkMessage|MarkOffset|CommitRecords|MarkCommitRecords)$")) @commit
(short_var_declaration
  right: (expression_list (call_expression
    function: (selector_expression field: (field_identifier) @read)) @read_call)
  (#eq? @read "ReadMessage")) @decl
""",
    doc=__doc__ or "",
)

_FETCH_PROCESSING = frozenset({"EachRecord", "EachPartition", "EachTopic", "RecordIter", "Records"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    commit = match.get("commit")
    if commit is not None:
        callee = ctx.facts.callee(commit)
        if callee is None:
            return
        if callee.is_method("sarama", "ConsumerGroupSession", "MarkMessage", "MarkOffset"):
            yield from _sarama(ctx, commit, callee.name)
        elif callee.is_method("kgo", "Client", "CommitRecords", "MarkCommitRecords"):
            yield from _franz(ctx, commit, callee.name)
        return
    call = match["read_call"]
    callee = ctx.facts.callee(call)
    if callee is None:
        return
    if callee.is_method("kafka-go", "Reader", "ReadMessage"):
        yield from _kafka_go(ctx, call, match["decl"])
    elif callee.is_method("confluent-kafka-go", "Consumer", "ReadMessage"):
        yield from _confluent(ctx, call, match["decl"])


def _within(node: Node, ctx: RuleContext) -> Node | None:
    """The loop holding `node`, or its function."""
    return in_loop(node) or ctx.facts.enclosing_function(node)


# -- sarama ------------------------------------------------------------------------


def _sarama(ctx: RuleContext, mark: Node, method: str) -> Iterator[Finding]:
    args = arguments(mark)
    message = _root_binding(ctx, args[0]) if args else None
    if message is None:
        return
    kind = ctx.facts.binding_type(message)
    if kind is None or not kind.is_type("sarama", "ConsumerMessage"):
        return
    within = _within(mark, ctx)
    if within is None:
        return
    after = statement_of(mark)
    calls = [
        c for c in processing_calls(ctx.facts, message, after, within) if not _is_sarama(ctx, c)
    ]
    if not calls:
        return
    yield ctx.finding(
        mark,
        f"{method} marks {message.name} as consumed before it is processed: if processing "
        "fails or the process dies, the message is never redelivered (at-most-once)",
        related=[ctx.related(calls[0], f"{message.name} is processed here, after the mark")],
    )


def _is_sarama(ctx: RuleContext, call: Node) -> bool:
    callee = ctx.facts.callee(call)
    return callee is not None and callee.package == "sarama"


def _root_binding(ctx: RuleContext, expr: Node) -> Binding | None:
    """The variable at the root of ``msg``, ``msg.Topic``, ``fetches.Records()...``."""
    node: Node | None = unparen(expr)
    while node is not None and node.type != "identifier":
        if node.type == "variadic_argument":
            node = node.named_child(0)
        elif node.type == "call_expression":
            node = node.child_by_field_name("function")
        elif node.type == "selector_expression":
            node = node.child_by_field_name("operand")
        else:
            return None
        node = unparen(node) if node is not None else None
    return ctx.facts.binding(node) if node is not None else None


# -- franz-go ----------------------------------------------------------------------


def _franz(ctx: RuleContext, commit: Node, method: str) -> Iterator[Finding]:
    within = _within(commit, ctx)
    if within is None:
        return
    after = statement_of(commit)
    for arg in arguments(commit):
        records = _root_binding(ctx, arg)
        if records is None:
            continue
        kind = ctx.facts.binding_type(records)
        if kind is None:
            continue
        fetches = kind.is_type("kgo", "Fetches")
        if not fetches and not (kind.elem is not None and kind.elem.is_type("kgo", "Record")):
            continue
        processed = _records_processed(ctx, records, after, within)
        if processed is None:
            continue
        yield ctx.finding(
            commit,
            f"{method} commits {records.name} before they are processed: if processing fails "
            "or the process dies, the records are never redelivered (at-most-once)",
            related=[
                ctx.related(processed, f"{records.name} are processed here, after the commit")
            ],
        )
        return


def _records_processed(
    ctx: RuleContext, records: Binding, after: Node, within: Node
) -> Node | None:
    for use in ctx.facts.uses(records):
        node = use.node
        if node.start_byte < after.end_byte or not (
            within.start_byte <= node.start_byte < within.end_byte
        ):
            continue
        if use.kind == UseKind.METHOD_CALL and use.path in _FETCH_PROCESSING:
            return use.call
        holder = parent(use.expression)
        if holder is not None and holder.type == "range_clause":
            return holder
    calls = processing_calls(ctx.facts, records, after, within)
    return calls[0] if calls else None


# -- kafka-go and confluent: ReadMessage that commits or stores on return ---------------


def _read_message(ctx: RuleContext, call: Node, declaration: Node) -> tuple[Binding, Node] | None:
    """The message variable of ``m, err := r.ReadMessage(...)`` and the exit of a
    processing call's error path."""
    lefts = expression_list(declaration.child_by_field_name("left"))
    rights = expression_list(declaration.child_by_field_name("right"))
    if len(rights) != 1 or unparen(rights[0]) != call or not lefts:
        return None
    message = ctx.facts.binding(lefts[0])
    within = _within(call, ctx)
    if message is None or within is None:
        return None
    for processing in processing_calls(ctx.facts, message, statement_of(declaration), within):
        exit_node = failure_exit(processing)
        if exit_node is not None:
            return message, exit_node
    return None


def _receiver(call: Node) -> Node | None:
    function = call.child_by_field_name("function")
    return function.child_by_field_name("operand") if function is not None else None


def _kafka_go(ctx: RuleContext, call: Node, declaration: Node) -> Iterator[Finding]:
    receiver = _receiver(call)
    if receiver is None or not _reader_in_group(ctx, receiver):
        return
    found = _read_message(ctx, call, declaration)
    if found is None:
        return
    message, exit_node = found
    yield ctx.finding(
        call,
        f"ReadMessage commits {message.name} before it is processed (the reader has a GroupID): "
        "when processing fails it is lost; use FetchMessage and CommitMessages after processing",
        related=[ctx.related(exit_node, f"{message.name} is given up here after a failure")],
    )


def _reader_in_group(ctx: RuleContext, receiver: Node) -> bool:
    origin = constructor_of(ctx.facts, receiver, "kafka-go", ("NewReader",))
    if origin is None:
        return False
    args = arguments(origin.node)
    if not args:
        return False
    config = unparen(args[0])
    if config.type == "identifier":
        binding = origin.facts.binding(config)
        config = unparen(binding.value) if binding is not None and binding.value else config
    if config.type != "composite_literal":
        return False
    body = config.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        key = element.named_child(0) if element.type == "keyed_element" else None
        value = element.named_child(1) if element.type == "keyed_element" else None
        if key is not None and value is not None and text(key) == "GroupID":
            return text(value) not in ('""', "``")
    return False


def _confluent(ctx: RuleContext, call: Node, declaration: Node) -> Iterator[Finding]:
    receiver = _receiver(call)
    origin = (
        constructor_of(ctx.facts, receiver, "confluent-kafka-go", ("NewConsumer",))
        if receiver is not None
        else None
    )
    args = arguments(origin.node) if origin is not None else []
    config = resolve_configmap(origin.facts, args[0]) if origin is not None and args else None
    if config is None or "false" in (
        config.value("enable.auto.offset.store"),
        config.value("enable.auto.commit"),
    ):
        return
    if not config.complete and not config.has("enable.auto.offset.store"):
        return
    found = _read_message(ctx, call, declaration)
    if found is None:
        return
    message, exit_node = found
    finding = ctx.finding(
        call,
        f"{message.name}'s offset is stored for commit as ReadMessage returns it: when "
        'processing fails it is lost; set "enable.auto.offset.store": false and call '
        "StoreMessage after processing",
        related=[ctx.related(exit_node, f"{message.name} is given up here after a failure")],
    )
    lowered = {Severity.ERROR: Severity.INFO, Severity.WARNING: Severity.INFO}
    yield dataclasses.replace(finding, severity=lowered.get(ctx.severity, ctx.severity))
