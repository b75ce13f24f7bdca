"""A goroutine per element of request-sized input, with no limit on how many run.

## What it does
Reports a `go` statement (or an errgroup `g.Go`) inside a loop over input whose
size the caller decides: a `range` over a slice or map parameter (or a field
of one, `req.Items`), a `range` over a channel returned by a call
(`consumer.Messages()`), or a `for rows.Next()` loop over query results. A
channel parameter is left alone: connection and event channels handed to a
server loop are its design. It
stays quiet when a limiter is in sight in the loop: a send on or receive from
a semaphore channel (`sem <- struct{}{}`, a channel named `sem`, `tokens`,
`limit`...), a `semaphore.Weighted.Acquire`, a `Wait` in the loop body
(batches), or an errgroup with `SetLimit` (or one that comes from elsewhere,
whose limit is not in sight); a semaphore or `Acquire` in the body of a
function of the package that the loop calls counts too. Loops over a constant, a count parameter or
`runtime.NumCPU()` start a fixed pool of workers and are not reported; nor is
a `go` followed by a `return` or `break` out of the loop (one goroutine), nor
`_test.go` files (fixed test tables).

Preview: syntax cannot tell a request's items from a cluster's nodes or a
topic's partitions, and on real code most slice parameters are small lists of
the second kind.

## Why is this bad
The number of goroutines is then whatever the client sends: one request with
100,000 ids starts 100,000 goroutines, each opening a database connection or
an HTTP request at the same moment. The pool is exhausted, downstream
services see a thundering herd, memory spikes with every goroutine's stack and
buffers, and one large request slows down or kills the whole process.

## Example
```go
func (s *Service) Resolve(ctx context.Context, ids []string) error {
        var wg sync.WaitGroup
        for _, id := range ids {
                wg.Add(1)
                go func(id string) {
                        defer wg.Done()
                        s.resolve(ctx, id)
                }(id)
        }
        wg.Wait()
        return nil
}
```

## Use instead
```go
func (s *Service) Resolve(ctx context.Context, ids []string) error {
        g, ctx := errgroup.WithContext(ctx)
        g.SetLimit(16)
        for _, id := range ids {
                g.Go(func() error { return s.resolve(ctx, id) })
        }
        return g.Wait()
}
```
"""

import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import BindingKind
from gobex.facts.flow import in_loop, statement_of
from gobex.facts.syntax import call_function_parts, parent, text, unparen, walk
from gobex.finding import Finding, Severity
from gobex.gotypes import LOCAL
from gobex.rule import Group, Match, Rule, RuleContext, Scope

from .._shared.test_files import is_test_file
from ._channels import received
from ._goroutines import SPAWNS_TAG
from ._loops import leaves

RULE = Rule(
    code="CON006",
    name="unbounded-goroutines",
    severity=Severity.WARNING,
    query="""
(go_statement) @go
(call_expression
  function: (selector_expression field: (field_identifier) @method (#eq? @method "Go"))) @go
""",
    doc=__doc__ or "",
    # Syntax cannot tell a request's items from a cluster's nodes or a topic's
    # partitions: on real code most parameters are small, config-sized lists.
    group=Group.PREVIEW,
    scope=Scope.CALLEES,  # a limiter in a helper the loop calls (maybe in another file)
)

