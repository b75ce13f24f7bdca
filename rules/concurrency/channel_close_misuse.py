"""A channel is closed twice, closed in a loop that goes on, or closed by its receiver.

## What it does
Reports `close(ch)` (a local, a parameter, a field `s.done`) when:

- an earlier `close` of the same channel in the same function can run before it
  on some path, with no new channel assigned in between; or a
  `defer close(ch)` ran before it, so the deferred close runs a second time
  when the function returns;
- it sits in a `for` loop and some path from it reaches the next iteration
  (no `break`, `return` or `panic` after it), while the channel is the same in
  every iteration;
- the function that closes it only receives from it, while goroutines it
  started before (func literals, or functions of the package given the channel)
  send on it, and nothing waits for them before the close (`wg.Wait()`, a loop
  that received every value).

Left alone: closes on mutually exclusive branches (`if`/`else`, `switch` and
`select` cases), closes guarded by a `sync.Once` (`once.Do(func() {
close(ch) })`), by a flag (`if !s.closed { close(s.ch); s.closed = true }`,
`if s.closed { continue }`) or by the "close unless closed" select (`select {
case <-ch: default: close(ch) }`); channels made, reset (`ch = nil`) or chosen
(`close(w.jobs)` for each worker, `close(chans[i])`) in each iteration;
closes in deferred functions; and the sender closing the channel its
goroutines receive from.

## Why is this bad
Both mistakes panic, and neither can be recovered from cleanly: `close of
closed channel` when the second close runs, `send on closed channel` in every
goroutine still sending when the receiver closes. They hide on the paths tests
rarely take (the error branch that closes early, the second iteration, the
slow sender that loses the race) and crash the process in production,
usually while it is already handling a failure or shutting down.

## Example
```go
func First(ctx context.Context, replicas []string) Result {
        results := make(chan Result)
        for _, r := range replicas {
                go func() { results <- query(ctx, r) }()
        }
        first := <-results
        close(results) // the slower replicas panic: send on closed channel
        return first
}
```

## Use instead
```go
func First(ctx context.Context, replicas []string) Result {
        results := make(chan Result, len(replicas)) // every sender can finish
        for _, r := range replicas {
                go func() { results <- query(ctx, r) }()
        }
        return <-results // the channel is never closed: the garbage collector takes it
}
```
"""

import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.flow import in_loop, is_deferred, statement_of
from gobex.facts.syntax import (
    FUNCTION_TYPES,
    arguments,
    call_function_parts,
    expression_list,
    parent,
    text,
    unparen,
    walk,
    walk_same_function,
)
from gobex.finding import Finding, Severity
from gobex.gotypes import BUILTIN
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.paths import reaches
from ._channels import case_receive, enclosing_select_case, received, select_cases
from ._goroutines import Started, in_once, in_start_guard, started_by_go

RULE = Rule(
    code="CON017",
    name="channel-close-misuse",
    severity=Severity.ERROR,
    query="""
(call_expression
  function: (identifier) @close (#eq? @close "close")
  arguments: (argument_list . (_) @channel .)) @call
""",
    doc=__doc__ or "",
    # `go produce(ch)`: whether the goroutine sends on ch is in produce's body.
    scope=Scope.CALLEES,
)

