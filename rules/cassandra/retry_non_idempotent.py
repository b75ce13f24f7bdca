"""A gocql query's retry settings contradict its idempotence.

## What it does
Two mismatches, on queries created in the same function (`session.Query`;
gocql v1 and `apache/cassandra-gocql-driver/v2`):

- `SetSpeculativeExecutionPolicy(...)` on a query that is not marked
  `Idempotent(true)` (info): the setting does nothing. Quiet when the package
  sets `DefaultIdempotence` on its cluster config, or when the query is handed
  to other code before it runs. `RetryPolicy(...)` is not reported: gocql v1
  retries non-idempotent queries too (`query_executor.go`), whatever `doc.go`
  says.
- `Idempotent(true)` on a counter update (`SET n = n + 1`, `n = n + ?` with an
  integer bound) or on a lightweight transaction (`IF NOT EXISTS`, `IF EXISTS`,
  `IF col = ?`), also as `gocql.BatchEntry{Idempotent: true, Stmt: ...}`
  (error).

## Why is this bad
gocql runs a query speculatively only when it is marked idempotent
(`query_executor.go`: `if !qry.IsIdempotent() || sp.Attempts() == 0` runs it
once). A speculative execution policy on an unmarked query is silently off:
the tail latency it was added for stays.

The opposite is worse. A counter increment that timed out may have been
applied; retrying it (or running it twice in parallel) counts twice, and
counters cannot be corrected afterwards. A lightweight transaction retried
after a timeout meets its own first write: `INSERT ... IF NOT EXISTS` reports
"not applied" for the row it created, and the caller treats a success as a
conflict.

## Example
```go
err := s.session.Query(`UPDATE page_views SET n = n + 1 WHERE page = ?`, page).
        Idempotent(true).WithContext(ctx).Exec()
```

## Use instead
```go
err := s.session.Query(`UPDATE page_views SET n = n + 1 WHERE page = ?`, page).
        WithContext(ctx).Exec() // not idempotent: never retried
```
"""

import dataclasses
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import arguments, text, unparen
from gobex.finding import Finding, Severity
from gobex.gotypes import BUILTIN
from gobex.rule import Match, Rule, RuleContext, Scope

from . import CQL_PACKAGES
from ._cql import Statement
from ._cql_source import cql_text
from ._query_chain import QueryChain, chain_to, method_range

RULE = Rule(
    code="CQL009",
    name="cql-retry-non-idempotent",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @method)
  (#match? @method "^(Idempotent|SetSpeculativeExecutionPolicy)$")) @call
(composite_literal
  body: (literal_value
    (keyed_element
      key: (literal_element (identifier) @key)
      value: (literal_element (true)))
    (#eq? @key "Idempotent"))) @entry
""",
    doc=__doc__ or "",
    scope=Scope.PACKAGE,  # DefaultIdempotence may be set in any file of the package
)

_INTEGERS = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"}
)
_DEFAULT_IDEMPOTENCE = b"DefaultIdempotence"


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    entry = match.get("entry")
    if entry is not None:
        yield from _check_entry(ctx, entry)
        return
    call = match["call"]
    facts = ctx.facts
    callee = facts.callee(call)
    if callee is None or callee.receiver is None or not callee.receiver.is_type("gocql", "Query"):
        return
    chain = chain_to(facts, call)
    if chain is None:
        return
    method = text(match["method"])
    if method == "Idempotent":
        args = arguments(call)
        if len(args) != 1 or unparen(args[0]).type != "true":
            return
        problem = _double_apply(facts, chain)
        if problem is not None:
            yield ctx.finding(method_range(call), f"Idempotent(true) on {problem}")
        return
    if not chain.complete or _marked_idempotent(chain) or _default_idempotence(facts):
        return
    finding = ctx.finding(
        method_range(call),
        "speculative execution on a query not marked Idempotent(true): "
        "gocql never runs it speculatively",
    )
    yield dataclasses.replace(finding, severity=Severity.INFO)  # a setting that does nothing


def _marked_idempotent(chain: QueryChain) -> bool:
    """``Idempotent(...)`` anywhere on the query (a variable counts: it may be true)."""
    return any(
        not (len(arguments(c.call)) == 1 and unparen(arguments(c.call)[0]).type == "false")
        for c in chain.all("Idempotent")
    )


def _default_idempotence(facts: Facts) -> bool:
    """The package sets ``DefaultIdempotence`` (on a ClusterConfig) somewhere."""
    return any(_DEFAULT_IDEMPOTENCE in file.source.data for file in facts.package.files)


def _double_apply(facts: Facts, chain: QueryChain) -> str | None:
    """What makes the query unsafe to run twice, or None."""
    statement_node = chain.statement
    if statement_node is None:
        return None
    found = cql_text(facts, statement_node)
    if found is None:
        return None
    values = arguments(chain.origin)[1:]
    return _unsafe_statement(facts, found.statement(), values)


def _unsafe_statement(facts: Facts, statement: Statement, values: list[Node]) -> str | None:
    if statement.conditional:
        return "a lightweight transaction (IF ...): a retry meets its own first write"
    for update in statement.counter_updates():
        if update.literal or _integer_argument(facts, values, update.marker):
            return f"a counter update ({update.column.lower()} = ...): a retry counts twice"
    return None


def _integer_argument(facts: Facts, values: list[Node], marker: int | None) -> bool:
    if marker is None or marker >= len(values):
        return False
    if any(v.type == "variadic_argument" for v in values[: marker + 1]):
        return False
    value = values[marker]
    if unparen(value).type == "int_literal":
        return True
    go_type = facts.type_of(value)
    return (
        go_type is not None
        and go_type.kind == "named"
        and go_type.package == BUILTIN
        and go_type.name in _INTEGERS
    )


def _check_entry(ctx: RuleContext, entry: Node) -> Iterator[Finding]:
    """``gocql.BatchEntry{Stmt: ..., Args: ..., Idempotent: true}``."""
    facts = ctx.facts
    entry_type = facts.resolve_type(entry.child_by_field_name("type"))
    if entry_type is None or not entry_type.is_type("gocql", "BatchEntry"):
        return
    fields = _fields(entry)
    statement_node = fields.get("Stmt")
    if statement_node is None:
        return
    found = cql_text(facts, statement_node)
    if found is None:
        return
    values: list[Node] = []
    args = fields.get("Args")
    if args is not None and unparen(args).type == "composite_literal":
        body = unparen(args).child_by_field_name("body")
        values = [
            e.named_children[0]
            for e in (body.named_children if body is not None else [])
            if e.type == "literal_element" and e.named_children
        ]
    problem = _unsafe_statement(facts, found.statement(), values)
    if problem is not None:
        yield ctx.finding(fields["Idempotent"], f"Idempotent: true on {problem}")


def _fields(literal: Node) -> dict[str, Node]:
    body = literal.child_by_field_name("body")
    fields: dict[str, Node] = {}
    for element in body.named_children if body is not None else []:
        if element.type != "keyed_element" or element.named_child_count != 2:
            continue
        key, value = element.named_children
        fields[text(key)] = value.named_children[0] if value.named_children else value
    return fields
