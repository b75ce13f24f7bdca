"""A goroutine, deferred func or parallel subtest captures a loop variable (before Go 1.22).

## What it does
Reports a `for`/`range` loop variable used inside a func literal that runs
after the iteration that started it has moved on: a `go func() {...}()`, an
errgroup `g.Go(func() error {...})`, a `defer func() {...}()`, or a subtest
whose literal calls `t.Parallel()`. Only for code whose Go version (go.mod's
`go` line, or a `//go:build go1.N` line) is below 1.22, where the loop has one
variable for all its iterations. A variable passed as an argument
(`go func(v T) {...}(v)`) or copied first (`v := v`) is fine. Like `go vet`'s
loopclosure, a goroutine is left alone when something after it in the body may
wait for it before the loop moves on; unlike vet it need not be the last
statement: only a channel operation, a `select` or a call other than builtins
and logging (`wg.Wait()`, `io.ReadAll(pipe)`...) after it keeps it quiet. A
closure followed by `break` or `return` is fine too.

## Why is this bad
Before Go 1.22 every iteration writes the same variable. A goroutine reads it
whenever it gets scheduled, usually after the loop has advanced or finished,
so most goroutines see the last element: some items are processed several
times, others never, and the race detector reports the concurrent write. A
deferred closure runs when the function returns and sees only the last value;
parallel subtests start after the loop has ended and all test the last case.

## Example
```go
for _, id := range ids {
        wg.Add(1)
        go func() {
                defer wg.Done()
                reconcile(ctx, id) // every goroutine may see the last id
        }()
}
wg.Wait()
```

## Use instead
```go
for _, id := range ids {
        id := id // or pass it: go func(id int64) {...}(id)
        wg.Add(1)
        go func() {
                defer wg.Done()
                reconcile(ctx, id)
        }()
}
wg.Wait()
```
Or raise the module's `go` line to 1.22, where each iteration has its own variable.
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_before
from gobex.facts import Binding
from gobex.facts.syntax import expression_list
from gobex.finding import Finding, Fix, Severity
from gobex.rule import Match, Rule, RuleContext

from ._deferred_closures import late_closures

RULE = Rule(
    code="CON002",
    name="loop-var-captured",
    severity=Severity.ERROR,
    query="(for_statement) @loop",
    doc=__doc__ or "",
    fixable=True,
    max_go=22,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    loop = match["loop"]
    variables = loop_variables(ctx, loop)
    if not variables:
        return
    for closure in late_closures(ctx.facts, loop):
        start, end = closure.after, closure.literal.end_byte
        for variable in variables:
            use = next((u for u in variable.uses if start <= u.start_byte < end), None)
            if use is None:
                continue
            yield ctx.finding(
                use,
                f"{closure.launch} captures loop variable {variable.name}, "
                "which all iterations share before Go 1.22",
                fixes=[_copy_fix(ctx, loop, variable)],
            )


def loop_variables(ctx: RuleContext, loop: Node) -> list[Binding]:
    """The variables every iteration of a ``for`` statement writes, as vet's
    loopclosure picks them: the key and value of a ``range`` clause (declared
    with ``:=`` or assigned with ``=``), and the variables the post statement of
    a three-clause loop updates (``i++``, ``p = p.next``). Package-level
    variables are left out (their uses cannot be told apart from syntax alone)."""
    names: list[Node] = []
    for child in loop.named_children:
        if child.type == "range_clause":
            names = expression_list(child.child_by_field_name("left"))
        elif child.type == "for_clause":
            update = child.child_by_field_name("update")
            if update is None:
                continue
            if update.type in ("inc_statement", "dec_statement"):
                names = [c for c in update.named_children if c.type != "comment"]
            elif update.type == "assignment_statement":
                names = expression_list(update.child_by_field_name("left"))
    found: list[Binding] = []
    for name in names:
        binding = ctx.facts.binding(name) if name.type == "identifier" else None
        if binding is not None and binding not in found:
            found.append(binding)
    return found


def _copy_fix(ctx: RuleContext, loop: Node, variable: Binding) -> Fix | None:
    """Add ``v := v`` at the top of the loop body, unless the body writes the
    variable (a three-clause loop's counter moved by the body would then stop
    moving the loop)."""
    body = loop.child_by_field_name("body")
    statements = (
        next((c for c in body.named_children if c.type == "statement_list"), None)
        if body is not None
        else None
    )
    if body is None or statements is None or statements.named_child_count == 0:
        return None
    first = statements.named_children[0]
    if first.start_point[0] == body.start_point[0]:
        return None  # `for ... { go f() }` on one line
    if _written_in(variable, body):
        return None
    code = f"{variable.name} := {variable.name}"
    edit = insert_statement_before(ctx.source, first, code)
    return ctx.fix(f"Add `{code}` at the top of the loop body", [edit], unsafe=True)


def _written_in(variable: Binding, body: Node) -> bool:
    """Assigned (``i = ...``, ``i += 2``), incremented or address-taken in `body`."""

    def inside(node: Node) -> bool:
        return body.start_byte <= node.start_byte < body.end_byte

    if any(inside(a) for a in variable.assignments):
        return True
    for use in variable.uses:
        parent = use.parent
        if not inside(use) or parent is None:
            continue
        if parent.type in ("inc_statement", "dec_statement"):
            return True
        operator = parent.child_by_field_name("operator")
        if parent.type == "unary_expression" and operator is not None and operator.type == "&":
            return True
    return False
