"""`fmt.Errorf` formats an error with `%v` or `%s` instead of wrapping it with `%w`.

## What it does
Reports `fmt.Errorf` calls that format an error operand with `%v`, `%s` or
`%+v`. An operand is an error when its declared or modelled type is `error`
(`err`, `rows.Err()`, `sql.ErrNoRows`) or, when the type is unknown, when it is
named like one (`err`, `closeErr`). Verbs are matched to operands as `fmt`
does (`%%`, `*` widths, `[n]` indexes); `%q`, `%#v` and verbs with a width or
precision are left alone, and so is gRPC's `status.Errorf`, which cannot wrap.
Before Go 1.20 a format may hold only one `%w`: a call that already wraps is
left alone, and only the first candidate is reported. Nothing is reported
before Go 1.13, which introduced `%w`, nor in `_test.go` files, whose errors
end up in `t.Fatal` rather than in a caller's `errors.Is`.

The fix turns the verb into `%w`. It is offered as unsafe: the message text
stays the same, but callers' `errors.Is`/`errors.As` now see the wrapped error,
which changes which branch they take and makes the inner error part of the
function's API. Apply it where that is what you want.

## Why is this bad
`%v` flattens the error into text: the result no longer wraps it, so every
caller's `errors.Is(err, context.Canceled)`, `errors.Is(err, sql.ErrNoRows)` or
`errors.As(err, &pgErr)` is false. The classic production failure is a
cancelled request logged and retried as a server error, or a "not found"
returned as a 500, because the check two layers up can no longer see the cause.

## Example
```go
func (r *Repo) User(ctx context.Context, id int64) (*User, error) {
        var u User
        err := r.db.QueryRowContext(ctx, q, id).Scan(&u.ID, &u.Name)
        if err != nil {
                return nil, fmt.Errorf("load user %d: %v", id, err)
        }
        return &u, nil
}
```

## Use instead
```go
        if err != nil {
                return nil, fmt.Errorf("load user %d: %w", id, err)
        }
```
"""

from collections import Counter
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import arguments, has_token, text, unparen
from gobex.finding import Finding, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.error_values import is_error_value
from .._shared.printf import FormatString, Verb, format_string, parse_verbs, unmapped
from .._shared.test_files import is_test_file

RULE = Rule(
    code="ERR001",
    name="errorf-without-w",
    severity=Severity.WARNING,
    packages=("fmt",),
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @_name (#eq? @_name "Errorf"))) @call
""",
    doc=__doc__ or "",
    fixable=True,
    # Facts (types, callees, constants) read signatures and the skeleton, never a body.
    scope=Scope.DECLARATION,
    min_go=13,
)

# Verbs whose output for an error is its Error() text, as %w's is.
_FLATTENING = frozenset({"v", "s"})
_LABEL_LIMIT = 40


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    if is_test_file(ctx.source):
        return  # a test's errors end in t.Fatal: no caller inspects them
    callee = ctx.facts.callee(call)
    if callee is None or not callee.is_function("fmt", "Errorf"):
        return
    argument_list = call.child_by_field_name("arguments")
    args = arguments(call)
    if len(args) < 2 or argument_list is None or has_token(argument_list, "..."):
        return
    format_node = unparen(args[0])
    fmt = format_string(format_node)
    if fmt is None:
        value = ctx.facts.const_string(format_node)
        if value is None:
            return
        fmt = unmapped(value)
    operands = args[1:]
    verbs = parse_verbs(fmt.value, len(operands))
    if verbs is None:
        return
    several_w = ctx.go_at_least(20)
    if any(v.verb == "w" for v in verbs) and not several_w:
        return
    formatted = Counter(v.operand for v in verbs if v.operand is not None)
    candidates = [
        v
        for v in verbs
        if v.operand is not None
        and v.verb in _FLATTENING
        and v.flags in ("", "+")
        and v.plain
        and formatted[v.operand] == 1
        and is_error_value(ctx.facts, operands[v.operand])
    ]
    if not several_w:
        candidates = candidates[:1]
    for verb in candidates:
        if verb.operand is not None:
            yield _finding(ctx, fmt, verb, operands[verb.operand])


def _finding(ctx: RuleContext, fmt: FormatString, verb: Verb, operand: Node) -> Finding:
    label = text(operand)
    if len(label) > _LABEL_LIMIT or "\n" in label:
        label = "the error"
    directive = fmt.value[verb.start : verb.end]
    message = f"fmt.Errorf formats {label} with {directive} instead of wrapping it with %w"
    where = fmt.source_range(verb.start, verb.end)
    if where is None:
        return ctx.finding(operand, message)
    edit = TextEdit(where[0], where[1], f"%{verb.explicit_index}w")
    fix = ctx.fix(f"Wrap `{label}` with `%w`", [edit], unsafe=True)
    return ctx.finding(where, message, fixes=[fix])
