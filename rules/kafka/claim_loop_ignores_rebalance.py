"""A sarama `ConsumeClaim` does not return on rebalance, or hands messages to goroutines.

## What it does
Reports two shapes in `ConsumeClaim(session, claim)` methods (sarama
consumer-group handlers, `IBM/sarama` or `Shopify/sarama`):
- a `for msg := range claim.Messages()` loop in a `ConsumeClaim` that never
  looks at `session.Context()` (`Done()` or `Err()`): it keeps processing the
  messages already buffered for the claim after a rebalance has started;
- a `go` statement in the loop over the claim's messages (one goroutine per
  message), unless the loop waits for it (`wg.Wait()`) before the next message.

## Why is this bad
A rebalance waits until every member's `ConsumeClaim` has returned. A handler
that only notices the end of its claim when the messages channel closes first
works through everything still buffered (256 messages by default): slow
handlers push the group past `Rebalance.Timeout`, members are kicked out with
`ErrRebalanceInProgress` or an i/o timeout, and the group rebalances again and
again while nothing is consumed. Handing each message to a goroutine breaks
the two promises a partition gives: messages are processed out of order, and
`MarkMessage` runs before (or without) the processing it stands for, so a
crash loses work and a late failure cannot be retried.

## Example
```go
func (h *Handler) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
        for msg := range c.Messages() {
                go h.process(msg)
                s.MarkMessage(msg, "")
        }
        return nil
}
```

## Use instead
```go
func (h *Handler) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
        for {
                select {
                case msg, ok := <-c.Messages():
                        if !ok {
                                return nil
                        }
                        if err := h.process(s.Context(), msg); err != nil {
                                return err
                        }
                        s.MarkMessage(msg, "")
                case <-s.Context().Done():
                        return nil
                }
        }
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import text, unparen, walk_same_function
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from . import SARAMA

RULE = Rule(
    code="KFK009",
    name="claim-loop-ignores-rebalance",
    severity=Severity.WARNING,
    packages=SARAMA,
    query="""
(method_declaration
  name: (field_identifier) @name
  (#eq? @name "ConsumeClaim")) @method
""",
    doc=__doc__ or "",
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    method = match["method"]
    body = method.child_by_field_name("body")
    if body is None or not _is_claim_handler(ctx.facts, method):
        return
    ranges: list[Node] = []
    loops: list[Node] = []  # bodies handling one message each
    looks_at_context = False
    for node in walk_same_function(body):
        if node.type == "call_expression" and _context_check(ctx.facts, node):
            looks_at_context = True
        elif node.type == "for_statement":
            clause = next((c for c in node.named_children if c.type == "range_clause"), None)
            right = clause.child_by_field_name("right") if clause is not None else None
            if right is not None and _claim_messages(ctx.facts, right):
                ranges.append(right)
                loop_body = node.child_by_field_name("body")
                if loop_body is not None:
                    loops.append(loop_body)
        elif node.type == "communication_case" and _receives_messages(ctx.facts, node):
            loops.append(node)
    if not looks_at_context:
        for messages in ranges:
            yield ctx.finding(
                messages,
                "ConsumeClaim ranges over claim.Messages() without watching "
                "session.Context().Done(): a rebalance waits until every buffered message "
                "is processed",
            )
    for loop in loops:
        for statement in _goroutines(loop):
            yield ctx.finding(
                statement,
                "a goroutine per message in ConsumeClaim: the partition's order is lost and "
                "MarkMessage no longer follows the processing it stands for",
            )


def _is_claim_handler(facts: Facts, method: Node) -> bool:
    parameters = method.child_by_field_name("parameters")
    for declaration in parameters.named_children if parameters is not None else []:
        kind = facts.resolve_type(declaration.child_by_field_name("type"))
        if kind is not None and kind.is_type("sarama", "ConsumerGroupClaim"):
            return True
    return False


def _claim_messages(facts: Facts, expr: Node) -> bool:
    """``claim.Messages()`` on a ConsumerGroupClaim."""
    expr = unparen(expr)
    if expr.type != "call_expression":
        return False
    callee = facts.callee(expr)
    return callee is not None and callee.is_method("sarama", "ConsumerGroupClaim", "Messages")


def _receives_messages(facts: Facts, case: Node) -> bool:
    """``case msg, ok := <-claim.Messages():``."""
    communication: Node | None = case.named_child(0)
    if communication is None:
        return False
    for node in walk_same_function(communication):
        if node.type == "unary_expression":
            operator = node.child_by_field_name("operator")
            operand = node.child_by_field_name("operand")
            if operator is not None and operator.type == "<-" and operand is not None:
                return _claim_messages(facts, operand)
    return False


def _context_check(facts: Facts, call: Node) -> bool:
    """``x.Done()`` or ``x.Err()`` on a context (``session.Context().Done()``)."""
    function = call.child_by_field_name("function")
    if function is None or function.type != "selector_expression":
        return False
    if text(function.child_by_field_name("field")) not in ("Done", "Err"):
        return False
    operand = function.child_by_field_name("operand")
    kind = facts.type_of(operand) if operand is not None else None
    return kind is not None and kind.is_type("context", "Context")


def _goroutines(loop: Node) -> list[Node]:
    """The ``go`` statements of one message's handling that nothing waits for in
    the same iteration."""
    found: list[Node] = []
    waits: list[Node] = []
    for node in walk_same_function(loop):
        if node.type == "go_statement":
            found.append(node)
        elif node.type == "call_expression":
            function = node.child_by_field_name("function")
            if (
                function is not None
                and function.type == "selector_expression"
                and text(function.child_by_field_name("field")) == "Wait"
            ):
                waits.append(node)
    return [g for g in found if not any(w.start_byte > g.end_byte for w in waits)]
