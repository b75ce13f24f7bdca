"""An idempotent or transactional Kafka producer is configured so that it cannot work.

## What it does
Reports sarama configs with `Producer.Idempotent = true` that sarama's
`Config.Validate` rejects: `Producer.RequiredAcks` other than `WaitForAll`
(the default is `WaitForLocal`), `Net.MaxOpenRequests` other than 1 (the
default is 5), `Producer.Retry.Max = 0`, or a `Version` below `V0_11_0_0`; and
configs that set `Producer.Transaction.ID` without `Idempotent`. The config is
followed from the constructor that receives it (`NewSyncProducer`,
`NewAsyncProducer`, `NewClient`, `NewConsumerGroup`...) through local
variables and the package's helpers (`newConfig()`, `applyTLS(cfg)`); a config
gobex cannot see entirely is left alone.

At info level, it also reports idempotence switched off on a producer that
retries or uses weak acks: franz-go `kgo.DisableIdempotentWrite()` together
with `kgo.RequiredAcks(kgo.LeaderAck())`, `NoAck()` or `kgo.RecordRetries(n)`,
and confluent-kafka-go `"enable.idempotence": false` together with `"acks"`
0/1 or `"retries"`.

## Why is this bad
sarama validates the config when the producer or client is created: an
idempotent producer without `WaitForAll` and `MaxOpenRequests = 1` fails with
`ConfigurationError` on startup, so the service crash-loops on deploy, usually
after the change was tested against a config that did not have it. Without
idempotence, a produce request that timed out is retried even though the broker
may already have written it: the message lands twice, and with several requests
in flight, out of order.

## Example
```go
cfg := sarama.NewConfig()
cfg.Producer.Idempotent = true
cfg.Producer.Return.Successes = true
producer, err := sarama.NewSyncProducer(brokers, cfg) // ConfigurationError
```

## Use instead
```go
cfg := sarama.NewConfig()
cfg.Version = sarama.V2_8_0_0
cfg.Producer.Idempotent = true
cfg.Producer.RequiredAcks = sarama.WaitForAll
cfg.Net.MaxOpenRequests = 1
cfg.Producer.Return.Successes = true
producer, err := sarama.NewSyncProducer(brokers, cfg)
```
"""

import dataclasses
import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import arguments, text, unparen
from gobex.finding import Finding, Related, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from . import KAFKA_CLIENTS
from ._confluent_config import resolve_configmap
from ._kgo_options import client_options
from ._sarama_config import SaramaConfig, constructor_config
from ._syntax import related_anywhere, same_declaration

_CONSTRUCTORS = (
    "^New(SyncProducer|AsyncProducer|Client|Consumer|ConsumerGroup|ClusterAdmin|Producer)$"
)

RULE = Rule(
    code="KFK004",
    name="idempotence-misconfigured",
    severity=Severity.ERROR,
    packages=KAFKA_CLIENTS,
    scope=Scope.CALLEES,
    query=f"""
(call_expression
  function: (selector_expression field: (field_identifier) @ctor)
  (#match? @ctor "{_CONSTRUCTORS}")) @call
""",
    doc=__doc__ or "",
)

_VERSION = re.compile(r"\bV(\d+)_(\d+)_(\d+)_(\d+)$")


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    callee = ctx.facts.callee(call)
    if callee is None or callee.receiver is not None:
        return
    if callee.package == "sarama":
        yield from _sarama(ctx, call, callee.name)
    elif callee.is_function("kgo", "NewClient"):
        yield from _franz(ctx, call)
    elif callee.is_function("confluent-kafka-go", "NewProducer"):
        yield from _confluent(ctx, call)


def _sarama(ctx: RuleContext, call: Node, constructor: str) -> Iterator[Finding]:
    config = constructor_config(ctx.facts, call, constructor)
    if config is None:
        return
    if config.value("Producer.Idempotent") == "true":
        problems = _idempotence_problems(config)
        if problems:
            yield ctx.finding(
                call,
                "sarama rejects this config at startup: the idempotent producer needs "
                + ", ".join(problems),
                related=_related(ctx, config, "Producer.Idempotent", "idempotence is enabled here"),
            )
        return
    transaction = config.value("Producer.Transaction.ID")
    if transaction is not None and transaction != '""':
        yield ctx.finding(
            call,
            "sarama rejects this config at startup: Producer.Transaction.ID needs "
            "Producer.Idempotent = true",
            related=_related(
                ctx, config, "Producer.Transaction.ID", "the transactional id is set here"
            ),
        )


