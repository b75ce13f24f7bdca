"""A goroutine runs an endless loop that nothing can stop.

## What it does
Reports a goroutine (`go func() {...}()`, or `go s.loop()` / `go worker(ch)`
when the function is declared in the same package) whose body reaches a
`for { ... }` loop with no way out: no `return`, no `break` or labelled
`continue` that leaves it, no `goto`, no call that never returns (`panic`,
`log.Fatal`, `runtime.Goexit`), and no receive from `ctx.Done()` or from a
channel named like a stop signal (`done`, `quit`, `stop`, `closing`...).
Loops over a channel (`for v := range ch`) end when the channel is closed and
are not reported. Goroutines started from `main` or `init`, inside a
`sync.Once`'s `Do`, or under a started flag (`if !a.started { a.started =
true; go a.tick() }`) are meant to live as long as the process and are left
alone.

## Why is this bad
Such a goroutine outlives whatever started it. Every `NewCache()` or
`NewClient()` that starts one leaks it, together with everything it
references: in tests the goroutines pile up (goleak reports them), in servers
each reconfiguration or reconnect adds another poller hammering the backend,
and a component that is "closed" keeps running, writing to closed connections
and logging errors forever. Nothing can shut the program down cleanly either.

## Example
```go
func NewCache(ttl time.Duration) *Cache {
        c := &Cache{items: map[string]item{}}
        go func() {
                for {
                        time.Sleep(ttl)
                        c.evictExpired()
                }
        }()
        return c
}
```

## Use instead
```go
func NewCache(ctx context.Context, ttl time.Duration) *Cache {
        c := &Cache{items: map[string]item{}}
        go func() {
                ticker := time.NewTicker(ttl)
                defer ticker.Stop()
                for {
                        select {
                        case <-ctx.Done():
                                return
                        case <-ticker.C:
                                c.evictExpired()
                        }
                }
        }()
        return c
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import walk_same_function
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.paths import terminates_by_name
from ._goroutines import Started, in_main_or_init, in_once, in_start_guard, started_by_go
from ._loops import has_exit, is_infinite

RULE = Rule(
    code="CON004",
    name="goroutine-without-exit",
    severity=Severity.ERROR,
    query="(go_statement) @go",
    doc=__doc__ or "",
    scope=Scope.CALLEES,  # `go s.loop()`: the method's body decides
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    go = match["go"]
    started = started_by_go(ctx.facts, go)
    if started is None or in_main_or_init(ctx.facts, go):
        return
    if in_once(ctx.facts, go) or in_start_guard(go):
        return  # started once per process or object, on purpose
    loop = _endless_loop(ctx, started)
    if loop is None:
        return
    if started.is_literal:
        at = (go.start_byte, started.body.start_byte + 1)  # `go func() {`
        what = "goroutine"
    else:
        at = (go.start_byte, go.end_byte)
        what = "goroutine running this function"
    related = [ctx.related(loop, "this loop never ends")] if started.in_file(ctx.source) else []
    yield ctx.finding(
        at,
        f"{what} loops forever: nothing returns, breaks or waits on ctx.Done() (goroutine leak)",
        related=related,
    )


def _endless_loop(ctx: RuleContext, started: Started) -> Node | None:
    """The first ``for {}`` of the goroutine's own body that has no way out."""

    def terminates(call: Node) -> bool:
        if terminates_by_name(call):
            return True
        callee = ctx.facts.callee(call) if started.in_file(ctx.source) else None
        return callee is not None and callee.spec is not None and "noreturn" in callee.spec.tags

    for node in walk_same_function(started.body):
        if node.type == "for_statement" and is_infinite(node) and not has_exit(node, terminates):
            return node
    return None
