"""The error of a gocql query's `Exec`, `Scan` or CAS call is dropped.

## What it does
Reports `Exec()`, `Scan(...)`, `MapScan(...)`, `ScanCAS(...)` and
`MapScanCAS(...)` of a gocql query (and their `...Context` variants in
`apache/cassandra-gocql-driver/v2`) called as a statement, started with `go`,
or with the error position assigned to `_` while another result is kept
(`applied, _ := q.ScanCAS(&v)`). These calls are this rule's, not ERR003's
(model tag `error-rule`): each is reported once. Left alone as ERR003 does:
deferred calls, `_ = q.Exec()` (discarded in plain sight), and `_test.go` files.
Comparing `err == gocql.ErrNotFound` is ERR002's business.

## Why is this bad
These calls report everything through their error: the timeout, the unavailable
replicas, the write that was never applied, and for `Scan` also
`gocql.ErrNotFound` when there is no row. Dropped, a failed write looks like a
success, a failed or empty read leaves the destination variables at their zero
values (an empty name, a zero balance) that the code goes on to use or write
back, and a lightweight transaction that timed out reads as "not applied".

## Example
```go
var balance int64
s.session.Query(`SELECT balance FROM accounts WHERE id = ?`, id).
        WithContext(ctx).Scan(&balance)
return balance
```

## Use instead
```go
var balance int64
if err := s.session.Query(`SELECT balance FROM accounts WHERE id = ?`, id).
        WithContext(ctx).Scan(&balance); err != nil {
        return 0, fmt.Errorf("read balance of %s: %w", id, err)
}
return balance, nil
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.flow import is_deferred
from gobex.facts.syntax import expression_list, outer_holder, parent, text, unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from . import CQL_PACKAGES
from ._query_chain import method_range

RULE = Rule(
    code="CQL015",
    name="cql-scan-error-ignored",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @method)
  (#match? @method "^(Exec|Scan|MapScan|ScanCAS|MapScanCAS)(Context)?$")) @call
""",
    doc=__doc__ or "",
)

_CONSEQUENCES = {
    "Exec": "a failed write looks like a success",
    "Scan": "a failed or empty read (ErrNotFound) leaves zero values",
    "MapScan": "a failed or empty read (ErrNotFound) leaves an empty map",
    "ScanCAS": "a failed lightweight transaction reads as not applied",
    "MapScanCAS": "a failed lightweight transaction reads as not applied",
}


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    if is_test_file(ctx.source) or is_deferred(call):
        return
    callee = ctx.facts.callee(call)
    if (
        callee is None
        or callee.package != "gocql"
        or callee.receiver is None
        or not callee.receiver.is_type("gocql", "Query")
        or callee.spec is None
        or "error-rule" not in callee.spec.tags
    ):
        return
    how = _dropped(call)
    if how is None:
        return
    name = text(match["method"])
    consequence = _CONSEQUENCES[name.removesuffix("Context")]
    yield ctx.finding(method_range(call), f"error of {name} is {how}: {consequence}")


def _dropped(call: Node) -> str | None:
    """How the error is lost: "dropped" (a statement or a goroutine), "discarded
    with _" (another result kept), or None when it is looked at (or all results are
    discarded in plain sight)."""
    _, holder = outer_holder(call)
    if holder is None:
        return None
    if holder.type in ("expression_statement", "go_statement"):
        return "dropped"
    if holder.type != "expression_list":
        return None
    statement = parent(holder)
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return None
    if statement.child_by_field_name("right") != holder:
        return None
    lefts = expression_list(statement.child_by_field_name("left"))
    rights = expression_list(holder)
    if len(rights) != 1 or unparen(rights[0]) != call or len(lefts) < 2:
        return None
    if text(lefts[-1]) != "_" or all(text(left) == "_" for left in lefts):
        return None
    return "discarded with _"