def _idempotence_problems(config: SaramaConfig) -> list[str]:
    problems = []
    acks = config.value("Producer.RequiredAcks")
    if acks is None:
        problems.append("Producer.RequiredAcks = WaitForAll (the default is WaitForLocal)")
    elif acks.endswith(("NoResponse", "WaitForLocal")) or acks in ("0", "1"):
        problems.append(f"Producer.RequiredAcks = WaitForAll (not {acks})")
    requests = config.value("Net.MaxOpenRequests")
    if requests is None:
        problems.append("Net.MaxOpenRequests = 1 (the default is 5)")
    elif requests.isdigit() and requests != "1":
        problems.append(f"Net.MaxOpenRequests = 1 (not {requests})")
    if config.value("Producer.Retry.Max") == "0":
        problems.append("Producer.Retry.Max >= 1 (not 0)")
    version = config.value("Version")
    if version is not None and _below_0_11(version):
        problems.append(f"Version >= V0_11_0_0 (not {version})")
    return problems


def _below_0_11(version: str) -> bool:
    if version.endswith("MinVersion"):
        return True
    found = _VERSION.search(version)
    if found is None:
        return False
    return tuple(int(part) for part in found.groups()) < (0, 11, 0, 0)


def _related(ctx: RuleContext, config: SaramaConfig, path: str, message: str) -> list[Related]:
    node = config.node(path)
    found = related_anywhere(ctx, node, message) if node is not None else None
    return [found] if found is not None else []


def _franz(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    options = client_options(ctx.facts, call)
    disabled = options.named("DisableIdempotentWrite")
    if not disabled:
        return
    reasons = []
    for acks in options.named("RequiredAcks"):
        args = arguments(acks.node)
        inner = (
            acks.facts.callee(unparen(args[0]))
            if args and args[0].type == "call_expression"
            else None
        )
        if inner is not None and inner.is_function("kgo", "LeaderAck", "NoAck"):
            reasons.append(f"{inner.name}()")
    for retries in options.named("RecordRetries"):
        args = arguments(retries.node)
        if args and text(unparen(args[0])) != "0":
            reasons.append("RecordRetries")
    if not reasons:
        return
    option = disabled[0]
    at = option.node if same_declaration(ctx, option.node, call) else call
    finding = ctx.finding(
        at,
        f"idempotent writes are disabled on a producer with {' and '.join(reasons)}: "
        "a retried batch can be written twice and out of order",
        related=_elsewhere(ctx, option.node, at, "idempotent writes are disabled here"),
    )
    yield _as_info(ctx, finding)


def _elsewhere(ctx: RuleContext, node: Node, at: Node, message: str) -> list[Related]:
    """A related location at `node` when the finding is not there itself."""
    found = related_anywhere(ctx, node, message) if node != at else None
    return [found] if found is not None else []


def _confluent(ctx: RuleContext, call: Node) -> Iterator[Finding]:
    args = arguments(call)
    config = resolve_configmap(ctx.facts, args[0]) if args else None
    if config is None or config.value("enable.idempotence") != "false":
        return
    reasons = []
    acks = config.value("acks") or config.value("request.required.acks")
    if acks in ("0", "1"):
        reasons.append(f'"acks": {acks}')
    for key in ("retries", "message.send.max.retries"):
        value = config.value(key)
        if config.has(key) and value != "0":
            reasons.append(f'"{key}"')
    if not reasons:
        return
    setting = config.entries["enable.idempotence"]
    at = setting.node if same_declaration(ctx, setting.node, call) else call
    finding = ctx.finding(
        at,
        f"idempotence is disabled on a producer with {' and '.join(reasons)}: "
        "a retried batch can be written twice and out of order",
        related=_elsewhere(ctx, setting.node, at, "idempotence is disabled here"),
    )
    yield _as_info(ctx, finding)


def _as_info(ctx: RuleContext, finding: Finding) -> Finding:
    """The franz-go and confluent findings are idiom, not a startup failure:
    two levels below the rule's configured severity."""
    lowered = {Severity.ERROR: Severity.INFO, Severity.WARNING: Severity.INFO}
    return dataclasses.replace(finding, severity=lowered.get(ctx.severity, ctx.severity))
