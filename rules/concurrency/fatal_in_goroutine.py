"""A test is failed with FailNow, or the process exited, from a goroutine.

## What it does
Reports, inside a goroutine (`go func() {...}()`, `go helper(t)`, errgroup's
`g.Go(...)`, `wg.Go(...)`, `time.AfterFunc`):

- calls that end in `t.FailNow` (go vet's testinggoroutine and testifylint's
  go-require): `Fatal`, `Fatalf`, `FailNow`, `Skip`, `Skipf`, `SkipNow` on a
  `*testing.T`, `*testing.B`, `*testing.F` or `testing.TB` (told by the value's
  declared type, not its name), every testify `require` assertion
  (`require.NoError(t, err)` under any import name, `r := require.New(t);
  r.NoError(err)`, a suite's `s.Require().NoError(err)`, `s.T().Fatal(...)`)
  and `assert.FailNow`; these are errors;
- calls that exit the process: `os.Exit`, `log.Fatal`/`Fatalf`/`Fatalln`
  (package `log` and a `*log.Logger`), and the `Fatal*`/`Exit*` of glog, klog,
  logrus and zap when the logger's type is declared; these are warnings, and are
  left alone in goroutines started by `func main()` or `init` of package main,
  by a test file's `TestMain` or `Example` function (which stand for a main),
  in signal handlers (the goroutine, a helper it runs, or the function
  starting it calls `signal.Notify`) and in deadlock watchdogs (it dumps every
  goroutine's stack with `runtime.Stack` or `pprof.Lookup` first): exiting is
  what such a goroutine is for.

A subtest runs on a goroutine of its own too: inside `t.Run(name, func(st
*testing.T) {...})`, the same calls on the parent test (`t.Fatal`,
`require.NoError(t, ...)`, a `require.New(t)` made outside) are reported.

The goroutine's own body is searched, including the func literals it calls or
defers, and the functions and methods of the package it calls, two levels deep
(`go func() { checkReply(t, c) }()` where `checkReply` calls `t.Fatalf` is
reported at the `checkReply` call). Left alone: the body of a subtest
(`t.Run(name, func(t *testing.T) {...})`, a suite's `s.Run`) and of
`t.Cleanup`, func literals that are stored and called synchronously, `defer
func() {...}()` in the test itself, `t.Error`/`t.Errorf`/`t.Log` and every
`assert` assertion, which record a failure and return.

The fix turns `t.Fatal`/`t.Fatalf`/`t.FailNow` written directly in the
goroutine's func literal into `t.Error`/`t.Errorf`/`t.Fail` followed by
`return` (omitted after the literal's last statement). It is unsafe, to be
reviewed: the goroutine ends as before, but whether the test goroutine notices
(a channel, a `defer wg.Done()`) is for the author to check. It is not
offered when the goroutine later sends, closes a channel or calls `wg.Done()`
without `defer` (returning would skip it, as FailNow does: the test needs a
`defer`, not a rename), nor for `require` (its `assert` twin returns a bool the
code would have to check), nor for the exits (the error has to travel back to
the caller).

## Why is this bad
`FailNow` marks the test failed and calls `runtime.Goexit`, which stops the
goroutine that calls it, not the test. From a goroutine the test started, the
test function goes on as if the check had passed: it may wait forever for a
result the dead goroutine will never send (the test hangs until the 10-minute
timeout kills the whole package), or finish first, after which the late failure
panics with "Fail in goroutine after TestX has completed" and takes down every
other test of the binary. The parent's FailNow from a subtest makes the
subtest panic ("subtest may have called FailNow on a parent test").
`os.Exit` and `log.Fatal` from a goroutine end the process on the spot: no
deferred call of any goroutine runs, so transactions are not rolled back,
buffered logs, traces and Kafka batches are not flushed, files are left
half-written and in-flight requests are cut without a response.

## Example
```go
func TestConsume(t *testing.T) {
        done := make(chan struct{})
        go func() {
                defer close(done)
                msg, err := consumer.Next(ctx)
                if err != nil {
                        t.Fatalf("next: %v", err) // stops this goroutine only
                }
                require.Equal(t, "hello", string(msg.Value))
        }()
        <-done
}
```

## Use instead
```go
func TestConsume(t *testing.T) {
        done := make(chan struct{})
        go func() {
                defer close(done)
                msg, err := consumer.Next(ctx)
                if err != nil {
                        t.Errorf("next: %v", err)
                        return
                }
                assert.Equal(t, "hello", string(msg.Value))
        }()
        <-done
}
```
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gobex.edits import insert_statement_after
from gobex.facts import Facts
from gobex.facts.package import FileDecls
from gobex.facts.syntax import (
    FUNCTION_TYPES,
    arguments,
    call_function_parts,
    function_name,
    parent,
    text,
    unparen,
    walk,
    walk_same_function,
)
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.gotypes import LOCAL
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.test_files import is_test_file
from ._goroutines import (
    Started,
    in_main_or_init,
    outermost_function,
    started_by_go,
    started_by_spawn,
)

RULE = Rule(
    code="CON018",
    name="fatal-in-goroutine",
    severity=Severity.ERROR,
    query="""
