"""An error is compared with `==` or type-asserted instead of using `errors.Is`/`errors.As`.

## What it does
Reports an error compared with `==` or `!=` (or in a `switch err { case ... }`)
against a sentinel error: a model variable typed `error` (`io.EOF`,
`sql.ErrNoRows`, `pgx.ErrNoRows`, `gocql.ErrNotFound`, `context.Canceled`...),
a package-level error variable, or another package's `Err*` variable. Also
reports type assertions and type switches on an error (`err.(*pgconn.PgError)`,
`switch err.(type)`).

Left alone: `err == nil`; code inside `Is`, `As` and `Unwrap` methods, which
implement the comparison; loops that unwrap the error themselves
(`err = errors.Unwrap(err)`); `_test.go` files, where asserting the exact value
is the point; and comparisons with the result of a call that returns the
sentinel itself by contract: `io.EOF` from `Read`-style calls, context errors
from `ctx.Err()`, `http.ErrServerClosed` from `ListenAndServe` (errorlint's allow
list). `err == sql.ErrNoRows` right after `(*sql.Row).Scan` (likewise
`pgx.ErrNoRows` after a pgx `Row.Scan`, `gocql.ErrNotFound` after
`Query.Scan`) works today but is not promised: it is reported one severity
lower (info by default).

The fix rewrites a comparison to `errors.Is(err, X)` (`!errors.Is` for `!=`)
and imports `errors` when needed, under the name the file already uses for it
(an alias, or `github.com/pkg/errors`, which has `Is` since v0.9.0). It is safe:
every error that `==` matched, `errors.Is` matches too; it also matches the
same sentinel wrapped, which is what the comparison means. Type assertions get
no fix: `errors.As` needs a target variable.

## Why is this bad
Errors get wrapped on their way up (`fmt.Errorf("load user: %w", err)`), and
once wrapped, `err == sql.ErrNoRows` is false and `err.(*pgconn.PgError)`
fails. The code that worked in the unit test then turns every "not found" into
a 500, retries non-retryable errors, or misses a unique violation, in
production, after someone adds context to an error three calls away.

## Example
```go
user, err := r.users.Get(ctx, id)
if err == sql.ErrNoRows {
        return nil, ErrUserNotFound
}
if pgErr, ok := err.(*pgconn.PgError); ok && pgErr.Code == "23505" {
        return nil, ErrDuplicate
}
```

## Use instead
```go
user, err := r.users.Get(ctx, id)
if errors.Is(err, sql.ErrNoRows) {
        return nil, ErrUserNotFound
}
var pgErr *pgconn.PgError
if errors.As(err, &pgErr) && pgErr.Code == "23505" {
        return nil, ErrDuplicate
}
```
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import BindingKind, Facts
from gobex.facts.flow import in_loop
from gobex.facts.syntax import call_function_parts, expression_list, text, unparen
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.error_values import Evidence, Sentinel, error_evidence, sentinel
from .._shared.test_files import is_test_file
from ._errors_package import errors_package
from ._unwrapped import Unwrapped, assigned_value, latest_value, unwrapped

RULE = Rule(
    code="ERR002",
    name="error-compared-with-eq",
    severity=Severity.WARNING,
    query="""
