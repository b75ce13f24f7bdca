"""A sarama SyncProducer gets a config without `Producer.Return.Successes = true`.

## What it does
Reports `sarama.NewSyncProducer(brokers, cfg)` and
`NewSyncProducerFromClient(client)` when the config, built by the caller, does
not set `Producer.Return.Successes = true` (or sets `Producer.Return.Errors =
false`). The config is followed from the call through local variables and the
package's helpers (`newConfig()`, `tune(cfg)`); a `nil` config is fine for
`NewSyncProducer`, which then sets the flag itself, but not for the `NewClient`
a `NewSyncProducerFromClient` client comes from. Configs gobex cannot see
entirely are left alone. The unsafe fix adds the assignment after
`sarama.NewConfig()` (unsafe: an AsyncProducer sharing the config would then
have to drain `Successes()`).

## Why is this bad
`NewSyncProducer` checks both flags and returns
`ConfigurationError("Producer.Return.Successes must be true to be used in a
SyncProducer")`. The mistake is invisible in review and in unit tests that mock
the producer: the service fails on its first start against a real cluster, or,
when the producer is created lazily, on the first request that publishes.

## Example
```go
cfg := sarama.NewConfig()
cfg.Producer.RequiredAcks = sarama.WaitForAll
producer, err := sarama.NewSyncProducer(brokers, cfg)
```

## Use instead
```go
cfg := sarama.NewConfig()
cfg.Producer.RequiredAcks = sarama.WaitForAll
cfg.Producer.Return.Successes = true
producer, err := sarama.NewSyncProducer(brokers, cfg)
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_after
from gobex.facts.flow import statement_of
from gobex.facts.syntax import expression_list, parent, text
from gobex.finding import Finding, Fix, Related, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from . import SARAMA
from ._sarama_config import SaramaConfig, constructor_config
from ._syntax import related_anywhere, same_declaration

RULE = Rule(
    code="KFK005",
    name="sync-producer-needs-successes",
    severity=Severity.ERROR,
    packages=SARAMA,
    scope=Scope.CALLEES,
    query="""
(call_expression
  function: (selector_expression field: (field_identifier) @ctor)
  (#match? @ctor "^NewSyncProducer(FromClient)?$")) @call
""",
    doc=__doc__ or "",
    fixable=True,
)

_SUCCESSES = "Producer.Return.Successes"
_ERRORS = "Producer.Return.Errors"


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    constructor = text(match["ctor"])
    callee = ctx.facts.callee(call)
    if callee is None or not callee.is_function("sarama", constructor):
        return
    config = constructor_config(ctx.facts, call, constructor)
    if config is None:
        return
    nil = config.origin.type == "nil"
    if nil and constructor == "NewSyncProducer":
        return  # sarama sets Return.Successes on the config it creates
    if config.value(_ERRORS) == "false":
        yield ctx.finding(
            call,
            f"{constructor} fails with a ConfigurationError: the config sets {_ERRORS} = false",
            related=_related(ctx, config.node(_ERRORS), "Return.Errors is switched off here"),
            fixes=[_set_true(ctx, config, call, _ERRORS)],
        )
    successes = config.value(_SUCCESSES)
    if successes not in (None, "false"):
        return  # true, or a value gobex cannot judge
    where = "the default config of NewClient" if nil else "the config"
    yield ctx.finding(
        call,
        f"{constructor} fails with a ConfigurationError: {where} does not set {_SUCCESSES} = true",
        related=_related(
            ctx,
            config.node(_SUCCESSES) or (None if nil else config.origin),
            "the config is created here" if successes is None else "Successes is false here",
        ),
        fixes=[_set_true(ctx, config, call, _SUCCESSES)],
    )


def _related(ctx: RuleContext, node: Node | None, message: str) -> list[Related]:
    found = related_anywhere(ctx, node, message) if node is not None else None
    return [found] if found is not None else []


def _set_true(ctx: RuleContext, config: SaramaConfig, call: Node, path: str) -> Fix | None:
    """Replace a ``= false`` by ``= true``, or add the assignment after
    ``cfg := sarama.NewConfig()`` (in the function being checked only)."""
    assigned = config.node(path)
    if assigned is not None:
        if not same_declaration(ctx, assigned, call):
            return None
        values = expression_list(assigned.child_by_field_name("right"))
        if len(values) != 1:
            return None
        edit = TextEdit(values[0].start_byte, values[0].end_byte, "true")
        return ctx.fix(f"Set `{path} = true`", [edit], unsafe=True)
    origin = config.origin
    if origin.type != "call_expression" or not same_declaration(ctx, origin, call):
        return None
    holder = parent(origin)
    declaration = parent(holder) if holder is not None else None
    if declaration is None or declaration.type not in ("short_var_declaration", "var_spec"):
        return None
    names = (
        declaration.children_by_field_name("name")
        if declaration.type == "var_spec"
        else expression_list(declaration.child_by_field_name("left"))
    )
    if len(names) != 1 or names[0].type != "identifier":
        return None
    code = f"{text(names[0])}.{path} = true"
    edit = insert_statement_after(ctx.source, statement_of(declaration), code)
    return ctx.fix(f"Add `{code}`", [edit], unsafe=True)
