"""CQL asks Cassandra to scan and filter with `ALLOW FILTERING`.

## What it does
Reports CQL given to gocql (`session.Query`, `session.Bind`, `batch.Query`,
`batch.Bind`, `gocql.BatchEntry{Stmt: ...}`; v1 and
`apache/cassandra-gocql-driver/v2`) that contains `ALLOW FILTERING`. The text is
read through string literals, package constants, local variables, `+` and
`fmt.Sprintf`; the words inside a CQL comment or string literal do not count.
`_test.go` files are left alone.

## Why is this bad
`ALLOW FILTERING` tells Cassandra to read rows it will throw away: without a
restriction on the partition key, every node reads every partition of the table
to answer one request. It works on a laptop with a thousand rows; in production
the latency grows with the table, reads time out, and the coordinator's scans
starve the other requests of the cluster. The fix is a table (or a materialized
view, or a secondary index with care) keyed by what the query filters on. When
the partition key is restricted with `=` and the filter only narrows one
partition, say so with `//nolint:cql-allow-filtering // one partition`.

## Example
```go
iter := s.session.Query(
        `SELECT id, total FROM orders WHERE status = ? ALLOW FILTERING`, "open",
).WithContext(ctx).Iter()
```

## Use instead
```go
// orders_by_status is written alongside orders, keyed by status.
iter := s.session.Query(
        `SELECT id, total FROM orders_by_status WHERE status = ?`, "open",
).WithContext(ctx).Iter()
```
"""

from collections.abc import Iterator

from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from . import CQL_PACKAGES
from ._cql_source import STATEMENT_QUERY, read_statement

RULE = Rule(
    code="CQL003",
    name="cql-allow-filtering",
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
    if found is None or not found.statement.allow_filtering:
        return
    yield ctx.finding(
        found.site.statement,
        "ALLOW FILTERING scans and filters partitions on every replica (full cluster scan)",
    )
