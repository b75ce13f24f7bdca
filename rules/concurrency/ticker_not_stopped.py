"""A ticker or timer is never stopped, or `time.Tick` leaks its ticker (before Go 1.23).

## What it does
Reports `time.NewTicker(d)` and `time.NewTimer(d)` whose result is discarded
or kept in a local variable that is never stopped: no `t.Stop()` (deferred or
not), and the value does not escape (returned, stored in a field, passed on,
used in a closure). A timer that the function always waits out with a plain
`<-t.C` has fired and needs no `Stop`. Also reports `time.Tick(d)` outside
package `main`, `init` and tests, unless the function then loops forever
(staticcheck SA1015 allows it in "endless functions"). Only for code below Go
1.23 (go.mod's `go` line or a `//go:build go1.N` line): from Go 1.23 on, the
garbage collector reclaims unreferenced tickers and timers even unstopped.
Functions that loop forever after creating the ticker, wrappers returning
`time.Tick(d)`, and `_test.go` files are left alone.

The fix adds `defer t.Stop()` after the declaration (not inside a loop).

## Why is this bad
Before Go 1.23 the runtime keeps every started ticker in its timer heap until
`Stop` is called, whether or not anything still references it: a ticker
created per request or per connection, or by `time.Tick` in a function called
repeatedly, is never collected and keeps firing. Memory and CPU grow with
uptime until the process is restarted; a timer with a long duration holds its
memory until it fires.

## Example
```go
func (w *Watcher) poll(ctx context.Context) error {
        ticker := time.NewTicker(w.interval)
        for {
                select {
                case <-ctx.Done():
                        return ctx.Err() // the ticker keeps running
                case <-ticker.C:
                        w.check()
                }
        }
}
```

## Use instead
```go
func (w *Watcher) poll(ctx context.Context) error {
        ticker := time.NewTicker(w.interval)
        defer ticker.Stop()
        for {
                select {
                case <-ctx.Done():
                        return ctx.Err()
                case <-ticker.C:
                        w.check()
                }
        }
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_after
from gobex.facts import Binding
from gobex.facts.flow import in_loop, statement_of
from gobex.facts.syntax import parent, text, walk_same_function
from gobex.finding import Finding, Fix, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.release import Bound, bound_result
from .._shared.test_files import is_test_file
from ._channels import received
from ._goroutines import in_main_or_init, package_name
from ._loops import has_exit, is_infinite

_NEW = '(field_identifier) @constructor (#match? @constructor "^New(Ticker|Timer)$")'
_CALL = f"(call_expression function: (selector_expression field: {_NEW})) @call"

RULE = Rule(
    code="CON010",
    name="ticker-not-stopped",
    severity=Severity.ERROR,
    packages=("time",),
    query=f"""
(short_var_declaration right: (expression_list {_CALL})) @decl
(assignment_statement right: (expression_list {_CALL})) @decl
(var_spec value: (expression_list {_CALL})) @decl
(expression_statement {_CALL}) @decl
(call_expression
  function: (selector_expression field: (field_identifier) @tick (#eq? @tick "Tick"))) @tick_call
""",
    doc=__doc__ or "",
    fixable=True,
    max_go=23,
)

STOPPABLE_TAG = "stoppable"


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    tick = match.get("tick_call")
    if is_test_file(ctx.source):
        return  # a test's tickers end with the test binary
    if tick is not None:
        yield from _tick(ctx, tick)
        return
    call, declaration = match["call"], match["decl"]
    callee = ctx.facts.callee(call)
    if callee is None or not callee.is_function("time", "NewTicker", "NewTimer"):
        return
    bound = bound_result(ctx, call, declaration, STOPPABLE_TAG)
    if bound is None:
        return  # stored in a field or an element: its owner stops it
    noun = "ticker" if callee.name == "NewTicker" else "timer"
    label = f"time.{callee.name}"
    if bound.target is None or text(bound.target) == "_":
        yield ctx.finding(call, f"the {noun} from {label} is discarded and never stopped")
        return
    binding = bound.binding
    if binding is None or binding.function != ctx.facts.enclosing_function(call):
        return  # a package variable or one of an enclosing function
    if ctx.facts.releases(binding) or ctx.facts.escape(binding) is not None:
        return
    if _endless_after(binding.function, call):
        return  # the function never returns: the ticker lives as long as it anyway
    if noun == "timer" and _waited_out(binding):
        return
    yield ctx.finding(
        call,
        f"the {noun} from {label} is never stopped (leaks until Go 1.23)",
        fixes=[_defer_fix(ctx, bound, binding.name)],
    )


def _waited_out(binding: Binding) -> bool:
    """A plain ``<-t.C`` (not a ``select`` case) waits until the timer fired."""
    for use in binding.uses:
        selector = parent(use)
        receive = parent(selector) if selector is not None else None
        if (
            selector is None
            or receive is None
            or selector.type != "selector_expression"
            or received(receive) != selector
        ):
            continue
        holder = parent(receive)
        if holder is not None and holder.type not in ("receive_statement", "communication_case"):
            return True
    return False


def _defer_fix(ctx: RuleContext, bound: Bound, name: str) -> Fix | None:
    statement = statement_of(bound.declaration)
    if statement.type == "var_declaration":
        if parent(bound.declaration) != statement:
            return None
    elif statement != bound.declaration:
        return None
    holder = parent(statement)
    if holder is None or holder.type != "statement_list" or in_loop(statement) is not None:
        return None
    code = f"defer {name}.Stop()"
    return ctx.fix(f"Add `{code}`", [insert_statement_after(ctx.source, statement, code)])


def _tick(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    callee = ctx.facts.callee(call)
    if callee is None or not callee.is_function("time", "Tick"):
        return
    function = ctx.facts.enclosing_function(call)
    if function is None or package_name(ctx.source) == "main":
        return  # package level and commands live as long as the process
    holder = parent(call)
    if holder is not None and holder.type in ("return_statement", "expression_list"):
        above = parent(holder) if holder.type == "expression_list" else holder
        if above is not None and above.type == "return_statement":
            return  # a wrapper (a clock's Tick): its callers decide
    if in_main_or_init(ctx.facts, call) or _endless_after(function, call):
        return
    yield ctx.finding(
        call,
        "time.Tick leaks its ticker: nothing can stop it (use time.NewTicker and defer Stop)",
    )


def _endless_after(function: Node, call: Node) -> bool:
    """After `call` the function loops forever (``for range time.Tick(d)`` with no
    way out, or a ``for {}`` without exit): the ticker lives as long as it."""
    body = function.child_by_field_name("body")
    if body is None:
        return False
    for node in walk_same_function(body):
        if node.type != "for_statement" or node.end_byte < call.start_byte:
            continue
        header = next((c for c in node.named_children if c.type == "range_clause"), None)
        ranges_tick = header is not None and header.start_byte <= call.start_byte < header.end_byte
        if (ranges_tick or (is_infinite(node) and node.start_byte > call.end_byte)) and not (
            has_exit(node)
        ):
            return True
    return False