(binary_expression operator: ["==" "!="]) @compare
(type_assertion_expression) @assert
(type_switch_statement) @typeswitch
(expression_switch_statement value: (_)) @switch
""",
    doc=__doc__ or "",
    fixable=True,
    # Facts (types, callees, constants) read signatures and the skeleton, never a body.
    scope=Scope.DECLARATION,
    min_go=13,
)

# Methods that implement error comparison and unwrapping themselves.
_ERROR_METHODS = frozenset({"Is", "As", "Unwrap"})
# Calls that step through an error chain by hand.
_UNWRAP_CALLS = frozenset({"Unwrap", "Cause"})
_LABEL_LIMIT = 40


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    node = match.node
    if _inside_error_method(node):
        return
    if node.type == "binary_expression":
        yield from _comparison(ctx, node)
    elif node.type == "type_assertion_expression":
        yield from _assertion(ctx, node)
    elif node.type == "type_switch_statement":
        yield from _type_switch(ctx, node)
    elif node.type == "expression_switch_statement":
        yield from _value_switch(ctx, node)


# -- comparisons ----------------------------------------------------------------


def _comparison(ctx: RuleContext, node: Node) -> Iterator[Finding]:
    operator = node.child_by_field_name("operator")
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if operator is None or left is None or right is None:
        return
    found = _error_and_sentinel(ctx.facts, left, right, node)
    if found is None:
        return
    error, target = found
    if _unwrapped_by_hand(ctx.facts, error, node):
        return
    verdict, call = unwrapped(ctx.facts, error, target.key, node)
    if verdict is Unwrapped.CONTRACT:
        return
    op = operator.type
    written = f"{_label(left)} {op} {_label(right)}"
    if verdict is Unwrapped.TODAY:
        message = (
            f"{written} works only while {_callee_name(call)} returns it unwrapped; "
            "prefer errors.Is"
        )
    elif op == "==":
        message = f"{written} is false once the error is wrapped; use errors.Is"
    else:
        message = f"{written} is true once the error is wrapped; use errors.Is"
    finding = ctx.finding(node, message, fixes=[_is_fix(ctx, node, error, target, op)])
    if verdict is Unwrapped.TODAY:
        finding = dataclasses.replace(finding, severity=_lower(ctx.severity))
    yield finding


def _error_and_sentinel(
    facts: Facts, left: Node, right: Node, at: Node
) -> tuple[Node, Sentinel] | None:
    """(the error operand, the sentinel) of a comparison, when it is one."""
    left_sentinel = sentinel(facts, left)
    right_sentinel = sentinel(facts, right)
    if (left_sentinel is None) == (right_sentinel is None):
        return None
    if right_sentinel is not None:
        error, target = left, right_sentinel
    else:
        assert left_sentinel is not None
        error, target = right, left_sentinel
    if unparen(error).type == "nil":
        return None
    if _is_explicit_unwrap(error) or _field_of_unwrapped(facts, error):
        return None
    origin = latest_value(facts, error, at)
    if origin is not None and _is_explicit_unwrap(origin):
        return None  # cause := errors.Cause(err); cause == ErrX
    evidence = error_evidence(facts, error, interface=True)
    if evidence is Evidence.TYPE and target.evidence >= Evidence.WEAK:
        return error, target
    if evidence is Evidence.NAME and target.evidence >= Evidence.NAME:
        return error, target
    return None


def _is_fix(ctx: RuleContext, node: Node, error: Node, target: Sentinel, op: str) -> Fix | None:
    package = errors_package(ctx.facts, node)
    if package is None:
        return None
    call = f"{package.name}.Is({text(unparen(error))}, {text(target.node)})"
    if op == "!=":
        call = "!" + call
    edit = TextEdit(node.start_byte, node.end_byte, call)
    return ctx.fix(f"Use `{call}`", [edit], imports=package.imports)


def _lower(severity: Severity) -> Severity:
    if severity is Severity.ERROR:
        return Severity.WARNING
    return Severity.INFO


def _callee_name(call: Node | None) -> str:
    if call is None:
        return "the call"
    _, name = call_function_parts(call)
    return name or "the call"


# -- assertions and switches ----------------------------------------------------


def _assertion(ctx: RuleContext, node: Node) -> Iterator[Finding]:
    operand = node.child_by_field_name("operand")
    asserted = node.child_by_field_name("type")
    if operand is None or asserted is None or not _is_error(ctx.facts, operand):
        return
    if _asserts_capability(ctx.facts, asserted) or _unwrapped_by_hand(ctx.facts, operand, node):
        return
    if _field_of_unwrapped(ctx.facts, operand):
        return
    yield ctx.finding(
        node,
        f"type assertion on error {_label(operand)} fails once the error is wrapped; use errors.As",
    )


def _type_switch(ctx: RuleContext, node: Node) -> Iterator[Finding]:
    value = node.child_by_field_name("value")
    if value is None or not _is_error(ctx.facts, value):
        return
    types = [
        t
        for case in node.named_children
        if case.type == "type_case"
        for t in case.children_by_field_name("type")
        if t.is_named
    ]
    checked = [t for t in types if text(t) != "nil" and not _asserts_capability(ctx.facts, t)]
    if not checked or _unwrapped_by_hand(ctx.facts, value, node):
        return
    if _field_of_unwrapped(ctx.facts, value):
        return
    yield ctx.finding(
        value,
        f"type switch on error {_label(value)} misses wrapped errors; use errors.As",
    )


def _value_switch(ctx: RuleContext, node: Node) -> Iterator[Finding]:
    value = node.child_by_field_name("value")
    if value is None:
        return
    sentinels = []
    for case in node.named_children:
        if case.type != "expression_case":
            continue
        for expression in expression_list(case.child_by_field_name("value")):
            found = sentinel(ctx.facts, expression)
            if found is not None:
                sentinels.append(found)
    if not sentinels or _is_explicit_unwrap(value):
        return
    evidence = error_evidence(ctx.facts, value, interface=True)
    weakest = min(s.evidence for s in sentinels)
    if not (
        (evidence is Evidence.TYPE and weakest >= Evidence.WEAK)
        or (evidence is Evidence.NAME and weakest >= Evidence.NAME)
    ):
        return
    if _unwrapped_by_hand(ctx.facts, value, node):
        return
    verdicts = [unwrapped(ctx.facts, value, s.key, node)[0] for s in sentinels]
    if all(v is Unwrapped.CONTRACT for v in verdicts):
        return
    yield ctx.finding(
        value,
        f"switch on error {_label(value)} compares its cases with ==, "
        "missing wrapped errors; use errors.Is",
    )


# -- shared checks --------------------------------------------------------------


def _is_error(facts: Facts, node: Node) -> bool:
    return error_evidence(facts, node, interface=True) >= Evidence.NAME


def _label(node: Node) -> str:
    label = text(unparen(node))
    if len(label) > _LABEL_LIMIT or "\n" in label:
        return "the error"
    return label


def _inside_error_method(node: Node) -> bool:
    """Inside ``func (e *T) Is(target error) bool`` (or As, Unwrap)."""
    current = node.parent
    while current is not None:
        if current.type == "method_declaration":
            return text(current.child_by_field_name("name")) in _ERROR_METHODS
        current = current.parent
    return False


def _is_explicit_unwrap(node: Node) -> bool:
    """``errors.Cause(err) == X``, ``errors.Unwrap(err) == X``: the code unwraps on purpose."""
    node = unparen(node)
    if node.type != "call_expression":
        return False
    _, name = call_function_parts(node)
    return name in _UNWRAP_CALLS


def _unwrapped_by_hand(facts: Facts, error: Node, at: Node) -> bool:
    """`at` is in a loop that walks the error chain itself:
    ``for err != nil { ...; err = errors.Unwrap(err) }``."""
    binding = facts.binding(unparen(error))
    loop = in_loop(at)
    if binding is None or loop is None:
        return False
    for target in binding.assignments:
        if not (loop.start_byte <= target.start_byte < loop.end_byte):
            continue
        value = assigned_value(target)
        if value is not None and _is_explicit_unwrap(value):
            return True
    return False


def _field_of_unwrapped(facts: Facts, node: Node) -> bool:
    """``ee.Err`` where ``ee`` came from ``err.(*exec.Error)`` or a type switch:
    the code already took the error apart and reads the field it wants."""
    node = unparen(node)
    if node.type != "selector_expression":
        return False
    operand = node.child_by_field_name("operand")
    binding = facts.binding(operand) if operand is not None else None
    if binding is None:
        return False
    if binding.kind is BindingKind.TYPESWITCH:
        return True
    value = binding.value
    return value is not None and unparen(value).type == "type_assertion_expression"


def _asserts_capability(facts: Facts, type_node: Node) -> bool:
    """The asserted type is not a concrete error type: ``error`` itself, or an
    interface for a capability of the value (``json.Marshaler``,
    ``interface{ Timeout() bool }``) or for walking the chain (``Unwrap() error``,
    ``Cause() error``), where errors.As would look past the value at hand."""
    if text(type_node) == "error":
        return True
    methods = _interface_methods(facts, type_node)
    if methods is not None:
        return "Error" not in methods or bool(methods & (_UNWRAP_CALLS | _ERROR_METHODS))
    if type_node.type == "qualified_type":
        name = text(type_node.child_by_field_name("name"))
        return name.endswith("er") and not name.endswith("Error")
    return False


def _interface_methods(facts: Facts, type_node: Node) -> set[str] | None:
    """The methods of an interface type (literal or local); None when it is not one."""
    if type_node.type == "interface_type":
        interface: Node | None = type_node
    elif type_node.type == "type_identifier":
        found = facts.package.type_definition(text(type_node))
        interface = found[0] if found is not None and found[0].type == "interface_type" else None
    else:
        interface = None
    if interface is None:
        return None
    return {
        text(elem.child_by_field_name("name"))
        for elem in interface.named_children
        if elem.type == "method_elem"
    }
