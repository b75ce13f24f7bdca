"""The body of an HTTP response is never closed.

## What it does
Reports `*http.Response` values (from `http.Get`, `Head`, `Post`, `PostForm`,
`Client.Do`/`Get`/`Head`/`Post`/`PostForm` on any client — `http.DefaultClient`,
a local, a struct field — `RoundTrip`, and local functions returning a
response) whose `Body` is not closed on every way out of the function. A
response that is returned, stored, passed to a function, or captured by a
closure is left to its new owner; `resp.Body.Close()` counts in any form:
deferred, in a deferred closure, explicit on every path, or a helper that
receives `resp` or `resp.Body`. Ways out taken only when the request failed
(`if err != nil`, `if resp == nil`) need no close, and a close under `if resp
!= nil` or in the success branch of the error check counts as unconditional.
HEAD requests (no body), requests the code expects to fail (`if err == nil {
t.Fatal(...) }`, `require.Error(t, err)`), and local helpers that read and close
the body themselves (they close a body, or return its content with the
response) are left alone.

It also reports `defer resp.Body.Close()` written right after the call, before
`err` is checked (vet's httpresponse check): when the request fails, `resp` is
nil and the deferred call panics.

## Why is this bad
The transport keeps the connection of an unclosed body checked out: it can
neither be reused nor released. Every request leaks a TCP connection, a file
descriptor and two goroutines; under load the process runs out of descriptors
("too many open files") or memory, and the server at the other end sees a
steady climb of half-idle connections. An early `return` on a bad status code
is the classic way to leak: the happy path closes the body, the error path
does not.

## Example
```go
func (c *Client) User(ctx context.Context, id string) (*User, error) {
        req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/users/"+id, nil)
        if err != nil {
                return nil, err
        }
        resp, err := c.http.Do(req)
        if err != nil {
                return nil, err
        }
        if resp.StatusCode != http.StatusOK {
                return nil, fmt.Errorf("get user %s: %s", id, resp.Status) // leaks the connection
        }
        var u User
        return &u, json.NewDecoder(resp.Body).Decode(&u)
}
```

## Use instead
```go
        resp, err := c.http.Do(req)
        if err != nil {
                return nil, err
        }
        defer resp.Body.Close()
        if resp.StatusCode != http.StatusOK {
                return nil, fmt.Errorf("get user %s: %s", id, resp.Status)
        }
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import error_name_of, insert_after_err_check, insert_statement_after
from gobex.facts import Binding
from gobex.facts.facts import error_check
from gobex.facts.syntax import expression_list, text
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.release import BINDING_QUERY, bound_result, callee_label
from . import HTTP_PACKAGES
from ._expectations import expects_failure
from ._response import (
    TAG,
    PrematureDefer,
    bodiless_request,
    body_consumed_by_callee,
    body_outcome,
    premature_defer,
)
from ._syntax import ends_in_exit, whole_line

RULE = Rule(
    code="API001",
    name="response-body-not-closed",
    severity=Severity.ERROR,
    packages=HTTP_PACKAGES,
    query=BINDING_QUERY,
    doc=__doc__ or "",
    fixable=True,
    # Whether a local helper reads and closes the body is in its body, not its signature.
    scope=Scope.CALLEES,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call, declaration = match["call"], match["decl"]
    bound = bound_result(ctx, call, declaration, TAG)
    if bound is None:
        return
    label = callee_label(ctx, call)
    error_name = error_name_of(declaration) if declaration.type != "var_spec" else None
    binding = bound.binding
    if binding is not None and error_name is not None:
        early = premature_defer(ctx, binding, declaration, error_name)
        if early is not None:
            yield _premature(ctx, early, call, binding.name, error_name, label)
            return
    if body_consumed_by_callee(ctx, call) or bodiless_request(ctx, call):
        return
    if bound.target is None or text(bound.target) == "_":
        if not expects_failure(declaration, error_name):
            yield ctx.finding(call, f"response from {label} is discarded and its body never closed")
        return
    if binding is None:
        return
    spec = ctx.facts.type_spec((ctx.facts.result_types(call) or ())[bound.index])
    release = frozenset(spec.release if spec is not None and spec.release else ("Body.Close",))
    error = _error_binding(ctx, declaration, error_name)
    outcome = body_outcome(ctx, binding, declaration, error, release)
    name = binding.name
    if outcome.never_closed and not expects_failure(declaration, error_name):
        yield ctx.finding(
            call,
            f"response body from {label} is never closed",
            fixes=[_add_defer(ctx, declaration, name, error_name)],
        )
    elif outcome.leak is not None:
        where = "this return" if outcome.leak.type == "return_statement" else "this way out"
        yield ctx.finding(
            call,
            f"response body from {label} is not closed on every path"
            f" ({name}.Body.Close() is skipped)",
            related=[ctx.related(outcome.leak, f"{where} leaves without {name}.Body.Close()")],
        )


def _premature(
    ctx: RuleContext, early: PrematureDefer, call: Node, name: str, error_name: str, label: str
) -> Finding:
    return ctx.finding(
        early.statement,
        f"defer uses {name} before {error_name} is checked ({name} is nil when {label} fails)",
        fixes=[_move_after_check(ctx, early)],
        related=[ctx.related(call, f"{name} and {error_name} come from here")],
    )


def _add_defer(
    ctx: RuleContext, declaration: Node, name: str, error_name: str | None
) -> Fix | None:
    """`defer resp.Body.Close()` after the error check; None when there is an
    error but no check that leaves on failure to put it after."""
    code = f"defer {name}.Body.Close()"
    if error_name is not None:
        if declaration.parent is not None and declaration.parent.type == "if_statement":
            return None
        check = error_check(declaration)
        if check is None or check.invalid is None or check.valid is not None:
            return None
        if check.invalid != check.statement.child_by_field_name("consequence"):
            return None
        if not ends_in_exit(check.invalid):
            return None
    edit = insert_after_err_check(ctx.source, declaration, code, error_name)
    return ctx.fix(f"Add `{code}`", [edit])


def _move_after_check(ctx: RuleContext, early: PrematureDefer) -> Fix | None:
    """Move the defer below the ``if err != nil`` that follows it."""
    check = early.check
    if check is None:
        return None
    consequence = check.child_by_field_name("consequence")
    if consequence is None or check.child_by_field_name("alternative") is not None:
        return None
    if not ends_in_exit(consequence):
        return None
    line = whole_line(ctx.source, early.statement)
    if line is None:
        return None
    start, end, content = line
    return ctx.fix(
        f"Move `{text(early.statement)}` after the error check",
        [TextEdit(start, end, ""), insert_statement_after(ctx.source, check, content)],
    )


def _error_binding(ctx: RuleContext, declaration: Node, error_name: str | None) -> Binding | None:
    """The variable the call's error goes to."""
    if error_name is None:
        return None
    left = expression_list(declaration.child_by_field_name("left"))
    if not left or text(left[-1]) != error_name:
        return None
    return ctx.facts.binding(left[-1])