[
  (go_statement) @go
  (call_expression
    function: (selector_expression field: (field_identifier) @method)
    (#match? @method "^(Go|TryGo|AfterFunc|Run)$")) @spawn
]
""",
    doc=__doc__ or "",
    scope=Scope.CALLEES,  # `go helper(t)`: the helper's body decides
    fixable=True,
)

# Methods of testing.T/B/F/TB that end in runtime.Goexit.
_TESTING_STOPS = frozenset({"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"})
# What a Fatal* written in the goroutine itself becomes in the fix.
_REPORT_INSTEAD = {"Fatal": "Error", "Fatalf": "Errorf", "FailNow": "Fail"}
# Loggers whose Fatal*/Exit* end in os.Exit (package functions and logger methods).
_EXITING_LOGGERS = frozenset(
    {
        "log",
        "github.com/golang/glog",
        "k8s.io/klog",
        "k8s.io/klog/v2",
        "github.com/sirupsen/logrus",
        "go.uber.org/zap",
    }
)
_EXITING_NAME = re.compile(r"^(Fatal|Exit)(f|ln|w|Depth)?$")
# How deep calls to the package's own functions are followed from a goroutine.
_HELPER_DEPTH = 2


@dataclass(frozen=True)
class _Stop:
    """A call that stops the goroutine or the process, found in the goroutine."""

    call: Node  # the stopping call (in `facts`' file)
    facts: Facts
    exits: bool  # os.Exit / log.Fatal, not FailNow
    via: Node | None  # the call of a local helper in the goroutine that leads to it
    chain: tuple[tuple[Facts, Node], ...]  # the bodies run on the way: goroutine, helpers


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    go = match.get("go")
    if go is not None:
        started = _started_by_go(ctx.facts, go)
    elif text(match["method"]) == "Run":
        yield from _parent_test_in_subtest(ctx, match["spawn"])
        return
    else:
        started = _started_by_call(ctx.facts, match["spawn"])
    if started is None:
        return
    facts = _facts_of(ctx.facts, started.file)
    exits_allowed = _main_like(ctx, started.launch)
    reported_helpers: set[int] = set()
    for stop in _stops(facts, started.body, None, (), {started.function.id}):
        if stop.exits and (exits_allowed or _exits_on_purpose(ctx, started, stop)):
            continue
        if stop.via is not None:
            if stop.via.id in reported_helpers:
                continue
            reported_helpers.add(stop.via.id)
        yield _finding(ctx, started, stop)


def _finding(ctx: RuleContext, started: Started, stop: _Stop) -> Finding:
    what = _call_name(stop.call)
    if stop.exits:
        effect = (
            "exits the process from a goroutine: no deferred call of any goroutine runs "
            "(return the error to the caller instead)"
        )
    else:
        instead = "use assert and return" if _is_testify(stop) else "use t.Errorf and return"
        effect = (
            "calls t.FailNow from a goroutine the test started: it stops this goroutine, "
            f"not the test ({instead})"
        )
    related = []
    if started.is_literal and stop.via is None:
        at: Node | tuple[int, int] = stop.call
        message = f"{what} {effect}"
    else:
        if started.is_literal and stop.via is not None:
            at = stop.via
            helper = _call_name(stop.via)
        else:
            at = started.launch
            helper = _call_name(started.call)
        message = f"{helper} reaches {what}, which {effect}"
        if stop.facts.source is ctx.source:
            related.append(ctx.related(stop.call, f"{what} is called here"))
    finding = ctx.finding(at, message, fixes=[_report_fix(ctx, started, stop)], related=related)
    if stop.exits and ctx.severity is RULE.severity:
        finding = dataclasses.replace(finding, severity=Severity.WARNING)
    return finding


# -- the parent test's t in a subtest ------------------------------------------------


def _parent_test_in_subtest(ctx: RuleContext, run: Node) -> Iterator[Finding]:
    """``t.Run(name, func(st *testing.T) { t.Fatal(...) })``: FailNow on the
    parent test (or a ``require.New`` of it) from the subtest's goroutine
    (vet's testinggoroutine reports it too)."""
    callee = ctx.facts.callee(run)
    if callee is None or callee.package != "testing" or callee.name != "Run":
        return
    args = arguments(run)
    literal = unparen(args[-1]) if args else None
    body = literal.child_by_field_name("body") if literal is not None else None
    if literal is None or literal.type != "func_literal" or body is None:
        return
    for call in _calls_of_goroutine(ctx.facts, body):
        if _stop_kind(ctx.facts, call) is not False:
            continue
        test = _test_value(ctx.facts, call)
        binding = ctx.facts.binding(test) if test is not None else None
        if test is None or binding is None:
            continue
        if literal.start_byte <= binding.ident.start_byte < literal.end_byte:
            continue  # the subtest's own t (or a value made from it)
        yield ctx.finding(
            call,
            f"{_call_name(call)} calls FailNow on {text(test)} of the parent test from the "
            "subtest's goroutine: the subtest panics instead of failing "
            "(use the subtest's own t)",
        )


def _test_value(facts: Facts, call: Node) -> Node | None:
    """The identifier naming the test a FailNow-ing call acts on: the receiver of
    ``t.Fatal``/``r.NoError``, the first argument of ``require.NoError(t, ...)``."""
    callee = facts.callee(call)
    if callee is None:
        return None
    if callee.receiver is not None:
        function = call.child_by_field_name("function")
        value = function.child_by_field_name("operand") if function is not None else None
    else:
        args = arguments(call)
        value = args[0] if args else None
    value = unparen(value) if value is not None else None
    return value if value is not None and value.type == "identifier" else None


# -- what the goroutine runs ------------------------------------------------------


def _started_by_go(facts: Facts, go: Node) -> Started | None:
    started = started_by_go(facts, go)
    if started is not None:
        return started
    # `fn := func() {...}; go fn()`: the literal a local variable holds.
    call = go.named_child(0)
    function = call.child_by_field_name("function") if call is not None else None
    if call is None or function is None or unparen(function).type != "identifier":
        return None
    literal = _literal_value(facts, unparen(function))
    if literal is None:
        return None
    body = literal.child_by_field_name("body")
    return Started(go, call, literal, body, None) if body is not None else None


def _started_by_call(facts: Facts, call: Node) -> Started | None:
    """``g.Go(f)`` (errgroup), ``wg.Go(f)`` (Go 1.25) and ``time.AfterFunc(d, f)``."""
    started = started_by_spawn(facts, call)
    if started is not None:
        return started
    callee = facts.callee(call)
    if callee is None or not (
        callee.is_method("sync", "WaitGroup", "Go") or callee.is_function("time", "AfterFunc")
    ):
        return None
    args = arguments(call)
    value = unparen(args[-1]) if args else None
    if value is None or value.type != "func_literal":
        return None
    body = value.child_by_field_name("body")
    return Started(call, call, value, body, None) if body is not None else None


def _literal_value(facts: Facts, identifier: Node) -> Node | None:
    binding = facts.binding(identifier)
    if binding is None or binding.assignments or binding.value is None or binding.value_index >= 0:
        return None
    value = unparen(binding.value)
    return value if value.type == "func_literal" else None


def _facts_of(facts: Facts, file: FileDecls | None) -> Facts:
    if file is None or file.source is facts.source:
        return facts
    return Facts(file.source, facts.package, facts.models)


# -- what stops it ------------------------------------------------------------------


def _stops(
    facts: Facts,
    body: Node,
    via: Node | None,
    chain: tuple[tuple[Facts, Node], ...],
    seen: set[int],
) -> Iterator[_Stop]:
    """The stopping calls the goroutine running `body` makes itself, in source order."""
    chain = (*chain, (facts, body))
    for call in _calls_of_goroutine(facts, body):
        exits = _stop_kind(facts, call)
        if exits is not None:
            yield _Stop(call, facts, exits, via, chain)
            continue
        if len(chain) > _HELPER_DEPTH:
            continue
        helper = _local_helper(facts, call)
        if helper is None or helper[0].id in seen:
            continue
        declaration, file = helper
        helper_body = declaration.child_by_field_name("body")
        if helper_body is None:
            continue
        seen.add(declaration.id)
        yield from _stops(
            _facts_of(facts, file), helper_body, via if via is not None else call, chain, seen
        )


def _calls_of_goroutine(facts: Facts, body: Node) -> Iterator[Node]:
    """Calls in `body` that run on the goroutine running it: nested ``go``
    statements and the func literals handed to subtests, cleanups and other
    spawners are left out (they run elsewhere, or are matches of their own)."""
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "go_statement":
            continue
        if node.type == "func_literal" and _runs_elsewhere(facts, node):
            continue
        if node.type == "call_expression":
            yield node
        stack.extend(reversed(node.named_children))


def _main_like(ctx: RuleContext, launch: Node) -> bool:
    """`launch` is in code that owns the process: ``func main()`` or ``init`` of
    package main, a test file's ``TestMain`` or ``Example`` (which stands for a
    main)."""
    if in_main_or_init(ctx.facts, launch):
        return True
    if not is_test_file(ctx.source):
        return False
    outer = outermost_function(ctx.facts, launch)
    if outer is None or outer.type != "function_declaration":
        return False
    name = function_name(outer)
    return name == "TestMain" or name.startswith("Example")


def _exits_on_purpose(ctx: RuleContext, started: Started, stop: _Stop) -> bool:
    """The goroutine is a signal handler or a deadlock watchdog: it, a helper it
    runs, or the function starting it calls ``signal.Notify``, or dumps every
    goroutine's stack (``runtime.Stack``, ``pprof.Lookup``) before exiting;
    exiting is what it is there for."""
    bodies = list(stop.chain)
    outer = outermost_function(ctx.facts, started.launch)
    if outer is not None:
        bodies.append((ctx.facts, outer))
    for facts, body in bodies:
        for node in walk(body):
            if node.type != "call_expression":
                continue
            _, name = call_function_parts(node)
            if name not in ("Notify", "NotifyContext", "Stack", "Lookup"):
                continue
            callee = facts.callee(node)
            if callee is None or callee.receiver is not None:
                continue
            if callee.package == "os/signal" or callee.package in ("runtime", "runtime/pprof"):
                return True
    return False


def _runs_elsewhere(facts: Facts, literal: Node) -> bool:
    """A func literal given to ``t.Run``, ``t.Cleanup``, ``g.Go``, ``wg.Go``,
    ``time.AfterFunc``, or one that takes its own ``*testing.T`` (a subtest body)."""
    parameters = literal.child_by_field_name("parameters")
    if parameters is not None:
        for declaration in parameters.named_children:
            kind = facts.resolve_type(declaration.child_by_field_name("type"))
            if kind is not None and kind.deref().package == "testing":
                return True
    holder = parent(literal)
    call = parent(holder) if holder is not None and holder.type == "argument_list" else None
    if call is None or call.type != "call_expression":
        return False
    callee = facts.callee(call)
    if callee is None:
        return False
    tags = callee.spec.tags if callee.spec is not None else ()
    return (
        "subtest" in tags
        or "spawns" in tags
        or (callee.package == "testing" and callee.name == "Cleanup")
        or callee.is_method("sync", "WaitGroup", "Go")
        or callee.is_function("time", "AfterFunc")
    )


def _stop_kind(facts: Facts, call: Node) -> bool | None:
    """False for a call ending in t.FailNow, True for one ending the process,
    None for anything else."""
    callee = facts.callee(call)
    if callee is None or callee.conversion is not None:
        return None
    package, name = callee.package, callee.name
    if package == "testing":
        return False if callee.receiver is not None and name in _TESTING_STOPS else None
    if package == "testify/require":
        return False if callee.receiver is not None or name != "New" else None
    if package == "testify/assert":
        return False if name in ("FailNow", "FailNowf") else None
    if package == "os":
        return True if callee.receiver is None and name == "Exit" else None
    if package in _EXITING_LOGGERS and _EXITING_NAME.match(name):
        return True
    return None


def _local_helper(facts: Facts, call: Node) -> tuple[Node, FileDecls] | None:
    callee = facts.callee(call)
    if callee is None or callee.package != LOCAL or callee.declaration is None:
        return None
    declaration, file = callee.declaration
    if declaration.type not in FUNCTION_TYPES:
        return None
    return declaration, file


def _is_testify(stop: _Stop) -> bool:
    callee = stop.facts.callee(stop.call)
    return callee is not None and (callee.package or "").startswith("testify/")


def _call_name(call: Node) -> str:
    function = call.child_by_field_name("function")
    name = text(function) if function is not None else text(call)
    return name if len(name) <= 40 else name[:37] + "..."


# -- the fix ------------------------------------------------------------------------


def _report_fix(ctx: RuleContext, started: Started, stop: _Stop) -> Fix | None:
    """``t.Fatalf(...)`` → ``t.Errorf(...)`` + ``return``, for a call written as a
    statement in the goroutine's own func literal (no results, not nested in
    another func literal)."""
    if stop.exits or stop.via is not None or not _written_at_launch(started):
        return None
    if started.function.child_by_field_name("result") is not None:
        return None
    if ctx.facts.enclosing_function(stop.call) != started.function:
        return None
    callee = ctx.facts.callee(stop.call)
    if callee is None or callee.package != "testing" or callee.name not in _REPORT_INSTEAD:
        return None
    statement = parent(stop.call)
    if statement is None or statement.type != "expression_statement":
        return None
    block = parent(statement)
    if block is None or block.type != "statement_list":
        return None
    function = stop.call.child_by_field_name("function")
    field = function.child_by_field_name("field") if function is not None else None
    if field is None:
        return None
    if _signals_after(started, statement):
        return None  # `return` would skip a wg.Done()/close(ch) the test waits for
    instead = _REPORT_INSTEAD[callee.name]
    edits = [TextEdit(field.start_byte, field.end_byte, instead)]
    if not _last_in_goroutine(started, statement):
        edits.append(insert_statement_after(ctx.source, statement, "return"))
    return ctx.fix(f"Replace `{callee.name}` with `{instead}` and return", edits, unsafe=True)


_SIGNALS = frozenset({"Done", "close", "Unlock", "RUnlock", "Signal", "Broadcast"})


def _signals_after(started: Started, statement: Node) -> bool:
    """The goroutine sends, closes a channel or calls ``Done``/``Unlock`` after
    `statement`, not deferred: returning early would skip it (and so does
    FailNow: the test hangs either way, and needs a ``defer`` rather than a fix)."""
    for node in walk_same_function(started.body):
        if node.start_byte < statement.end_byte:
            continue
        if node.type == "defer_statement":
            continue
        signals = node.type == "send_statement" or (
            node.type == "call_expression" and call_function_parts(node)[1] in _SIGNALS
        )
        if signals and not _deferred(node, started.body):
            return True
    return False


def _deferred(node: Node, body: Node) -> bool:
    current = parent(node)
    while current is not None and current != body:
        if current.type == "defer_statement":
            return True
        current = parent(current)
    return False


def _written_at_launch(started: Started) -> bool:
    """The goroutine's func literal is written in the ``go`` statement or the
    spawning call itself (not a variable that may also be called synchronously)."""
    if not started.is_literal:
        return False
    function = started.call.child_by_field_name("function")
    if function is not None and unparen(function) == started.function:
        return True
    return any(unparen(arg) == started.function for arg in arguments(started.call))


def _last_in_goroutine(started: Started, statement: Node) -> bool:
    """`statement` is the last statement of the goroutine's body (nothing follows it)."""
    block = parent(statement)
    body_list = parent(block) if block is not None else None
    if body_list is None or body_list != started.body:
        return False
    following = statement.next_named_sibling
    while following is not None and following.type == "comment":
        following = following.next_named_sibling
    return following is None
