"""The outcome of a Kafka produce, poll or commit is never checked.

## What it does
Reports Kafka calls whose failure is never looked at:
- franz-go `PollFetches`/`PollRecords` whose fetches are never asked for
  errors (`Errors()`, `Err()`, `Err0()`, `EachError`, `IsClientClosed()`);
- franz-go `ProduceSync` whose results are never checked (`FirstErr()`,
  `First()`, or a loop over them); errcheck cannot see these, the result is
  not an `error`;
- kafka-go `Writer.WriteMessages` and `Reader.CommitMessages`, and sarama
  `SendMessage`/`SendMessages`, used as a statement or with the error assigned
  to `_` while other results are kept (ERR003 leaves these calls to this rule,
  so they are reported once);
- at info level, confluent-kafka-go `producer.Flush(timeoutMs)` whose result
  (the number of messages still undelivered) is ignored before `Close()`.

Results that are returned, passed on or stored are left alone, and so are
`_test.go` files and deferred calls, as in ERR003.

## Why is this bad
A produce that fails silently is a lost event: the request that caused it
reports success and no log line tells anyone. franz-go reports a closed client
or a cancelled context as fetch errors: a poll loop that never looks at them
spins at full speed after shutdown, and broker errors (authorization, a
deleted topic) go unseen while the consumer reads nothing. `Flush` gives up
after its timeout and says how many messages it could not deliver; closing
the producer then drops them.

## Example
```go
for {
        fetches := cl.PollFetches(ctx)
        fetches.EachRecord(func(r *kgo.Record) {
                handle(r)
        })
}
```

## Use instead
```go
for {
        fetches := cl.PollFetches(ctx)
        if fetches.IsClientClosed() || ctx.Err() != nil {
                return
        }
        fetches.EachError(func(topic string, partition int32, err error) {
                log.Printf("fetch %s/%d: %v", topic, partition, err)
        })
        fetches.EachRecord(func(r *kgo.Record) {
                handle(r)
        })
}
```
"""

import dataclasses
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Callee, UseKind
from gobex.facts.flow import is_deferred
from gobex.facts.syntax import expression_list, text
from gobex.finding import Finding, Severity
from gobex.gotypes import BUILTIN
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from . import KAFKA_CLIENTS

_BOUND = "^(PollFetches|PollRecords|ProduceSync|WriteMessages|CommitMessages|SendMessages?|Flush)$"
_CALL = f"""(call_expression function: (selector_expression field: (field_identifier) @m)
  (#match? @m "{_BOUND}")) @call"""

RULE = Rule(
    code="KFK010",
    name="kafka-result-unchecked",
    severity=Severity.ERROR,
    packages=KAFKA_CLIENTS,
    query=f"""
(expression_statement {_CALL}) @statement
(short_var_declaration right: (expression_list . {_CALL} .)) @assignment
(assignment_statement right: (expression_list . {_CALL} .)) @assignment
(call_expression
  function: (selector_expression
    operand: (call_expression function: (selector_expression field: (field_identifier) @m)) @call
    field: (field_identifier) @chained)
  (#match? @m "^(PollFetches|PollRecords|ProduceSync)$"))
""",
    doc=__doc__ or "",
)

_FETCH_CHECKS = frozenset({"Errors", "Err", "Err0", "EachError", "IsClientClosed"})
_PRODUCE_CHECKS = frozenset({"FirstErr", "First"})
_LABEL_LIMIT = 40


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    if is_test_file(ctx.source) or is_deferred(call):
        return
    callee = ctx.facts.callee(call)
    if callee is None:
        return
    if callee.is_method("kgo", "Client", "PollFetches", "PollRecords"):
        yield from _results(ctx, call, match, _FETCH_CHECKS, _fetches_message(callee.name))
    elif callee.is_method("kgo", "Client", "ProduceSync"):
        yield from _results(ctx, call, match, _PRODUCE_CHECKS, _PRODUCE_MESSAGE)
    elif match.get("chained") is not None:
        return
    elif callee.is_method("confluent-kafka-go", "Producer", "Flush"):
        yield from _flush(ctx, call, match)
    elif _owned_error(callee):
        yield from _dropped_error(ctx, call, match)


def _fetches_message(name: str) -> str:
    return (
        f"fetch errors from {name} are never checked: a closed client or a cancelled context "
        "makes the poll loop spin, and broker errors are lost"
    )


