"""A CQL `SELECT` reads a whole table, or every column with `SELECT *`.

## What it does
Reports `SELECT` statements given to gocql (`session.Query`, `session.Bind`; v1
and `apache/cassandra-gocql-driver/v2`) that have neither `WHERE` nor `LIMIT`:
a full table scan (warning). `SELECT *` is reported at info level. The text is
read through string literals, package constants, local variables, `+` and
`fmt.Sprintf`; text computed at run time after the table name (a `WHERE`
clause appended by the caller) keeps the rule quiet. Reads of the system
keyspaces (`system.local`, `system_schema.*`...), queries paged by hand with
`PageState(...)` (one page per call: a paginated listing), and `_test.go` files
are left alone.

## Why is this bad
A `SELECT` without `WHERE` walks every token range of the cluster. Paging keeps
the client's memory bounded, but the request's latency and the load on every
node grow with the table: an endpoint that was fast at launch times out once the
table holds a few million rows, and its retries make the rest of the cluster
slow too. `SELECT *` is a smaller hazard: adding a column changes what
`Scan`/`MapScan` receive, and wide rows are read in full to use two columns.

## Example
```go
iter := s.session.Query(`SELECT * FROM users`).WithContext(ctx).Iter()
```

## Use instead
```go
iter := s.session.Query(`SELECT id, name FROM users_by_org WHERE org = ?`, org).
        WithContext(ctx).Iter()
```
"""

import dataclasses
from collections.abc import Iterator

from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from . import CQL_PACKAGES
from ._cql_source import STATEMENT_QUERY, read_statement
from ._query_chain import chain_from

RULE = Rule(
    code="CQL004",
    name="cql-unbounded-select",
    severity=Severity.WARNING,
    packages=CQL_PACKAGES,
    query=STATEMENT_QUERY,
    doc=__doc__ or "",
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    found = read_statement(ctx.facts, match)
    if found is None:
        return
    statement = found.statement
    if statement.kind != "SELECT" or statement.reads_system_table:
        return
    at = found.site.statement
    call = found.site.call
    if (
        not statement.has_where
        and not statement.has_limit
        and statement.known_after_table
        and not (call is not None and chain_from(ctx.facts, call).find("PageState"))
    ):
        yield ctx.finding(at, "SELECT without WHERE or LIMIT reads the whole table")
        return
    if statement.selects_star:
        finding = ctx.finding(at, "SELECT * reads every column: name the columns the code scans")
        yield dataclasses.replace(finding, severity=_lower(ctx.severity))


def _lower(severity: Severity) -> Severity:
    """SELECT * is one step below the rule's severity (info by default)."""
    return Severity.WARNING if severity is Severity.ERROR else Severity.INFO
