"""One gocql `HostSelectionPolicy` value is given to several cluster configs.

## What it does
Reports a host selection policy kept in a variable (local, or a package
variable) that is assigned to `PoolConfig.HostSelectionPolicy` of more than one
cluster config: twice in one function, or once inside a loop while the policy
is made before the loop (v1 and `apache/cassandra-gocql-driver/v2`). Both
`cfg.PoolConfig.HostSelectionPolicy = p` and
`gocql.PoolConfig{HostSelectionPolicy: p}` count. Policies made per config
(`gocql.TokenAwareHostPolicy(...)` written at each assignment) are fine.

## Why is this bad
A policy is bound to the session that uses it: `NewSession` calls its `Init`
with the session, and the session feeds it the ring (`AddHost`, `RemoveHost`,
`SetPartitioner`, `KeyspaceChanged`). gocql's `cluster.go` says it plainly: a
`HostSelectionPolicy` must not be shared between sessions. Two sessions on one
policy mix their host lists and token maps: queries are routed to hosts of the
other cluster or datacenter, or to hosts that one session has marked down,
and token-aware routing silently stops being token-aware.

## Example
```go
policy := gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy())
for _, dc := range dcs {
        cfg := gocql.NewCluster(dc.Hosts...)
        cfg.PoolConfig.HostSelectionPolicy = policy
        ...
}
```

## Use instead
```go
for _, dc := range dcs {
        cfg := gocql.NewCluster(dc.Hosts...)
        cfg.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(
                gocql.DCAwareRoundRobinPolicy(dc.Name))
        ...
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding
from gobex.facts.flow import in_loop
from gobex.facts.syntax import is_inside, text
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from . import CQL_PACKAGES
from ._fields import assigned_field

RULE = Rule(
    code="CQL012",
    name="cql-host-policy-shared",
    severity=Severity.ERROR,
    packages=CQL_PACKAGES,
    query="""
(assignment_statement
  left: (expression_list (selector_expression field: (field_identifier) @field))
  right: (expression_list (identifier) @policy)
  (#eq? @field "HostSelectionPolicy")) @use
(keyed_element
  key: (literal_element (identifier) @field)
  value: (literal_element (identifier) @policy)
  (#eq? @field "HostSelectionPolicy")) @use
""",
    doc=__doc__ or "",
)

_MESSAGE = (
    "host selection policy {name} is given to more than one cluster config ({why}): "
    "a policy must not be shared between sessions"
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    policy = match["policy"]
    facts = ctx.facts
    if not facts.has_tag(facts.type_of(policy), "cql-host-policy"):
        return
    binding = facts.binding(policy)
    name = text(policy)
    loop = in_loop(policy)
    if loop is not None and _shared_by_loop(binding, loop):
        yield ctx.finding(policy, _MESSAGE.format(name=name, why="set inside a loop"))
        return
    if binding is None:
        return
    earlier = [
        use
        for use in binding.uses
        if use.start_byte < policy.start_byte and assigned_field(use) == "HostSelectionPolicy"
    ]
    if earlier:
        yield ctx.finding(
            policy,
            _MESSAGE.format(name=name, why="set twice"),
            related=[ctx.related(earlier[0], "first given here")],
        )


def _shared_by_loop(binding: Binding | None, loop: Node) -> bool:
    """The policy is made before the loop (or is a package variable) and not
    replaced inside it: every iteration's config gets the same value."""
    if binding is None:
        return True
    if is_inside(binding.ident, loop):
        return False
    return not any(is_inside(target, loop) for target in binding.assignments)