_PRODUCE_MESSAGE = (
    "the results of ProduceSync are never checked: records that failed to publish are "
    "lost silently (check FirstErr())"
)


def _results(
    ctx: RuleContext, call: Node, match: Match, checks: frozenset[str], message: str
) -> Iterator[Finding]:
    """A value (Fetches, ProduceResults) that must be asked whether it failed."""
    chained = match.get("chained")
    if chained is not None:
        if text(chained) not in checks:
            yield ctx.finding(call, message)
        return
    if match.get("statement") is not None:
        yield ctx.finding(call, message)
        return
    assignment = match["assignment"]
    lefts = expression_list(assignment.child_by_field_name("left"))
    if len(lefts) != 1:
        return
    target = lefts[0]
    if text(target) == "_":
        yield ctx.finding(call, message)
        return
    binding = ctx.facts.binding(target)
    if binding is None:
        return  # a field or an element: someone else looks at it
    for use in ctx.facts.uses(binding):
        if use.kind == UseKind.METHOD_CALL and use.path not in checks:
            continue
        if use.callee is not None and use.callee.package == BUILTIN and use.callee.name == "len":
            continue
        return  # checked, or handed on, ranged over, discarded with `_ =`...
    yield ctx.finding(call, message)


def _owned_error(callee: Callee) -> bool:
    """kafka-go WriteMessages/CommitMessages and sarama SendMessage(s): the calls
    whose model tag `error-rule` tells ERR003 to leave them to this rule."""
    return (
        callee.spec is not None
        and "error-rule" in callee.spec.tags
        and callee.package in KAFKA_CLIENTS
    )


def _dropped_error(ctx: RuleContext, call: Node, match: Match) -> Iterator[Finding]:
    label = _label(call)
    if match.get("statement") is not None:
        yield ctx.finding(
            call, f"error returned by {label} is dropped: failed messages are lost silently"
        )
        return
    assignment = match["assignment"]
    lefts = expression_list(assignment.child_by_field_name("left"))
    results = ctx.facts.result_types(call) or ()
    if len(lefts) < 2 or len(lefts) != len(results) or text(lefts[-1]) != "_":
        return
    if all(text(left) == "_" for left in lefts):
        return  # `_, _, _ = p.SendMessage(m)`: discarded in plain sight
    yield ctx.finding(
        call, f"error returned by {label} is discarded with _: failed messages are lost silently"
    )


def _flush(ctx: RuleContext, call: Node, match: Match) -> Iterator[Finding]:
    """``p.Flush(15000)`` as a statement, followed by ``p.Close()``."""
    if match.get("statement") is None:
        return
    function = call.child_by_field_name("function")
    receiver = function.child_by_field_name("operand") if function is not None else None
    close = _later_close(ctx, call, receiver) if receiver is not None else None
    if close is None:
        return
    finding = ctx.finding(
        call,
        "Flush's count of undelivered messages is ignored before Close: whatever is still "
        "queued when the timeout expires is lost silently",
        related=[ctx.related(close, "the producer is closed here")],
    )
    lowered = {Severity.ERROR: Severity.INFO, Severity.WARNING: Severity.INFO}
    yield dataclasses.replace(finding, severity=lowered.get(ctx.severity, ctx.severity))


def _later_close(ctx: RuleContext, call: Node, receiver: Node) -> Node | None:
    """The ``p.Close()`` of the same producer after `call` in its function: by
    binding for a variable, by text for a field (``s.producer.Close()``)."""
    binding = ctx.facts.binding(receiver)
    if binding is not None:
        for use in ctx.facts.uses(binding):
            if (
                use.kind == UseKind.METHOD_CALL
                and use.path == "Close"
                and use.node.start_byte > call.end_byte
                and not use.in_closure
            ):
                return use.call or use.node
        return None
    function = ctx.facts.enclosing_function(call)
    if receiver.type != "selector_expression" or function is None:
        return None
    needle = f"{text(receiver)}.Close()".encode()
    at = ctx.source.data.find(needle, call.end_byte, function.end_byte)
    if at == -1:
        return None
    found = ctx.source.root.descendant_for_byte_range(at, at + len(needle))
    return found if found is not None and found.type == "call_expression" else None


def _label(call: Node) -> str:
    function = call.child_by_field_name("function")
    label = text(function) if function is not None else ""
    if not label or len(label) > _LABEL_LIMIT or "\n" in label:
        _, _, last = label.rpartition(".")
        return last or "the call"
    return label
