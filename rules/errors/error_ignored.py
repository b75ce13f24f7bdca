"""An error returned by a call is dropped.

## What it does
Reports calls whose error result is thrown away: the call used as a
statement (`rows.Scan(&id)`, `tx.Commit()`, `s.publish(ev)`), or its error
position assigned to `_` while other results are kept (`n, _ := r.Count()`).
Which calls return an error comes from the API models (database/sql, pgx,
gocql, sarama, net/http, io...) and from the function and method declarations
of the package being checked, including interface methods; calls gobex cannot
resolve are left alone.

Left alone, as golangci-lint's default exclusions do: the print family
(`fmt.Printf`, `log.Print`-style methods), `Close` and `Flush` calls (and
`rows.Err()`/`scanner.Err()`, which PG002 and CQL001 report; a transaction's
`Commit` and `Scan` on SQL rows, which PG004 and PG016 report; Kafka produce
and commit calls, which KFK010 reports; an errgroup's `Wait`, which CON016
reports), writes to
`os.Stdout`/`os.Stderr`, and deferred calls (`defer tx.Rollback(ctx)` is the
documented idiom). Errors that cannot happen are not reported either: writes to
a `bytes.Buffer`, `strings.Builder`, `hash.Hash` or `fmt.State`, and calls to
functions of the package whose every `return` gives a nil error. Nor are writes
to an `http.ResponseWriter` (the client is gone and a handler has nowhere to
return the error), `io.Copy` into `io.Discard`, `_test.go` files (a failure
shows up as a failing test), and `_ = f()`, where every result is discarded in
plain sight, and calls whose error depends only on constant arguments
(`http.NewRequest("GET", healthURL, nil)`). `rows, _ := pool.Query(ctx, q)`
is fine with pgx when the rows reach `pgx.CollectRows`, `CollectOneRow`,
`ForEachRow` or a `rows.Err()` check: pgx reports the query's error there
too. Likewise a pgx `rows.Scan(&v)` whose rows' `Err()` is checked loses
nothing: pgx keeps the Scan error, closes the rows and `Err()` returns it.
Of a call returning two errors, only the last (Go's error result) counts.

A constructed error that is never used (`fmt.Errorf(...)` or `errors.New(...)`
as a statement) is reported as well: it is almost always a missing `return`.
There is no fix: what to do with the error is the author's decision.

## Why is this bad
A dropped error is a failure nobody hears about. A `Scan` into a struct that
fails on a NULL leaves zero values that are written back later; a failed
`Commit` or `Exec` loses the write while the request reports success; an event
that failed to publish never reaches the consumers. These show up weeks later
as data that "cannot be", with no log line to start from.

## Example
```go
for rows.Next() {
        var c Customer
        rows.Scan(&c.ID, &c.Email)
        list = append(list, c)
}
s.publish(ctx, "customers.listed")
```

## Use instead
```go
for rows.Next() {
        var c Customer
        if err := rows.Scan(&c.ID, &c.Email); err != nil {
                return nil, fmt.Errorf("scan customer: %w", err)
        }
        list = append(list, c)
}
if err := s.publish(ctx, "customers.listed"); err != nil {
        log.Warn("customers.listed not published", "err", err)
}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Callee, Facts, UseKind
from gobex.facts.flow import is_deferred
from gobex.facts.syntax import arguments, expression_list, text, unparen
from gobex.finding import Finding, Severity
from gobex.gotypes import GoType
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.sql_errors import reported_by_sql_rules
from .._shared.test_files import is_test_file
from ._infallible import never_fails

RULE = Rule(
    code="ERR003",
    name="error-ignored",
    severity=Severity.WARNING,
    query="""
