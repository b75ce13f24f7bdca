"""A database/sql pool is used with its default, unlimited connection count.

## What it does
Reports `sql.Open`, `sql.OpenDB` and sqlx `Open`/`Connect`/`MustOpen`/
`MustConnect` when no file of the package calls `SetMaxOpenConns` (on any
`*sql.DB` or `*sqlx.DB`). A pool handed to the caller is left alone (its
caller, perhaps in another package, configures it): returned, or put in an
exported field (`&Client{DB: db}`). So are pools thrown away
(`_, err := sql.Open(...)`, which never open a connection), `_test.go` files
and programs run by hand (`//go:build ignore`).

## Why is this bad
A `*sql.DB` opens as many connections as there are concurrent queries:
`MaxOpenConns` defaults to 0, unlimited. A traffic spike, or one slow query
that makes requests pile up, opens hundreds of connections; PostgreSQL
answers "too many clients already" to every service that shares it, and each
idle backend still costs the server memory. `SetMaxOpenConns` (with
`SetMaxIdleConns` and `SetConnMaxLifetime`) turns the spike into a queue.

## Example
```go
func NewStore(dsn string) (*Store, error) {
        db, err := sql.Open("pgx", dsn)
        if err != nil {
                return nil, err
        }
        return &Store{db: db}, nil
}
```

## Use instead
```go
func NewStore(dsn string) (*Store, error) {
        db, err := sql.Open("pgx", dsn)
        if err != nil {
                return nil, err
        }
        db.SetMaxOpenConns(25)
        db.SetMaxIdleConns(25)
        db.SetConnMaxLifetime(30 * time.Minute)
        return &Store{db: db}, nil
}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import UseKind
from gobex.facts.syntax import expression_list, text, unparen
from gobex.facts.syntax import parent as parent_of
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.test_files import is_test_file
from ._handlers import is_generator

RULE = Rule(
    code="PG009",
    name="sql-pool-unconfigured",
    severity=Severity.INFO,
    packages=("database/sql", "sqlx"),
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @open)
  (#match? @open "^(Open|OpenDB|Connect|ConnectContext|MustOpen|MustConnect)$")) @call
""",
    doc=__doc__ or "",
    scope=Scope.PACKAGE,  # SetMaxOpenConns may be called in any file
)

_PACKAGES = frozenset({"database/sql", "sqlx"})
_SETTER = re.compile(rb"\.SetMaxOpenConns\s*\(")


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    call = match["call"]
    callee = ctx.facts.callee(call)
    if (
        callee is None
        or callee.spec is None
        or callee.receiver is not None
        or callee.package not in _PACKAGES
        or "opens-pool" not in callee.spec.tags
    ):
        return
    if any(_SETTER.search(file.source.data) for file in ctx.facts.package.files):
        return
    if _discarded(call) or _handed_out(ctx, call) or is_generator(ctx.source.data):
        return
    label = text(call.child_by_field_name("function"))
    yield ctx.finding(
        call,
        f"the pool from {label} never gets SetMaxOpenConns: it opens unlimited connections",
    )


def _discarded(call: Node) -> bool:
    """The pool is thrown away (``_, err = sql.Open(...)``): it never runs a query,
    so it never opens a connection to limit."""
    holder = parent_of(call)
    while holder is not None and holder.type == "parenthesized_expression":
        holder = parent_of(holder)
    if holder is None:
        return False
    if holder.type == "expression_statement":
        return True
    if holder.type != "expression_list":
        return False
    statement = parent_of(holder)
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = expression_list(statement.child_by_field_name("left"))
    return len(expression_list(holder)) == 1 and bool(left) and text(left[0]) == "_"


def _handed_out(ctx: RuleContext, call: Node) -> bool:
    """The pool reaches the caller, who may configure it: returned (``return
    sql.Open(...)``, ``return db, nil``) or put in an exported field of a literal
    (``&Client{DB: db}``)."""
    holder = parent_of(call)
    if holder is None:
        return False
    if holder.type == "return_statement":
        return True
    if holder.type == "literal_element":
        element = parent_of(holder)
        return element is not None and _exported_key(element)
    if holder.type != "expression_list":
        return False
    statement = parent_of(holder)
    if statement is None:
        return False
    if statement.type == "return_statement":
        return True
    left = expression_list(statement.child_by_field_name("left"))
    target = unparen(left[0]) if left else None
    binding = ctx.facts.binding(target) if target is not None else None
    if binding is None:
        return False
    for use in ctx.facts.uses(binding):
        if use.kind == UseKind.RETURNED:
            return True
        element = parent_of(use.expression)
        if element is not None and element.type == "literal_element":
            element = parent_of(element)
        if use.kind == UseKind.STORED and element is not None and _exported_key(element):
            return True
    return False


def _exported_key(element: Node) -> bool:
    """A ``Key: value`` element whose key is an exported field name."""
    if element.type != "keyed_element":
        return False
    key = element.child_by_field_name("key")
    if key is None:
        key = element.named_child(0)
    name = text(key).strip()
    return name[:1].isupper()
