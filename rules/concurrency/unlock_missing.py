"""A lock is left held on a path that returns, panics or jumps before its Unlock.

## What it does
Reports `mu.Lock()` / `mu.RLock()` of a `sync.Mutex` or `RWMutex` (a local,
a field, an embedded mutex) when, before the matching `Unlock`/`RUnlock`, some
path leaves the locked region without unlocking: a `return`, a `panic`, a
`continue` that starts the next iteration still holding the lock, or a `break`
out of the loop with no `Unlock` after it. A `defer mu.Unlock()` covers every
path after it. Functions that never unlock what they lock (lock helpers) are
left alone, and so are functions called with the lock held, which unlock it
for a while and lock it again before returning (an `Unlock` comes first),
functions that hand the lock on (`&c.mu` goes to the caller), and calls to a
function of the package that unlocks it (`return p.run(ctx)` where `run`
unlocks `p.mu`).

The fix (unsafe: the lock is then held until the function returns) adds
`defer mu.Unlock()` right after the `Lock` and removes the explicit unlocks,
when the locked region already ends at the end of the function.

## Why is this bad
The next `Lock` on that mutex blocks forever. A handler that returns early on
an error path leaves the mutex locked, and from then on every request that
needs it hangs: the service stops answering while its health check, which
does not take the lock, still says it is fine. With `continue` the same
goroutine deadlocks on its own next iteration. A `panic` recovered by
`net/http` leaves the lock held the same way.

## Example
```go
func (c *Cache) Get(key string) (string, error) {
        c.mu.Lock()
        v, ok := c.items[key]
        if !ok {
                return "", ErrNotFound // c.mu stays locked
        }
        c.mu.Unlock()
        return v, nil
}
```

## Use instead
```go
func (c *Cache) Get(key string) (string, error) {
        c.mu.Lock()
        defer c.mu.Unlock()
        v, ok := c.items[key]
        if !ok {
                return "", ErrNotFound
        }
        return v, nil
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_after
from gobex.facts.flow import dominates, in_loop, is_deferred
from gobex.facts.syntax import (
    FUNCTION_TYPES,
    call_function_parts,
    parent,
    text,
    walk,
    walk_same_function,
)
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.paths import exit_without
from ._locks import LockCall, is_unlock_of, lock_call
from ._loops import jump_target

RULE = Rule(
    code="CON008",
    name="unlock-missing",
    severity=Severity.ERROR,
    packages=("sync",),
    query="""
