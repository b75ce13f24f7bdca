"""A goroutine sends on an unbuffered channel whose receiver can leave without receiving.

## What it does
Reports the send of a goroutine started in a function on an unbuffered channel
(`make(chan T)`) made in that same function, when the function can stop
waiting for it: it receives in a `select` that has a `ctx.Done()`, stop
channel, `time.After`, timer or `default` case that leaves (returns, or ends
a `select` that is not retried in a loop), or it can `return` after starting
the goroutine and before its first receive. Channels that are passed on,
returned, stored, closed or ranged over are left alone, and so are sends that
are themselves a `select` case (the goroutine can give up too).

When one goroutine sends exactly once, the fix makes the channel buffered
with capacity 1: the send then completes whether or not anyone receives.

## Why is this bad
A send on an unbuffered channel waits for a receiver. Once the function has
returned on timeout or cancellation nobody will ever receive, so the
goroutine blocks forever, keeping its stack and everything it references
(the result, the connection, the request). Under load every timed-out
request leaks one goroutine: memory grows until the process is OOM-killed,
and the timeouts that were meant to protect the service are what kills it.

## Example
```go
func (c *Client) Fetch(ctx context.Context, id string) (*Item, error) {
        ch := make(chan result)
        go func() {
                item, err := c.slowFetch(id)
                ch <- result{item, err} // blocks forever after a timeout
        }()
        select {
        case r := <-ch:
                return r.item, r.err
        case <-ctx.Done():
                return nil, ctx.Err()
        }
}
```

## Use instead
```go
func (c *Client) Fetch(ctx context.Context, id string) (*Item, error) {
        ch := make(chan result, 1) // the send never waits
        go func() {
                item, err := c.slowFetch(id)
                ch <- result{item, err}
        }()
        select {
        case r := <-ch:
                return r.item, r.err
        case <-ctx.Done():
                return nil, ctx.Err()
        }
}
```
"""

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import Binding
from gobex.facts.flow import dominates, in_loop, returns_of
from gobex.facts.syntax import parent, text, walk_same_function
from gobex.finding import Finding, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext

from .._shared.paths import terminates_by_name
from ._channels import case_receive, enclosing_select_case, giving_up, received, select_cases
from ._goroutines import literal_launch

RULE = Rule(
    code="CON005",
    name="goroutine-blocked-send",
    severity=Severity.ERROR,
    query="""
(short_var_declaration
  left: (expression_list . (identifier) @name .)
  right: (expression_list .
    (call_expression
      function: (identifier) @make (#eq? @make "make")
      arguments: (argument_list . (channel_type) @type .)) .))
(var_spec
  name: (identifier) @name .
  value: (expression_list .
    (call_expression
      function: (identifier) @make (#eq? @make "make")
      arguments: (argument_list . (channel_type) @type .)) .))
""",
    doc=__doc__ or "",
    fixable=True,
)


@dataclass(frozen=True)
class _Uses:
    sends: list[tuple[Node, Node]]  # (send statement, go statement)
    receives: list[Node]  # `<-ch` in the function itself


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    binding = ctx.facts.binding(match["name"])
    if binding is None:
        return
    uses = _classify(ctx, binding)
    if uses is None or not uses.sends or not uses.receives:
        return
    leaving = _leaving_point(ctx, binding, uses)
    if leaving is None:
        return
    node, how = leaving
    send = uses.sends[0][0]
    fixes = []
    if _sends_once(uses):
        channel_type = match["type"]
        fixes.append(
            ctx.fix(
                f"Make {binding.name} buffered: `make({text(channel_type)}, 1)`",
                [TextEdit(channel_type.end_byte, channel_type.end_byte, ", 1")],
            )
        )
    yield ctx.finding(
        send,
        f"send on unbuffered {binding.name} blocks this goroutine forever "
        f"when the receiver leaves through {how}",
        fixes=fixes,
        related=[ctx.related(node, f"leaves without receiving from {binding.name}")],
    )


def _classify(ctx: RuleContext, binding: Binding) -> _Uses | None:
    """Sends from goroutines started by the channel's function and receives in
    that function; None when the channel is used any other way."""
    sends: list[tuple[Node, Node]] = []
    receives: list[Node] = []
    for use in binding.uses:
        above = parent(use)
        function = ctx.facts.enclosing_function(use)
        if above is None or function is None:
            return None
        if above.type == "send_statement" and above.child_by_field_name("channel") == use:
            go = literal_launch(function) if function.type == "func_literal" else None
            if go is None or ctx.facts.enclosing_function(go) != binding.function:
                return None
            holder = parent(above)
            if holder is None or holder.type == "communication_case":
                return None  # the sender selects too: it can give up
            sends.append((above, go))
        elif received(above) is not None and function == binding.function:
            receives.append(above)
        else:
            return None  # ranged, closed, passed, stored, returned, len()...
    return _Uses(sends, receives)


def _leaving_point(ctx: RuleContext, binding: Binding, uses: _Uses) -> tuple[Node, str] | None:
    """Where the function can stop waiting for the goroutine: a giving-up case of
    the select that receives, or a return before the first receive."""
    first = min(uses.receives, key=lambda r: r.start_byte)
    for receive in uses.receives:
        case = enclosing_select_case(receive, binding.function)
        if case is None or case_receive(case) != received(receive):
            continue
        select = parent(case)
        if select is None:
            continue
        for other in select_cases(select):
            if other == case:
                continue
            how = giving_up(ctx.facts, other)
            if how is not None and _leaves(ctx, other, select, uses.receives):
                return other, how
    go = uses.sends[0][1]
    if in_loop(go) is not None:
        return None
    for ret in returns_of(binding.function):
        if go.end_byte <= ret.start_byte < first.start_byte and dominates(go, ret):
            return ret, "this return"
    return None


def _leaves(ctx: RuleContext, case: Node, select: Node, receives: list[Node]) -> bool:
    """The case ends the wait for good: it returns, or the ``select`` is not
    retried by a loop and nothing receives after it. A case that receives from
    the channel after all, or that fails (``t.Fatal``, ``panic``, ``t.Error``:
    the leak is then on a failure path that ends the test or the process), does
    not."""
    returns = False
    for node in walk_same_function(case):
        if node.type == "return_statement":
            returns = True
        elif node in receives or (node.type == "call_expression" and _fails(ctx, node)):
            return False
    if returns:
        return True
    if in_loop(select) is not None:
        return False
    return not any(r.start_byte >= select.end_byte for r in receives)


def _fails(ctx: RuleContext, call: Node) -> bool:
    if terminates_by_name(call):
        return True
    callee = ctx.facts.callee(call)
    return (
        callee is not None
        and callee.receiver is not None
        and callee.package == "testing"
        and callee.name in _TEST_FAILURES
    )


_TEST_FAILURES = frozenset({"Error", "Errorf", "Fail", "FailNow", "Fatal", "Fatalf"})


def _sends_once(uses: _Uses) -> bool:
    """One goroutine, started once, sends once."""
    if len(uses.sends) != 1:
        return False
    send, go = uses.sends[0]
    return in_loop(go) is None and in_loop(send) is None
