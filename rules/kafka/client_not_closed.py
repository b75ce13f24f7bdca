"""A Kafka producer, consumer or client is created and never closed.

## What it does
Reports Kafka clients that are created and never closed: sarama
`SyncProducer`, `AsyncProducer`, `Client`, `Consumer`, `PartitionConsumer`
and `ConsumerGroup`; kafka-go `Writer` (from `NewWriter` or a `&kafka.Writer{...}`
literal) and `Reader`; franz-go `*kgo.Client`; confluent-kafka-go `Producer`
and `Consumer`. A value kept in a local variable must be closed on every way
out of the function (`Close`, `AsyncClose`, `CloseAllowingRebalance`); a value
stored in an unexported field of a struct of the package counts as closed when
some code of the package closes that field (`p.producer.Close()`) or hands it on.
Values that are returned, passed to another function, captured by a goroutine
or stored anywhere else are left alone, and so are clients created in `main`,
which live as long as the process. The fix adds `defer x.Close()` after the
error check.

## Why is this bad
Every Kafka client owns broker connections and background goroutines
(metadata refresh, heartbeats, batching). A client created per request or per
job and never closed leaks them until the process runs out of file
descriptors or memory; a consumer-group member that is never closed is only
evicted after the session timeout, stalling its partitions for everyone else
in the group. Producers lose what they still buffer: sarama's AsyncProducer,
kafka-go's Writer and franz-go flush only on Close.

## Example
```go
func (j *Job) Run(ctx context.Context, brokers []string, events []Event) error {
        producer, err := sarama.NewSyncProducer(brokers, j.cfg)
        if err != nil {
                return err
        }
        for _, ev := range events {
                if _, _, err := producer.SendMessage(ev.Message()); err != nil {
                        return err
                }
        }
        return nil // the producer's connections and goroutines stay behind
}
```

## Use instead
```go
        producer, err := sarama.NewSyncProducer(brokers, j.cfg)
        if err != nil {
                return err
        }
        defer producer.Close()
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.edits import insert_statement_after
from gobex.facts import ESCAPING, Binding, UseKind
from gobex.facts.flow import statement_of
from gobex.facts.syntax import expression_list
from gobex.finding import Finding, Severity
from gobex.gotypes import GoType
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.field_release import (
    FieldStore,
    assigned_field,
    field_released,
    field_store,
)
from .._shared.release import bound_result, callee_label, check_released
from . import KAFKA_CLIENTS
from ._syntax import declared_name, in_main

TAG = "kafka-closeable"
_CONSTRUCTORS = (
    "^(New(SyncProducer|AsyncProducer|Client|Consumer|ConsumerGroup|Writer|Reader|Producer)"
    "(FromClient)?|ConsumePartition)$"
)
_CALL = f"""(call_expression function: (selector_expression field: (field_identifier) @ctor)
  (#match? @ctor "{_CONSTRUCTORS}")) @call"""
_WRITER = """[(unary_expression operand: (composite_literal
                type: (qualified_type name: (type_identifier) @writer)))
              (composite_literal type: (qualified_type name: (type_identifier) @writer))]
             @literal (#eq? @writer "Writer")"""

RULE = Rule(
    code="KFK002",
    name="kafka-client-not-closed",
    severity=Severity.ERROR,
    packages=KAFKA_CLIENTS,
    scope=Scope.PACKAGE,
    query=f"""
(short_var_declaration right: (expression_list {_CALL})) @decl
(assignment_statement right: (expression_list {_CALL})) @decl
(var_spec value: (expression_list {_CALL})) @decl
(expression_statement {_CALL}) @decl
(keyed_element value: (literal_element {_CALL}))
(short_var_declaration right: (expression_list {_WRITER})) @decl
(var_spec value: (expression_list {_WRITER})) @decl
(keyed_element value: (literal_element {_WRITER}))
""",
    doc=__doc__ or "",
    fixable=True,
)


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    value = match.get("call") or match["literal"]
    declaration = match.get("decl")
    kind = _closeable_type(ctx, value)
    if kind is None or in_main(ctx, value):
        return
    release = _release_methods(ctx, kind)
    noun = kind.name
    label = f"{noun} from {callee_label(ctx, value)}" if value.type == "call_expression" else noun
    if declaration is None:
        yield from _stored(ctx, value, field_store(ctx.facts, value), label, release)
        return
    if value.type == "call_expression":
        bound = bound_result(ctx, value, declaration, TAG)
        if bound is None:
            yield from _stored(ctx, value, _assigned(ctx, value, declaration), label, release)
            return
        binding = bound.binding
        if binding is None or ctx.facts.escape(binding) is None:
            yield from check_released(ctx, value, declaration, tag=TAG, noun=noun)
            return
        yield from _escaped(ctx, value, binding, label, release)
        return
    name = declared_name(value)
    binding = ctx.facts.binding(name) if name is not None else None
    if binding is not None:
        yield from _literal(ctx, value, declaration, binding, label, release)


def _closeable_type(ctx: RuleContext, value: Node) -> GoType | None:
    if value.type == "call_expression":
        callee = ctx.facts.callee(value)
        if callee is None or callee.package not in KAFKA_CLIENTS:
            return None  # a mock's or a wrapper's method: its owner knows
        results = ctx.facts.result_types(value) or ()
        return next((t for t in results if t is not None and ctx.facts.has_tag(t, TAG)), None)
    found = ctx.facts.type_of(value)
    return found if found is not None and ctx.facts.has_tag(found, TAG) else None


def _release_methods(ctx: RuleContext, kind: GoType) -> tuple[str, ...]:
    spec = ctx.facts.type_spec(kind)
    return spec.release if spec is not None and spec.release else ("Close",)


def _assigned(ctx: RuleContext, call: Node, declaration: Node) -> FieldStore | None:
    """``s.producer, err = sarama.NewSyncProducer(...)``."""
    if declaration.type != "assignment_statement":
        return None
    lefts = expression_list(declaration.child_by_field_name("left"))
    results = ctx.facts.result_types(call) or ()
    index = next((i for i, t in enumerate(results) if ctx.facts.has_tag(t, TAG)), None)
    if index is None or len(lefts) != len(results) or index >= len(lefts):
        return None
    return assigned_field(ctx.facts, lefts[index], declaration)


def _stored(
    ctx: RuleContext,
    value: Node,
    store: FieldStore | None,
    label: str,
    release: tuple[str, ...],
) -> Iterator[Finding]:
    if store is None or field_released(ctx.facts, store, release):
        return
    yield ctx.finding(
        value,
        f"{label} is stored in {store.owner}.{store.field}, which is never closed",
        related=[ctx.related(store.node, f"stored in {store.owner}.{store.field} here")],
    )


def _escaped(
    ctx: RuleContext, value: Node, binding: Binding, label: str, release: tuple[str, ...]
) -> Iterator[Finding]:
    """The value leaves the function: only a store into unexported fields that
    nothing closes is reported; any other way out may close it."""
    if ctx.facts.releases(binding):
        return  # closed here too (`state.p = p` ... `p.Close()`)
    stores: list[FieldStore] = []
    for use in ctx.facts.uses(binding):
        if use.in_closure and use.kind != UseKind.STORED:
            return
        if use.kind not in ESCAPING or (use.kind == UseKind.METHOD_CALL):
            continue
        store = field_store(ctx.facts, use.expression) if use.kind == UseKind.STORED else None
        if store is None:
            return
        stores.append(store)
    if not stores or any(field_released(ctx.facts, s, release) for s in stores):
        return
    yield from _stored(ctx, value, stores[0], label, release)


def _literal(
    ctx: RuleContext,
    literal: Node,
    declaration: Node,
    binding: Binding,
    label: str,
    release: tuple[str, ...],
) -> Iterator[Finding]:
    """``w := &kafka.Writer{...}``: the same judgement as for a constructor call."""
    if ctx.facts.escape(binding) is not None:
        yield from _escaped(ctx, literal, binding, label, release)
        return
    releasing = ctx.facts.releases(binding)
    name = binding.name
    if not releasing:
        code = f"defer {name}.{release[0]}()"
        edit = insert_statement_after(ctx.source, statement_of(declaration), code)
        fix = ctx.fix(f"Add `{code}`", [edit])
        yield ctx.finding(literal, f"{label} is never closed", fixes=[fix])
        return
    leak = ctx.facts.unreleased_exit(binding, releasing, declaration)
    if leak is not None:
        where = "this return" if leak.type == "return_statement" else "the end of the block"
        yield ctx.finding(
            literal,
            f"{label} is not closed on every path ({name}.{release[0]}() is skipped)",
            related=[ctx.related(leak, f"{where} leaves without {name}.{release[0]}()")],
        )
