"""A blocking call runs while a mutex is held.

## What it does
Reports, between `mu.Lock()` (or `RLock()`) and the matching unlock, or after
`defer mu.Unlock()` until the function returns, an operation that can block
for as long as something else decides: a database query or exec, an HTTP
request, a Cassandra query, a Kafka produce or fetch (every call the API
models tag `blocking-io`), `time.Sleep`, a channel receive, a send on an
unbuffered channel made in the function, a `select` without `default`, or a
`range` over a channel. Sends on other channels are left alone: under a lock
they are most often notifications on a buffered channel that has room by
design. `_test.go` files are not checked (tests stage races on purpose). An `Unlock` before
the operation ends the region (one in a branch that returns ends it only for
that branch). Code in func literals (goroutines, callbacks) does not hold the
lock and is not looked at, nor is `sync.Cond.Wait`, which releases it.

## Why is this bad
Every goroutine that needs the mutex now waits for the network too: one slow
query or a 30-second HTTP timeout stalls all of them, so a latency blip
downstream becomes an outage upstream (latency amplification). If the
blocking call needs something that itself waits for this lock (a channel
whose reader takes the mutex, a callback, a connection pool whose release
path locks), the process deadlocks.

## Example
```go
func (c *Cache) Get(ctx context.Context, id string) (*User, error) {
        c.mu.Lock()
        defer c.mu.Unlock()
        if u, ok := c.users[id]; ok {
                return u, nil
        }
        u, err := c.db.QueryUser(ctx, id) // every reader waits for this query
        if err != nil {
                return nil, err
        }
        c.users[id] = u
        return u, nil
}
```

## Use instead
```go
func (c *Cache) Get(ctx context.Context, id string) (*User, error) {
        c.mu.Lock()
        u, ok := c.users[id]
        c.mu.Unlock()
        if ok {
                return u, nil
        }
        u, err := c.db.QueryUser(ctx, id) // no lock held
        if err != nil {
                return nil, err
        }
        c.mu.Lock()
        c.users[id] = u
        c.mu.Unlock()
        return u, nil
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.flow import dominates, is_deferred
from gobex.facts.syntax import arguments, parent, text, unparen, walk, walk_same_function
from gobex.finding import Finding, Severity
from gobex.rule import Group, Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from ._channels import received, select_cases
from ._locks import is_unlock_of, lock_call

RULE = Rule(
    code="CON009",
    name="lock-held-during-io",
    severity=Severity.WARNING,
    packages=("sync",),
    query="""
(expression_statement
  (call_expression
    function: (selector_expression field: (field_identifier) @method (#match? @method "^R?Lock$"))
  ) @call)
""",
    doc=__doc__ or "",
    # Corpus triage (all of /usr/share/gocode/src): 4 of 17 findings clearly real,
    # 10 debatable (locks that serialize the blocking step on purpose, shutdown
    # handshakes): opt-in until it tells those apart.
    group=Group.PREVIEW,
)

BLOCKING_TAG = "blocking-io"
_JUMPS = frozenset({"return_statement", "break_statement", "continue_statement", "goto_statement"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    lock = lock_call(ctx.facts, call)
    function = ctx.facts.enclosing_function(call)
    body = function.child_by_field_name("body") if function is not None else None
    if lock is None or body is None or is_test_file(ctx.source):
        return  # tests sleep and wait under locks to stage races on purpose
    unlocks = [
        n
        for n in walk(body)
        if n.type == "call_expression" and n.start_byte > call.end_byte and is_unlock_of(n, lock)
    ]
    if not unlocks:
        return  # never unlocked here: a lock helper or a hand-off, not a region
    explicit = [u for u in unlocks if not is_deferred(u)]
    closed = [
        (n.start_byte, text(arguments(n)[0]))
        for n in walk(body)
        if n.type == "call_expression"
        and text(n.child_by_field_name("function")) == "close"
        and len(arguments(n)) == 1
    ]
    for node in walk_same_function(body):
        if node.start_byte < call.end_byte:
            continue
        what = _blocking(ctx, node, closed)
        if what is None or not dominates(call, node):
            continue
        if any(_ends_region(u, node) for u in explicit):
            continue
        yield ctx.finding(
            node,
            f"{what} while {lock.target} is locked (blocking under a lock)",
            related=[ctx.related(call, f"{lock.target} is locked here")],
        )


def _ends_region(unlock: Node, node: Node) -> bool:
    """`unlock` runs before `node` and releases the lock for it: it dominates it,
    or it sits in a branch that does not jump away (``if ok { mu.Unlock() }
    else { ...; mu.Unlock() }``)."""
    if unlock.start_byte >= node.start_byte:
        return False
    if dominates(unlock, node):
        return True
    statement = parent(unlock)
    holder = parent(statement) if statement is not None else None
    if holder is None or holder.type != "statement_list":
        return True
    if holder.start_byte <= node.start_byte < holder.end_byte:
        return True
    items = [c for c in holder.named_children if c.type != "comment"]
    return not (items and items[-1].type in _JUMPS)


def _blocking(ctx: RuleContext, node: Node, closed: list[tuple[int, str]]) -> str | None:
    """What blocks at `node`, described for the message. Receives from a channel
    closed earlier in the function (``close(ch)`` then drain it) do not block."""

    def drained(channel: Node) -> bool:
        name = text(channel)
        return any(at < node.start_byte and closed_name == name for at, closed_name in closed)

    kind = node.type
    if kind == "call_expression":
        callee = ctx.facts.callee(node)
        if callee is not None and callee.spec is not None and BLOCKING_TAG in callee.spec.tags:
            return text(node.child_by_field_name("function"))
        return None
    if kind == "send_statement":
        channel = node.child_by_field_name("channel")
        if channel is None or _in_select(node) or not _unbuffered(ctx, channel):
            return None
        return f"send on unbuffered {text(channel)}"
    if kind == "unary_expression":
        channel = received(node)
        if channel is None or _in_select(node) or drained(channel):
            return None
        return f"receive from {text(channel)}"
    if kind == "select_statement":
        cases = select_cases(node)
        if not cases or any(c.type == "default_case" for c in cases):
            return None  # `select {}` parks a goroutine on purpose (before a crash)
        return "select"
    if kind == "range_clause":
        right = node.child_by_field_name("right")
        right_type = ctx.facts.type_of(right) if right is not None else None
        if right is not None and right_type is not None and right_type.kind == "chan":
            return None if drained(right) else f"range over {text(right)}"
    return None


def _unbuffered(ctx: RuleContext, channel: Node) -> bool:
    """A local channel made here without a buffer (``make(chan T)``). Sends on
    other channels are left alone: under a lock they are most often sends on a
    buffered notification channel that has room by design."""
    binding = ctx.facts.binding(channel)
    value = unparen(binding.value) if binding is not None and binding.value else None
    if value is None or value.type != "call_expression" or binding is None:
        return False
    function = value.child_by_field_name("function")
    args = arguments(value)
    return (
        binding.value_index < 0
        and function is not None
        and text(function) == "make"
        and len(args) == 1
        and args[0].type == "channel_type"
    )


def _in_select(node: Node) -> bool:
    """The send or receive is a ``select`` case's communication (the ``select``
    itself is judged as a whole)."""
    current = parent(node)
    while current is not None and current.type in (
        "receive_statement",
        "expression_statement",
        "parenthesized_expression",
        "expression_list",
    ):
        current = parent(current)
    return current is not None and current.type == "communication_case"