_LIMITER_NAME = re.compile(
    r"(?i)(sem|token|limit|throttl|slot|ticket|concurren|parallel|guard|gate|capacity|pool|queue)"
)
_LIMITING_CALLS = frozenset({"Acquire", "TryAcquire", "Wait", "WaitN", "Take", "Reserve"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    launch = match["go"]
    if is_test_file(ctx.source):
        return  # test inputs are fixed tables
    if launch.type == "call_expression" and not _spawns_unlimited(ctx, launch):
        return
    loop = in_loop(launch)
    while loop is not None:
        source = _request_sized(ctx, loop)
        if source is not None:
            if _limited(ctx, loop) or _leaves_after(launch, loop):
                return
            start = launch.start_byte
            end = min(launch.end_byte, ctx.source.lines.line_end(launch.start_point[0]))
            yield ctx.finding(
                (start, end),
                f"starts a goroutine per element of {source} with no limit (unbounded concurrency)",
            )
            return
        loop = in_loop(loop)


def _leaves_after(launch: Node, loop: Node) -> bool:
    """The statements after the launch in its block leave the loop (``go w();
    return nil``): at most one goroutine per run of the loop."""
    statement = statement_of(launch)
    following = statement.next_named_sibling
    while following is not None:
        if following.type in ("return_statement", "goto_statement"):
            return True
        if following.type == "break_statement" and leaves(following, loop):
            return True
        following = following.next_named_sibling
    return False


def _spawns_unlimited(ctx: RuleContext, call: Node) -> bool:
    """``g.Go(...)`` of an errgroup made in this function without ``SetLimit``."""
    callee = ctx.facts.callee(call)
    if callee is None or callee.spec is None or SPAWNS_TAG not in callee.spec.tags:
        return False
    group, _ = call_function_parts(call)
    binding = ctx.facts.binding(group) if group is not None else None
    if binding is None or binding.kind in (BindingKind.PARAM, BindingKind.RECEIVER):
        return False  # a group from elsewhere: its limit is not in sight
    return not any(_method_name(use) == "SetLimit" for use in binding.uses)


def _method_name(ident: Node) -> str:
    above = parent(ident)
    if above is None or above.type != "selector_expression":
        return ""
    call = parent(above)
    if call is None or call.type != "call_expression":
        return ""
    return text(above.child_by_field_name("field"))


def _request_sized(ctx: RuleContext, loop: Node) -> str | None:
    """What the loop iterates over, when its size comes from the caller."""
    body = loop.child_by_field_name("body")
    header = next((c for c in loop.named_children if c != body and c.type != "comment"), None)
    if header is None:
        return None
    if header.type == "range_clause":
        right = header.child_by_field_name("right")
        return _sized_collection(ctx, unparen(right)) if right is not None else None
    if header.type == "call_expression":  # for rows.Next()
        operand, name = call_function_parts(header)
        rows = operand is not None and ctx.facts.has_tag(ctx.facts.type_of(operand), "rows")
        if name == "Next" and rows:
            return f"{text(operand)} (query results)"
    return None


def _sized_collection(ctx: RuleContext, collection: Node) -> str | None:
    root = collection
    while root.type == "selector_expression":
        operand = root.child_by_field_name("operand")
        if operand is None:
            return None
        root = unparen(operand)
    collection_type = ctx.facts.type_of(collection)
    if collection_type is None:
        return None
    if collection.type == "call_expression":
        return text(collection) if collection_type.kind == "chan" else None
    binding = ctx.facts.binding(root) if root.type == "identifier" else None
    if binding is None or binding.kind != BindingKind.PARAM:
        return None
    if collection_type.kind in ("slice", "map"):
        return text(collection)
    return None


def _limited(ctx: RuleContext, loop: Node) -> bool:
    """A limiter in sight in the loop (the goroutine's body included), or in
    the body of a function of the package that the loop calls: ``go func() {
    ld.parseFile(f) }()`` where ``parseFile`` does ``ioLimit <- true`` around
    its read (x/tools go/packages) bounds the work, not the goroutines."""
    for node in walk(loop):
        if _limiter(node, calls=_LIMITING_CALLS):
            return True
        if node.type == "call_expression" and _limited_callee(ctx, node):
            return True
    return False


# In a callee, `Wait` is as likely a WaitGroup's as a limiter's.
_CALLEE_LIMITING_CALLS = frozenset({"Acquire", "TryAcquire"})


def _limited_callee(ctx: RuleContext, call: Node) -> bool:
    callee = ctx.facts.callee(call)
    if callee is None or callee.package != LOCAL or callee.declaration is None:
        return False
    body = callee.declaration[0].child_by_field_name("body")
    return body is not None and any(
        _limiter(node, calls=_CALLEE_LIMITING_CALLS) for node in walk(body)
    )


def _limiter(node: Node, calls: frozenset[str]) -> bool:
    kind = node.type
    if kind == "send_statement":
        channel = node.child_by_field_name("channel")
        value = node.child_by_field_name("value")
        if channel is not None and _LIMITER_NAME.search(text(channel)):
            return True
        if value is not None and text(value).replace(" ", "") == "struct{}{}":
            return True
    elif kind == "unary_expression":
        channel = received(node)
        if channel is not None and _LIMITER_NAME.search(text(channel)):
            return True
    elif kind == "call_expression":
        _, name = call_function_parts(node)
        if name in calls:
            return True
    return False