_WRITES = frozenset({"assignment_statement", "short_var_declaration"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    channel = unparen(match["channel"])
    key = text(channel)
    function = ctx.facts.enclosing_function(call)
    holder = parent(call)
    if (
        function is None
        or holder is None
        or holder.type != "expression_statement"
        or is_deferred(call)
        or not _is_close(ctx.facts, call)
        or _guarded(ctx.facts, call, key)
    ):
        return
    statement = holder
    events = _reassignments(function, channel)
    closes = [c for c in _closes(ctx.facts, function, key) if c != call]
    for earlier in closes:
        if earlier.start_byte >= call.start_byte:
            continue
        start = parent(earlier)
        if start is None:
            continue
        if start.type == "defer_statement":
            if reaches(function, start, statement, events):
                yield ctx.finding(
                    call,
                    f"close({key}) runs before a deferred close({key}), "
                    "which panics when the function returns (close of closed channel)",
                    related=[ctx.related(earlier, "closes again when the function returns")],
                )
                return
            continue
        if start.type != "expression_statement" or _guarded(ctx.facts, earlier, key):
            continue
        if reaches(function, start, statement, events):
            yield ctx.finding(
                call,
                f"close({key}) runs again after an earlier close({key}) on the same path: "
                "close of closed channel panics",
                related=[ctx.related(earlier, f"{key} is closed here first")],
            )
            return
    if (
        not _chosen_per_iteration(ctx.facts, call, channel)
        and not _ends_its_loop(call, key)
        and not _under_equality(ctx.facts, call)
        and reaches(function, statement, statement, events)
    ):
        yield ctx.finding(
            call,
            f"close({key}) in a loop that goes on to its next iteration: "
            "the second close panics (close of closed channel)",
        )
        return
    sender = _racing_sender(ctx.facts, function, call, channel)
    if sender is not None:
        yield ctx.finding(
            call,
            f"close({key}) while goroutines started here may still send on it: "
            "send on closed channel panics",
            related=[ctx.related(sender, f"sends on {key}")],
        )


def _is_close(facts: Facts, call: Node) -> bool:
    callee = facts.callee(call)
    return callee is None or callee.package == BUILTIN


def _closes(facts: Facts, function: Node, key: str) -> list[Node]:
    """The ``close(key)`` calls of `function` itself (``defer close(key)`` included)."""
    body = function.child_by_field_name("body")
    if body is None:
        return []
    found = []
    for node in walk_same_function(body):
        if node.type != "call_expression":
            continue
        callee = node.child_by_field_name("function")
        args = arguments(node)
        if (
            text(callee) == "close"
            and len(args) == 1
            and text(unparen(args[0])) == key
            and _is_close(facts, node)
        ):
            found.append(node)
    return found


# -- guards -------------------------------------------------------------------------


def _guarded(facts: Facts, call: Node, key: str) -> bool:
    """The close runs at most once by construction: in ``once.Do``, under a flag
    (``if !closed { close(ch); closed = true }``, or a flag set right after it and
    tested elsewhere in the function), or in the default case of a select that
    receives from the channel ("close unless closed")."""
    if in_once(facts, call) or in_start_guard(call) or _under_changing_condition(call):
        return True
    if _flag_set_after(facts, call):
        return True
    function = facts.enclosing_function(call)
    case = enclosing_select_case(call, function) if function is not None else None
    if case is not None and case.type == "default_case":
        select = parent(case)
        if select is not None and any(
            (channel := case_receive(other)) is not None and text(channel) == key
            for other in select_cases(select)
        ):
            return True
    return False


def _enclosing_ifs(call: Node) -> Iterator[Node]:
    """The ``if`` statements of the close's function whose consequence holds it."""
    current, above = call, parent(call)
    while above is not None and above.type not in FUNCTION_TYPES:
        if above.type == "if_statement" and current == above.child_by_field_name("consequence"):
            yield above
        current, above = above, parent(above)


def _under_changing_condition(call: Node) -> bool:
    """The close runs under an ``if`` whose block changes what its condition
    tests (``if old == -1 { old = v; close(ch) }``), or under a counter reaching
    zero (``if atomic.AddInt64(&left, -1) == 0``, ``if n.Add(-1) == 0``): the
    last of several parties closes."""
    for statement in _enclosing_ifs(call):
        condition = text(statement.child_by_field_name("condition"))
        if _COUNTDOWN.search(condition):
            return True
        consequence = statement.child_by_field_name("consequence")
        for node in walk_same_function(consequence) if consequence is not None else ():
            if node.type in _WRITES:
                targets = expression_list(node.child_by_field_name("left"))
            elif node.type in ("inc_statement", "dec_statement"):
                targets = list(node.named_children[:1])
            else:
                continue
            if any(re.search(rf"(?<![\w.]){re.escape(text(t))}(?!\w)", condition) for t in targets):
                return True
    return False


_COUNTDOWN = re.compile(r"\bAdd\w*\(.*\)\s*==\s*0\b")


def _ends_its_loop(call: Node, key: str) -> bool:
    """``for v := range ch { ... close(ch) }``: the range ends once the closed
    channel is drained."""
    current = parent(call)
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type == "for_statement":
            header = next((c for c in current.named_children if c.type == "range_clause"), None)
            if header is not None and _same(header.child_by_field_name("right"), key):
                return True
        current = parent(current)
    return False


def _under_equality(facts: Facts, call: Node) -> bool:
    """The close in a loop runs when an equality on something the loop changes
    first holds: under ``if i == 2``, ``if seen == Ready``, ``if accepted == max``,
    or in a ``case`` of a switch on a value read in the loop (a frame's type, a
    message kind). Taken to happen once, as the code's author meant; a test of a
    value the loop does not change (``if mode == 1``, ``switch ht``) repeats."""
    loop = in_loop(call)
    if loop is None:
        return False
    for statement in _enclosing_ifs(call):
        condition = statement.child_by_field_name("condition")
        if statement.start_byte < loop.start_byte or condition is None:
            break
        if any(
            n.type == "binary_expression"
            and (operator := n.child_by_field_name("operator")) is not None
            and operator.type == "=="
            and _varies_in(facts, loop, n)
            for n in walk(condition)
        ):
            return True
    current = parent(call)
    while current is not None and current != loop:
        if current.type in ("expression_case", "type_case"):
            switch = parent(current)
            value = switch.child_by_field_name("value") if switch is not None else None
            if value is not None and _varies_in(facts, loop, value):
                return True
        current = parent(current)
    return False


def _varies_in(facts: Facts, loop: Node, expression: Node) -> bool:
    """`expression` reads a variable declared or assigned in `loop`."""
    names = set()
    for node in walk(expression):
        if node.type != "identifier":
            continue
        binding = facts.binding(node)
        if binding is None:
            continue
        if loop.start_byte <= binding.ident.start_byte < loop.end_byte or any(
            loop.start_byte <= a.start_byte < loop.end_byte for a in binding.assignments
        ):
            return True
        names.add(text(node))
    return any(
        n.type in ("inc_statement", "dec_statement")
        and n.named_child_count
        and text(n.named_children[0]) in names
        for n in walk_same_function(loop)
    )


def _flag_set_after(facts: Facts, call: Node) -> bool:
    """``close(s.ch); s.closed = true`` with ``s.closed`` tested by an ``if`` or a
    loop condition of the same function."""
    statement = statement_of(call)
    block = parent(statement)
    function = facts.enclosing_function(call)
    if block is None or function is None:
        return False
    siblings = [c for c in block.named_children if c.type != "comment"]
    index = siblings.index(statement) if statement in siblings else len(siblings)
    flags = set()
    for sibling in siblings[index + 1 :]:
        if sibling.type == "assignment_statement" and text(
            sibling.child_by_field_name("right")
        ) in ("true", "1"):
            flags.add(text(sibling.child_by_field_name("left")))
    if not flags:
        return False
    for node in walk_same_function(function):
        if node.type == "if_statement":
            condition = text(node.child_by_field_name("condition"))
        elif node.type == "for_statement":
            condition = text(_loop_condition(node))
        else:
            continue
        if any(flag in condition for flag in flags):
            return True
    return False


def _loop_condition(loop: Node) -> Node | None:
    """``for cond {`` or ``for init; cond; post {``."""
    body = loop.child_by_field_name("body")
    header = next((c for c in loop.named_children if c != body and c.type != "comment"), None)
    if header is None or header.type == "range_clause":
        return None
    if header.type == "for_clause":
        return header.child_by_field_name("condition")
    return header


# -- the channel in each iteration ------------------------------------------------


def _roots(channel: Node) -> list[Node]:
    """The identifiers the channel expression is made of (``s`` of ``s.done``,
    ``chans`` and ``i`` of ``chans[i]``)."""
    return [n for n in walk(channel) if n.type == "identifier"]


def _reassignments(function: Node, channel: Node) -> list[Node]:
    """Statements of `function` that assign the channel or a variable it is
    made of: after them, ``close`` closes another channel."""
    names = {text(n) for n in _roots(channel)}
    key = text(channel)
    body = function.child_by_field_name("body")
    if body is None:
        return []
    found = []
    for node in walk_same_function(body):
        if node.type in _WRITES:
            targets = expression_list(node.child_by_field_name("left"))
        elif node.type in ("inc_statement", "dec_statement"):
            targets = list(node.named_children[:1])
        else:
            continue
        for target in targets:
            written = text(unparen(target))
            if written in names or written == key or key.startswith((written + ".", written + "[")):
                found.append(node)
                break
    return found


def _chosen_per_iteration(facts: Facts, call: Node, channel: Node) -> bool:
    """A variable of the channel expression is declared in a loop around the
    close (a range variable, ``ch := make(...)`` in the body, an index)."""
    loops = []
    current = parent(call)
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type == "for_statement":
            loops.append(current)
        current = parent(current)
    if not loops:
        return True  # not in a loop: nothing repeats
    for root in _roots(channel):
        binding = facts.binding(root)
        if binding is None:
            continue
        if any(loop.start_byte <= binding.ident.start_byte < loop.end_byte for loop in loops):
            return True
    return False


# -- the receiver closing while its goroutines send --------------------------------


def _racing_sender(facts: Facts, function: Node, call: Node, channel: Node) -> Node | None:
    """A send on the channel by a goroutine `function` started before the close,
    when `function` itself only receives from the channel and waits for nothing
    before closing it."""
    body = function.child_by_field_name("body")
    if body is None:
        return None
    key = text(channel)
    receives = False
    sender: Node | None = None
    waited = False
    for node in walk_same_function(body):
        if node.type == "send_statement" and _same(node.child_by_field_name("channel"), key):
            return None  # the function sends too: it is (one of) the senders
        if _receives(node, key):
            receives = True
        elif node.type == "call_expression" and node.start_byte < call.start_byte:
            waited = waited or call_function_parts(node)[1] == "Wait"
        elif node.type == "go_statement" and node.start_byte < call.start_byte and sender is None:
            started = started_by_go(facts, node)
            if started is not None:
                sender = _sends_on(started, key)
        elif (
            node.type == "for_statement"
            and node.end_byte <= call.start_byte
            and any(received(n) is not None for n in walk_same_function(node))
        ):
            waited = True  # received in a loop that ended: the senders are done
    if not receives or waited or sender is None:
        return None
    return sender


def _receives(node: Node, key: str) -> bool:
    if node.type == "unary_expression":
        return _same(received(node), key)
    return node.type == "range_clause" and _same(node.child_by_field_name("right"), key)


def _same(node: Node | None, key: str) -> bool:
    return node is not None and text(unparen(node)) == key


def _sends_on(started: Started, key: str) -> Node | None:
    """A send on `key` in the goroutine: in a func literal, on the same expression;
    in a function of the package, on the parameter given `key`."""
    names = {key}
    if not started.is_literal:
        names = _parameters_given(started, key)
        if not names:
            return None
    for node in walk(started.body):
        if node.type == "send_statement" and text(node.child_by_field_name("channel")) in names:
            if started.is_literal:
                return node
            return started.launch  # the send is in another declaration: point at the `go`
    return None


def _parameters_given(started: Started, key: str) -> set[str]:
    """The parameter names of the started function that receive `key`."""
    parameters = started.function.child_by_field_name("parameters")
    names: list[str] = []
    for declaration in parameters.named_children if parameters is not None else []:
        declared = [text(n) for n in declaration.children_by_field_name("name")]
        names.extend(declared or ["_"])
    given = set()
    for index, argument in enumerate(arguments(started.call)):
        if text(unparen(argument)) == key and index < len(names):
            given.add(names[index])
    return given
