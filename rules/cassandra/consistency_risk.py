"""A gocql consistency level that loses writes or turns one node's outage into errors.

## What it does
Reports (gocql v1 and `apache/cassandra-gocql-driver/v2`):

- `gocql.Any` as a consistency level anywhere: `q.Consistency(gocql.Any)`,
  `SetConsistency(gocql.Any)`, `cfg.Consistency = gocql.Any`,
  `gocql.ClusterConfig{Consistency: gocql.Any}`, `batch.Cons = gocql.Any`;
  on a `SELECT` the message says that it cannot read at all;
- `gocql.All` on a query or batch (`Consistency(gocql.All)`) in code that runs
  per request (an HTTP handler, a function taking a `context.Context`, a loop;
  the heuristic of `rules/_shared/request_scope.py`). `All` in a cluster config
  or in start-up code (migrations, schema agreement) is left alone.

`_test.go` files are left alone.

## Why is this bad
`ANY` acknowledges a write once anything, even a hint stored on the
coordinator, has it: if that coordinator dies before the hint is replayed, the
write is gone although the client was told it succeeded. Cassandra also refuses
`ANY` for reads, so a read at `ANY` fails every time.

`ALL` needs every replica to answer. With replication factor 3, one node being
restarted, slow, or in a GC pause fails every request that uses it: a rolling
restart becomes an outage. Use `LocalQuorum` (or `Quorum`) for strong
consistency that survives one replica down.

## Example
```go
err := s.session.Query(`INSERT INTO events (id, body) VALUES (?, ?)`, id, body).
        Consistency(gocql.Any).WithContext(ctx).Exec()
```

## Use instead
```go
err := s.session.Query(`INSERT INTO events (id, body) VALUES (?, ?)`, id, body).
        Consistency(gocql.LocalQuorum).WithContext(ctx).Exec()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import parent, text
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.request_scope import per_call_scope
from .._shared.test_files import is_test_file
from . import CQL_PACKAGES
from ._cql_source import cql_text
from ._fields import assigned_field
from ._query_chain import chain_to

RULE = Rule(
    code="CQL014",
    name="cql-consistency-risk",
    severity=Severity.WARNING,
    packages=CQL_PACKAGES,
    query="""
(selector_expression
  operand: (identifier) @package
  field: (field_identifier) @level
  (#match? @level "^(Any|All)$")) @constant
""",
    doc=__doc__ or "",
)

_SETTERS = frozenset({"Consistency", "SetConsistency"})
_FIELDS = frozenset({"Consistency", "Cons"})


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    facts = ctx.facts
    if facts.package_ref(match["package"]) != "gocql":
        return
    constant = match["constant"]
    level = text(match["level"])
    call = _setter_call(facts, constant)
    if call is None and assigned_field(constant) not in _FIELDS:
        return
    if level == "Any":
        if call is not None and _reads(facts, call):
            message = "consistency ANY cannot serve reads: this SELECT fails every time"
        else:
            message = (
                "consistency ANY acknowledges a write held only as a hint: "
                "it is lost if that coordinator dies"
            )
        yield ctx.finding(constant, message)
        return
    if call is None or _receiver_name(facts, call) not in ("Query", "Batch"):
        return
    scope = per_call_scope(facts, call)
    if scope is None:
        return
    yield ctx.finding(
        constant,
        f"consistency ALL {scope.reason}: one replica down fails the request (use LocalQuorum)",
    )


def _setter_call(facts: Facts, constant: Node) -> Node | None:
    """The ``x.Consistency(c)`` / ``x.SetConsistency(c)`` call `constant` is given to."""
    holder = parent(constant)
    call = parent(holder) if holder is not None and holder.type == "argument_list" else None
    if call is None or call.type != "call_expression":
        return None
    callee = facts.callee(call)
    if callee is None or callee.package != "gocql" or callee.name not in _SETTERS:
        return None
    return call


def _receiver_name(facts: Facts, call: Node) -> str:
    callee = facts.callee(call)
    receiver = callee.receiver if callee is not None else None
    return receiver.name if receiver is not None else ""


def _reads(facts: Facts, call: Node) -> bool:
    chain = chain_to(facts, call)
    statement = chain.statement if chain is not None else None
    found = cql_text(facts, statement) if statement is not None else None
    return found is not None and found.statement().kind == "SELECT"
