"""A transaction can be left open: no deferred `Rollback`, or a dropped `Commit` error.

## What it does
Reports a transaction from `Begin`/`BeginTx` (database/sql, sqlx `Beginx`,
`BeginTxx`, `MustBegin`, pgx and pgxpool) that has no deferred `Rollback`
and can leave the function without being committed or rolled back: an early
`return` after a failed `Exec`, a `return` inside the rows loop. Transactions
that are returned, stored or handed to a deferred helper
(`defer finish(tx, &err)`) are left alone, and so is a `return` that runs a
`Rollback` (or a local helper that calls one) before it. Also reports a
`tx.Commit()` whose error is dropped (called as a statement or assigned to
`_`). `_test.go` files are not checked. The fix adds `defer tx.Rollback(ctx)`
(pgx) or `defer func() { _ = tx.Rollback() }()` (database/sql) after the
error check of `Begin`: a `Rollback` after `Commit` does nothing.

## Why is this bad
An open transaction holds its connection and every row lock it took until
the connection is closed: the pool shrinks by one on every failed request,
other transactions wait on the locks, and `VACUUM` cannot clean behind it.
A few hundred failures later the service stops. A `Commit` that fails
(serialization failure, deferred constraint, lost connection) rolls the work
back: dropping its error reports success for a write that never happened.

## Example
```go
tx, err := r.db.BeginTx(ctx, nil)
if err != nil {
        return err
}
if _, err := tx.ExecContext(ctx, debit, from, amount); err != nil {
        return err // the transaction and its locks stay open
}
tx.Commit()
return nil
```

## Use instead
```go
tx, err := r.db.BeginTx(ctx, nil)
if err != nil {
        return err
}
defer func() { _ = tx.Rollback() }() // no-op after Commit
if _, err := tx.ExecContext(ctx, debit, from, amount); err != nil {
        return err
}
return tx.Commit()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import error_name_of, insert_after_err_check
from gobex.facts import Binding, Use, UseKind
from gobex.facts.syntax import arguments, text, unparen
from gobex.facts.syntax import parent as parent_of
from gobex.finding import Finding, Fix, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.release import bound_result, callee_label
from .._shared.results import result_dropped
from .._shared.sql_errors import commit_error
from .._shared.test_files import is_test_file
from . import SQL_PACKAGES

_BEGIN = "^(Begin|BeginTx|Beginx|BeginTxx|MustBegin|MustBeginTx)$"
_BEGIN_CALL = f"""(call_expression
    function: (selector_expression field: (field_identifier) @begin)
    (#match? @begin "{_BEGIN}")) @call"""

RULE = Rule(
    code="PG004",
    name="tx-without-rollback",
    severity=Severity.ERROR,
    packages=SQL_PACKAGES,
    query=f"""
(short_var_declaration right: (expression_list {_BEGIN_CALL})) @decl
(assignment_statement right: (expression_list {_BEGIN_CALL})) @decl
(var_spec value: (expression_list {_BEGIN_CALL})) @decl
(call_expression
  function: (selector_expression field: (field_identifier) @commit)
  (#eq? @commit "Commit")) @commit_call
""",
    doc=__doc__ or "",
    fixable=True,
    scope=Scope.CALLEES,  # a local helper may roll back
)

# Uses by which the transaction leaves this function's hands.
_ESCAPING = frozenset({UseKind.RETURNED, UseKind.STORED, UseKind.SENT, UseKind.ALIASED})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    commit = match.get("commit_call")
    if commit is not None:
        yield from _check_commit(ctx, commit)
        return
    yield from _check_begin(ctx, match["call"], match["decl"])


def _check_commit(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    callee = ctx.facts.callee(call)
    if callee is None or not commit_error(ctx.facts, callee):
        return
    holder = parent_of(call)
    if holder is not None and holder.type in ("defer_statement", "go_statement"):
        return
    if result_dropped(call):
        receiver = _receiver(call)
        message = f"error from {receiver}.Commit() is dropped: a failed commit loses the write"
        yield ctx.finding(call, message)


def _check_begin(ctx: RuleContext, call: Node, declaration: Node) -> Iterator[Finding]:
    bound = bound_result(ctx, call, declaration, "tx")
    if bound is None or bound.binding is None:
        return
    binding = bound.binding
    uses = ctx.facts.uses(binding)
    if any(use.kind in _ESCAPING and not use.path for use in uses):
        return
    if any(use.deferred and _may_roll_back(ctx, use) for use in uses):
        return
    label = callee_label(ctx, call)
    name = binding.name
    guards = [use for use in uses if _may_roll_back(ctx, use) or _commits(use)]
    if not guards:
        yield ctx.finding(
            call,
            f"{name} from {label} is never committed or rolled back",
            fixes=[_fix(ctx, call, declaration, binding)],
        )
        return
    if declaration.type == "assignment_statement":
        return  # re-assigned elsewhere, often in branches: only "never" is certain
    leak = ctx.facts.unreleased_exit(binding, guards, declaration)
    if leak is None:
        return
    where = "this return" if leak.type == "return_statement" else "the end of the block"
    yield ctx.finding(
        call,
        f"{name} from {label} is not rolled back when the function returns early",
        fixes=[_fix(ctx, call, declaration, binding)],
        related=[ctx.related(leak, f"{where} leaves the transaction open")],
    )


def _commits(use: Use) -> bool:
    return use.kind == UseKind.METHOD_CALL and use.path == "Commit"


def _may_roll_back(ctx: RuleContext, use: Use) -> bool:
    """``tx.Rollback(...)``, or handing the transaction to a function that may
    roll it back: unknown code, or a local function whose body says Rollback."""
    if use.kind == UseKind.METHOD_CALL:
        return use.path == "Rollback"
    if use.kind != UseKind.PASSED or use.path:
        return False
    callee = use.callee
    if callee is None or callee.declaration is None:
        return True
    body = callee.declaration[0].text or b""
    return b"Rollback" in body or b"Commit" in body


def _fix(ctx: RuleContext, call: Node, declaration: Node, binding: Binding) -> Fix | None:
    tx_type = ctx.facts.binding_type(binding)
    rollback = ctx.facts.models.method(tx_type.deref(), "Rollback") if tx_type else None
    if rollback is None:
        return None
    name = binding.name
    if rollback.context is not None:
        context = _context_text(ctx, call)
        if context is None:
            return None
        code = f"defer {name}.Rollback({context})"
    else:
        code = f"defer func() {{ _ = {name}.Rollback() }}()"
    edit = insert_after_err_check(ctx.source, declaration, code, error_name_of(declaration))
    return ctx.fix(f"Add `{code}`", [edit])


def _context_text(ctx: RuleContext, call: Node) -> str | None:
    """The context `Begin` was given when it is a plain name, else the one in scope."""
    args = arguments(call)
    if args and unparen(args[0]).type == "identifier":
        return text(args[0])
    found = ctx.facts.context_in_scope(call)
    return found.expression if found is not None else None


def _receiver(call: Node) -> str:
    function = call.child_by_field_name("function")
    operand = function.child_by_field_name("operand") if function is not None else None
    label = text(operand)
    return label if label and len(label) <= 30 and "\n" not in label else "tx"