(expression_statement
  (call_expression
    function: (selector_expression field: (field_identifier) @method (#match? @method "^R?Lock$"))
  ) @call) @statement
""",
    doc=__doc__ or "",
    fixable=True,
    scope=Scope.CALLEES,  # a helper of the package may unlock for the caller
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    lock = lock_call(ctx.facts, call)
    function = ctx.facts.enclosing_function(call)
    body = function.child_by_field_name("body") if function is not None else None
    if lock is None or function is None or body is None:
        return
    every_unlock = [n for n in walk(body) if n.type == "call_expression" and is_unlock_of(n, lock)]
    first_lock = next(
        (n for n in walk(body) if n.type == "call_expression" and _same_lock(n, lock)), call
    )
    if any(u.start_byte < first_lock.start_byte for u in every_unlock):
        return  # called with the lock held: it unlocks, works, re-locks and returns locked
    if any(is_deferred(u) and dominates(u, call) for u in every_unlock):
        return  # re-locked under an earlier `defer mu.Unlock()`
    unlocks = [u for u in every_unlock if u.start_byte > call.end_byte]
    if not unlocks:
        return  # a lock helper, or unlocked elsewhere: not this function's region
    if _handed_off(body, lock):
        return  # `&c.rlock` goes to the caller or a callee, who unlocks it
    region_end = max(u.start_byte for u in unlocks)
    helpers = _unlocking_calls(ctx, body, lock, region_end)
    leak = _unlocked_exit(ctx, function, lock, every_unlock + helpers, region_end)
    if leak is None:
        return
    node, how = leak
    yield ctx.finding(
        call,
        f"{text(call)} is still held when this function {how} (no {lock.target}.{lock.unlock}())",
        fixes=[_defer_fix(ctx, match["statement"], body, lock, unlocks)],
        related=[ctx.related(node, f"{how} with {lock.target} locked")],
    )


def _same_lock(call: Node, lock: LockCall) -> bool:
    operand, name = call_function_parts(call)
    return operand is not None and name == lock.method and text(operand) == lock.target


def _handed_off(body: Node, lock: LockCall) -> bool:
    wanted = {f"&{lock.target}{suffix}" for suffix in ("", ".Mutex", ".RWMutex")}
    return any(
        n.type == "unary_expression" and text(n).replace(" ", "") in wanted for n in walk(body)
    )


def _unlocking_calls(ctx: RuleContext, body: Node, lock: LockCall, region_end: int) -> list[Node]:
    """Calls in the region that unlock for the caller: a method on the lock's
    owner (``return p.run(ctx)`` for ``p.mu``) whose body unlocks the same field
    of its receiver (``p.mu.Unlock()``)."""
    owner, _, field = lock.target.partition(".")
    found = []
    for node in walk_same_function(body):
        if node.type != "call_expression" or not (
            lock.call.end_byte <= node.start_byte < region_end
        ):
            continue
        operand, _ = call_function_parts(node)
        if operand is None or text(operand) != owner:
            continue
        callee = ctx.facts.callee(node)
        declaration = callee.declaration if callee is not None else None
        if declaration is None or declaration[0].type != "method_declaration":
            continue
        if _unlocks_receiver_field(declaration[0], field, lock.unlock):
            found.append(node)
    return found


def _unlocks_receiver_field(method: Node, field: str, unlock: str) -> bool:
    receiver = method.child_by_field_name("receiver")
    names = [
        text(n)
        for p in (receiver.named_children if receiver is not None else [])
        for n in p.children_by_field_name("name")
    ]
    inner = method.child_by_field_name("body")
    if not names or inner is None:
        return False
    wanted = f"{names[0]}.{field}" if field else names[0]
    return any(
        c.type == "call_expression"
        and call_function_parts(c)[1] == unlock
        and text(call_function_parts(c)[0]) == wanted
        for c in walk(inner)
    )


def _unlocked_exit(
    ctx: RuleContext, function: Node, lock: LockCall, unlocks: list[Node], region_end: int
) -> tuple[Node, str] | None:
    """The first way out of the locked region that does not unlock."""
    exit_node = exit_without(function, lock.call, unlocks)
    if (
        exit_node is not None
        and exit_node.type == "return_statement"
        and exit_node.start_byte < region_end
        and not _dead(exit_node)
    ):
        return exit_node, "returns"
    loop = in_loop(lock.call)
    for node in walk_same_function(function):
        if not lock.call.end_byte <= node.start_byte < region_end:
            continue
        how = None
        if node.type == "call_expression" and text(node.child_by_field_name("function")) == "panic":
            how = "panics"
        elif node.type in ("continue_statement", "break_statement") and loop is not None:
            how = _jump(node, loop, lock, unlocks)
        if how is None or not dominates(lock.call, node):
            continue
        if any(dominates(u, node) for u in unlocks if u.start_byte < node.start_byte):
            continue
        if any(is_deferred(u) and u.start_byte < node.start_byte for u in unlocks):
            continue
        return node, how
    return None


def _dead(node: Node) -> bool:
    """Inside ``if false { ... }``."""
    current = parent(node)
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            if condition is not None and text(condition) == "false":
                return True
        current = parent(current)
    return False


def _jump(jump: Node, loop: Node, lock: LockCall, unlocks: list[Node]) -> str | None:
    """How a jump inside the lock's loop leaves the region: ``continue`` to the
    lock's loop (or an outer one) re-locks unless the loop unlocks before its
    lock; ``break`` out of it leaves locked unless an unlock follows the loop."""
    target = jump_target(jump)
    if target is None or target.type != "for_statement":
        return None
    if not (target.start_byte <= loop.start_byte and loop.end_byte <= target.end_byte):
        return None  # a jump within a loop nested inside the locked region
    if jump.type == "continue_statement":
        unlocked_first = any(
            c.type == "call_expression"
            and c.start_byte < lock.call.start_byte
            and is_unlock_of(c, lock)
            for c in walk_same_function(target)
        )
        return None if unlocked_first else "continues the loop"
    if any(u.start_byte >= target.end_byte for u in unlocks):
        return None  # unlocked after the loop
    return "breaks out of the loop"


def _defer_fix(
    ctx: RuleContext, statement: Node, body: Node, lock: LockCall, unlocks: list[Node]
) -> Fix | None:
    """``defer mu.Unlock()`` after the lock, explicit unlocks removed: only when
    the lock is a top-level statement of the function, the last unlock is its
    last statement (or just before a final ``return``), every unlock is a
    statement of this function and nothing locks the mutex again in between."""
    statements = parent(statement)
    if statements is None or parent(statements) != body:
        return None
    items = [c for c in statements.named_children if c.type != "comment"]
    last_unlock = max(unlocks, key=lambda u: u.start_byte)
    last_statement = parent(last_unlock)
    if last_statement is None or last_statement not in items:
        return None
    after = items[items.index(last_statement) + 1 :]
    if after and not (len(after) == 1 and after[0].type == "return_statement"):
        return None
    edits: list[TextEdit] = []
    for unlock in unlocks:
        holder = parent(unlock)
        if holder is None or holder.type != "expression_statement" or is_deferred(unlock):
            return None
        if ctx.facts.enclosing_function(unlock) != ctx.facts.enclosing_function(lock.call):
            return None
        removal = _line_removal(ctx, holder)
        if removal is None:
            return None
        edits.append(removal)
    for node in walk(body):
        if (
            node.type == "call_expression"
            and node != lock.call
            and lock.call.start_byte < node.start_byte < last_unlock.start_byte
        ):
            other = lock_call(ctx.facts, node)
            if other is not None and other.target == lock.target:
                return None
    code = f"defer {lock.target}.{lock.unlock}()"
    edits.append(insert_statement_after(ctx.source, statement, code))
    return ctx.fix(f"Add `{code}` after the lock", edits, unsafe=True)


def _line_removal(ctx: RuleContext, statement: Node) -> TextEdit | None:
    """Delete `statement` with its line, when it is alone on that line."""
    lines = ctx.source.lines
    row = statement.start_point[0]
    start = lines.line_start(row)
    data = ctx.source.data
    if data[start : statement.start_byte].strip():
        return None
    end = lines.line_end(row)
    if data[statement.end_byte : end].strip():
        return None
    return TextEdit(start, lines.line_start(row + 1), "")