(expression_statement (call_expression) @call) @statement
(short_var_declaration right: (expression_list . (call_expression) @call .)) @assignment
(assignment_statement right: (expression_list . (call_expression) @call .)) @assignment
""",
    doc=__doc__ or "",
    # Whether a local callee ever fails is in its body (and, for io.WriteString(w, ...),
    # in the body of w's Write method, which Facts finds).
    scope=Scope.CALLEES,
)

# Calls whose dropped error golangci-lint's default exclusion (EXC0001) accepts,
# matched case-insensitively as it does: `.*Close`, `.*Flush`, `.*print(f|ln)?`.
_IGNORED_NAME = re.compile(r"(?:close|flush|print|printf|println)$", re.IGNORECASE)
_STD_STREAMS = frozenset({"Stdout", "Stderr"})
_FROM_ARGS = "error-from-args"
_KEPT = "error-kept"
# Model tags: functions whose error may be dropped, the fmt print family, and
# calls whose dropped error a dedicated rule reports (`error-rule`: KFK010).
_IGNORABLE_TAGS = frozenset({"ignorable-error", "print", "error-rule"})
# The error of a call returning values of this type is also reported through them.
_CARRIES_ERROR = "carries-query-error"
# Packages whose functions only build error values.
_ERROR_CONSTRUCTORS = frozenset({"errors"})
_LABEL_LIMIT = 40


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    if is_test_file(ctx.source) or is_deferred(call):
        return
    callee = ctx.facts.callee(call)
    if callee is None or callee.conversion is not None or not callee.returns_error:
        return
    if _ignorable(ctx.facts, callee, call):
        return
    statement = match.get("statement")
    if statement is not None:
        yield _dropped(ctx, callee, call)
        return
    assignment = match.get("assignment")
    if assignment is not None and _error_blanked(ctx.facts, assignment, call):
        label = _label(call)
        yield ctx.finding(call, f"error returned by {label} is discarded with _")


def _dropped(ctx: RuleContext, callee: Callee, call: Node) -> Finding:
    label = _label(call)
    if _constructs_error(callee):
        return ctx.finding(call, f"error built by {label} is never used (missing return?)")
    return ctx.finding(call, f"error returned by {label} is dropped")


def _error_blanked(facts: Facts, assignment: Node, call: Node) -> bool:
    """``v, _ := f()``: the error position is ``_`` while a value is kept."""
    lefts = expression_list(assignment.child_by_field_name("left"))
    rights = expression_list(assignment.child_by_field_name("right"))
    if len(rights) != 1 or unparen(rights[0]) != call or len(lefts) < 2:
        return False
    if all(text(left) == "_" for left in lefts):
        return False  # `_, _ = f()`: discarded on purpose
    results = facts.result_types(call)
    if results is None or len(results) != len(lefts):
        return False
    last = results[-1]
    if last is None or not last.is_error or text(lefts[-1]) != "_":
        return False  # Go's error is the last result; `(error, error)` pairs keep one
    return not _reported_through_values(facts, results, lefts)


def _reported_through_values(
    facts: Facts, results: tuple[GoType | None, ...], lefts: list[Node]
) -> bool:
    """pgx's ``rows, _ := pool.Query(...)``: the rows report the query's error to
    the collect helpers and to ``rows.Err()``, so the error is not lost when the
    rows reach one of them (or leave the function for someone who will)."""
    for result, left in zip(results, lefts, strict=True):
        if result is None or not facts.has_tag(result, _CARRIES_ERROR):
            continue
        binding = facts.binding(left)
        if binding is None:
            continue
        uses = facts.uses(binding)
        if any(u.kind is UseKind.CONSUMED for u in uses):
            return True
        if any(u.kind is UseKind.METHOD_CALL and u.path == "Err" for u in uses):
            return True
        if facts.escape(binding) is not None:
            return True
    return False


def _ignorable(facts: Facts, callee: Callee, call: Node) -> bool:
    if _IGNORED_NAME.search(callee.name) or _resource_error(facts, callee):
        return True
    if reported_by_sql_rules(facts, callee):
        return True
    if callee.spec is not None and callee.spec.tags & _IGNORABLE_TAGS:
        return True
    if _writes_to_std_stream(facts, call):
        return True
    if _constant_input(facts, callee, call) or _kept_by_receiver(facts, callee, call):
        return True
    return _copies_to_discard(facts, callee, call) or never_fails(facts, callee, call)


def _writes_to_std_stream(facts: Facts, call: Node) -> bool:
    """``os.Stderr.Write(b)``, ``io.WriteString(os.Stdout, s)``, ``f.WriteTo(os.Stderr)``."""
    function = unparen(call.child_by_field_name("function") or call)
    candidates = list(arguments(call))
    if function.type == "selector_expression":
        operand = function.child_by_field_name("operand")
        if operand is not None:
            candidates.append(operand)
    for candidate in candidates:
        value = unparen(candidate)
        if value.type != "selector_expression":
            continue
        field = text(value.child_by_field_name("field"))
        package = facts.package_ref(value.child_by_field_name("operand"))
        if field in _STD_STREAMS and package == "os":
            return True
    return False


def _resource_error(facts: Facts, callee: Callee) -> bool:
    """``rows.Err()``, ``scanner.Err()``: the error accessor of a resource the
    models describe (it has release methods). The resource rules (PG002,
    CQL001) report these with the context of the loop they follow."""
    if callee.name != "Err" or callee.receiver is None:
        return False
    spec = facts.type_spec(callee.receiver)
    return spec is not None and bool(spec.release or spec.transfer)


def _kept_by_receiver(facts: Facts, callee: Callee, call: Node) -> bool:
    """pgx ``rows.Scan(&v)`` in a loop whose ``rows.Err()`` is checked: pgx keeps
    the Scan error in the rows (model tag ``error-kept``), closes them, and Err()
    returns it, so it is not lost."""
    if callee.spec is None or _KEPT not in callee.spec.tags:
        return False
    function = unparen(call.child_by_field_name("function") or call)
    operand = function.child_by_field_name("operand")
    binding = facts.binding(operand) if operand is not None else None
    if binding is None:
        return False
    return any(use.kind is UseKind.METHOD_CALL and use.path == "Err" for use in facts.uses(binding))


def _constant_input(facts: Facts, callee: Callee, call: Node) -> bool:
    """``http.NewRequest("GET", baseURL+"/healthz", nil)``: a call whose error
    depends only on its arguments (model tag ``error-from-args``), given
    constants; it fails on every run or on none."""
    if callee.spec is None or _FROM_ARGS not in callee.spec.tags:
        return False
    return all(facts.is_constant(arg) for arg in arguments(call))


def _copies_to_discard(facts: Facts, callee: Callee, call: Node) -> bool:
    """``io.Copy(io.Discard, body)``: draining a reader; nothing is lost."""
    if not callee.is_function("io", "Copy", "CopyN"):
        return False
    args = arguments(call)
    if not args:
        return False
    destination = unparen(args[0])
    if destination.type != "selector_expression":
        return False
    package = facts.package_ref(destination.child_by_field_name("operand"))
    name = text(destination.child_by_field_name("field"))
    return package in ("io", "io/ioutil") and name == "Discard"


def _constructs_error(callee: Callee) -> bool:
    if callee.receiver is not None:
        return False
    return callee.package in _ERROR_CONSTRUCTORS or callee.is_function("fmt", "Errorf")


def _label(call: Node) -> str:
    function = call.child_by_field_name("function")
    label = text(function) if function is not None else ""
    if not label or len(label) > _LABEL_LIMIT or "\n" in label:
        _, _, last = label.rpartition(".")
        return last or "the call"
    return label
