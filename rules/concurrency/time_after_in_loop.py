"""`time.After` in a `select` inside a loop starts a new timer on every iteration.

## What it does
Reports `case <-time.After(d):` in a `select` that runs in a `for` loop when
another case of the `select` keeps the loop going (handles a message and
loops again): each iteration then starts a fresh timer and abandons the last
one. A `select` whose other cases all leave the loop (the retry-with-backoff
shape: wait for `d` or return on `ctx.Done()`) abandons at most one timer and
is not reported; nor are cases on a stop signal (`ctx.Done()`, `done`, `quit`),
which fire once for good, nor `_test.go` files. Below Go 1.23 the finding is
a warning; from Go 1.23, where abandoned timers are collected at once, it is
reported at `info` as a cost per iteration.

## Why is this bad
Before Go 1.23 a timer started by `time.After` stays in the runtime's timer
heap until it fires, even when nothing waits for it any more. A consumer loop
that handles thousands of messages a second with a 5-minute idle timeout keeps
millions of live timers: memory grows and the timer heap slows every timer in
the process. Even where they are collected, a timer allocation per message is
waste that a single reused timer avoids.

## Example
```go
for {
        select {
        case msg := <-msgs:
                handle(msg)
        case <-time.After(5 * time.Minute): // a new timer per message
                return errIdle
        }
}
```

## Use instead
```go
idle := time.NewTimer(5 * time.Minute)
defer idle.Stop()
for {
        select {
        case msg := <-msgs:
                handle(msg)
                if !idle.Stop() {
                        <-idle.C
                }
                idle.Reset(5 * time.Minute)
        case <-idle.C:
                return errIdle
        }
}
```
"""

import dataclasses
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.flow import in_loop
from gobex.facts.syntax import parent, text, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from ._channels import case_receive, select_cases
from ._goroutines import is_stop_channel
from ._loops import exits

RULE = Rule(
    code="CON011",
    name="time-after-in-loop",
    severity=Severity.WARNING,
    packages=("time",),
    query="""
(communication_case
  communication: (receive_statement
    right: (unary_expression
      operand: (call_expression
        function: (selector_expression field: (field_identifier) @after (#eq? @after "After"))
      ) @call))) @case
""",
    doc=__doc__ or "",
)

COLLECTED_FROM = 23  # Go 1.23 collects unreferenced, unstopped timers


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call, case = match["call"], match["case"]
    callee = ctx.facts.callee(call)
    if callee is None or not callee.is_function("time", "After") or is_test_file(ctx.source):
        return  # a test's timers end with the test
    select = parent(case)
    loop = in_loop(select) if select is not None else None
    if select is None or loop is None:
        return
    falls_out = _returns_after(select, loop)
    looping = [
        c
        for c in select_cases(select)
        if c != case
        and not _stop_case(c)
        and not (falls_out and not _jumps(c))
        and not _leaves(c, loop)
    ]
    if not looping:
        return  # every other case leaves the loop: at most one timer is abandoned
    related = [ctx.related(looping[0], "this case loops again, abandoning the timer")]
    if not ctx.go_at_least(COLLECTED_FROM):
        yield ctx.finding(
            call,
            "time.After in a loop starts a timer per iteration that stays alive until it fires "
            "(reuse one time.NewTimer)",
            related=related,
        )
        return
    finding = ctx.finding(
        call,
        "time.After in a loop allocates a timer per iteration (reuse one time.NewTimer)",
        related=related,
    )
    if ctx.severity is RULE.severity:
        finding = dataclasses.replace(finding, severity=Severity.INFO)
    yield finding


def _stop_case(case: Node) -> bool:
    """``case <-ctx.Done():``, ``case <-s.quit:``: fires once, for good."""
    channel = case_receive(case)
    return channel is not None and is_stop_channel(channel)


def _returns_after(select: Node, loop: Node) -> bool:
    """A ``return`` follows the ``select`` in its block, or in an enclosing block
    within the loop: a case that falls through the ``select`` leaves the loop."""
    node: Node | None = select
    while node is not None and node.type != "for_statement":
        following = node.next_named_sibling
        while following is not None:
            if following.type == "return_statement":
                return True
            following = following.next_named_sibling
        up = parent(node)
        while up is not None and up.type in ("statement_list", "block"):
            up = parent(up)
        if up is None or up == loop or up.type in _CLAUSES:
            return False
        node = up
    return False


_CLAUSES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})


def _jumps(case: Node) -> bool:
    """The case ends in a ``continue``/``break``/``goto`` (does not fall through)."""
    statements = next((c for c in case.named_children if c.type == "statement_list"), None)
    items = [c for c in statements.named_children if c.type != "comment"] if statements else []
    return bool(items) and items[-1].type in (
        "continue_statement",
        "break_statement",
        "goto_statement",
    )


def _leaves(case: Node, loop: Node) -> bool:
    """The case always leaves the loop: its last statement is a way out."""
    statements = next((c for c in case.named_children if c.type == "statement_list"), None)
    items = [c for c in statements.named_children if c.type != "comment"] if statements else []
    if not items:
        return False
    if _clears_condition(items, loop):
        return True
    last = items[-1]
    if last.type == "expression_statement" and last.named_child_count:
        last = last.named_children[0]
    return next(exits(last, loop), None) is not None and last.type in _WAYS_OUT


def _clears_condition(statements: list[Node], loop: Node) -> bool:
    """The case makes the loop's condition false: ``finished = true`` under
    ``for !finished {``, ``running = false`` under ``for running {`` (the
    iteration ends and the loop with it). From aws-sdk-go processcreds
    provider.go (``for !finished { select { ... case <-stdoutCh: finished = true`` )."""
    condition = _loop_condition(loop)
    if condition is None:
        return False
    wanted = "false"
    if condition.type == "unary_expression":
        operator = condition.child_by_field_name("operator")
        operand = condition.child_by_field_name("operand")
        if operator is None or operator.type != "!" or operand is None:
            return False
        condition, wanted = unparen(operand), "true"
    if condition.type != "identifier":
        return False
    flag = text(condition)
    for statement in statements:
        if statement.type != "assignment_statement":
            continue
        operator = statement.child_by_field_name("operator")
        left = statement.child_by_field_name("left")
        right = statement.child_by_field_name("right")
        if (
            operator is not None
            and operator.type == "="
            and left is not None
            and right is not None
            and text(left) == flag
            and text(right) == wanted
        ):
            return True
    return False


def _loop_condition(loop: Node) -> Node | None:
    body = loop.child_by_field_name("body")
    for child in loop.named_children:
        if child == body or child.type == "comment":
            continue
        if child.type == "for_clause":
            condition = child.child_by_field_name("condition")
            return unparen(condition) if condition is not None else None
        if child.type != "range_clause":
            return unparen(child)
    return None


_WAYS_OUT = frozenset(
    {
        "return_statement",
        "goto_statement",
        "break_statement",
        "continue_statement",
        "call_expression",
    }
)
