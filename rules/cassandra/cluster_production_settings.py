"""A gocql cluster config creates a session with the driver's defaults for routing,
retries and consistency.

## What it does
Reports `gocql.NewCluster(...)` (or a `gocql.ClusterConfig{...}` literal) whose
config creates a session in the same function (`cfg.CreateSession()`,
`gocql.NewSession(*cfg)`) without one or more of:

- a token-aware host selection policy
  (`cfg.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(...)`);
- a `RetryPolicy`;
- an explicit `Consistency` (on the config, or `session.SetConsistency`).

One finding lists what is missing. A policy or value that comes from a
variable or another function counts as set. Configs handed to other functions,
returned or stored (which may set more) are left alone, and so are `_test.go`
files. Covers gocql v1 and `apache/cassandra-gocql-driver/v2`.

## Why is this bad
With the defaults, every query goes to a round-robin coordinator that usually
owns none of the data: one extra network hop and more load on every node, and
a node's restart becomes errors instead of a retry on a replica. gocql retries
nothing without a `RetryPolicy`, so every timeout or unavailable reaches the
user. An implicit consistency (`Quorum`) works until the cluster gains a
second datacenter, where `Quorum` waits on the remote one; saying
`LocalQuorum` (or whatever the service needs) makes the choice visible.

## Example
```go
cluster := gocql.NewCluster(hosts...)
cluster.Keyspace = "shop"
session, err := cluster.CreateSession()
```

## Use instead
```go
cluster := gocql.NewCluster(hosts...)
cluster.Keyspace = "shop"
cluster.Consistency = gocql.LocalQuorum
cluster.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(
        gocql.DCAwareRoundRobinPolicy(dc))
cluster.RetryPolicy = &gocql.ExponentialBackoffRetryPolicy{
        NumRetries: 3, Min: 100 * time.Millisecond, Max: time.Second}
session, err := cluster.CreateSession()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import unparen
from gobex.finding import Finding, Severity
from gobex.rule import Match, Rule, RuleContext

from .._shared.test_files import is_test_file
from . import CQL_PACKAGES
from ._cluster_config import cluster_settings, is_cluster_origin

RULE = Rule(
    code="CQL008",
    name="cql-cluster-production-settings",
    severity=Severity.INFO,
    packages=CQL_PACKAGES,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @function)
  (#eq? @function "NewCluster")) @origin
(composite_literal
  type: (qualified_type name: (type_identifier) @type)
  (#eq? @type "ClusterConfig")) @origin
""",
    doc=__doc__ or "",
)

_HOST_POLICY = "PoolConfig.HostSelectionPolicy"
# Policies that are not token-aware: a config set to one of these still routes
# through a random coordinator.
_PLAIN_POLICIES = frozenset(
    {"RoundRobinHostPolicy", "DCAwareRoundRobinPolicy", "RackAwareRoundRobinPolicy"}
    | {"HostPoolHostPolicy"}
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    origin = match["origin"]
    facts = ctx.facts
    if not is_cluster_origin(facts, origin):
        return
    settings = cluster_settings(facts, origin)
    if not settings.known or not settings.creates_session:
        return
    missing = []
    policy = settings.fields.get(_HOST_POLICY)
    if policy is None or _plain_policy(facts, policy):
        missing.append("a token-aware host policy")
    if not settings.has("RetryPolicy"):
        missing.append("a RetryPolicy")
    if not settings.has("Consistency") and "SetConsistency" not in settings.session_calls:
        missing.append("an explicit Consistency")
    if not missing:
        return
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
    yield ctx.finding(origin, f"cluster config creates a session without {listed}")


def _plain_policy(facts: Facts, value: Node) -> bool:
    """``gocql.RoundRobinHostPolicy()``, ``gocql.DCAwareRoundRobinPolicy(dc)``...
    written directly (not wrapped in ``TokenAwareHostPolicy``)."""
    value = unparen(value)
    if value.type != "call_expression":
        return False
    callee = facts.callee(value)
    return callee is not None and callee.package == "gocql" and callee.name in _PLAIN_POLICIES
