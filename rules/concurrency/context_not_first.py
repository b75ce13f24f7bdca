"""A `context.Context` parameter is not the first parameter.

## What it does
Reports a function or method declaration whose `context.Context` parameter
comes after another parameter (revive's `context-as-argument`), once per
function, at the first context out of place. The receiver does not count.
Accepted before the context, as most Go code bases (and revive's
`allowTypesBefore` option, commonly set so) do: `*testing.T`, `*testing.B`,
`*testing.F` and `testing.TB`, which test helpers take first by convention,
other contexts (`func merge(parent, child context.Context)`), and the
`srv interface{}` of a gRPC method handler (`func _Svc_M_Handler(srv
interface{}, ctx context.Context, ...)`, a signature grpc-go dictates, in
generated files that lack the "Code generated" header). A variadic
`...context.Context` (an optional trailing context kept for compatibility)
is not a context parameter. Func literals, func types and interface methods
are left alone, as by revive: their signatures are usually dictated by the
API they are passed to (implementations of an interface are reported where
they are declared).

## Why is this bad
Go code passes the context first, everywhere: `ctx` as the first parameter is
how readers and tools find the cancellation path of a call. A context in the
middle of a parameter list is easy to miss when reviewing, gets swapped with
a neighbour of the same shape in calls, and makes the function the odd one
out when it is wrapped, decorated or turned into an interface method.

## Example
```go
func (s *Store) Get(id string, ctx context.Context) (*Item, error) {
        return s.db.Get(ctx, id)
}
```

## Use instead
```go
func (s *Store) Get(ctx context.Context, id string) (*Item, error) {
        return s.db.Get(ctx, id)
}
```
"""

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import function_name, text
from gobex.finding import Finding, Severity
from gobex.gotypes import GoType
from gobex.rule import Match, Rule, RuleContext, Scope

RULE = Rule(
    code="CON015",
    name="context-not-first",
    severity=Severity.INFO,
    packages=("context",),
    query="""
(function_declaration parameters: (parameter_list) @params) @function
(method_declaration parameters: (parameter_list) @params) @function
""",
    doc=__doc__ or "",
    scope=Scope.DECLARATION,
)

_ALLOWED_BEFORE = (("testing", "T"), ("testing", "B"), ("testing", "F"), ("testing", "TB"))


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    before: str | None = None  # the first parameter that may not precede a context
    for parameter in match["params"].named_children:
        if parameter.type == "variadic_parameter_declaration":
            return  # nothing follows a variadic parameter
        if parameter.type != "parameter_declaration":
            continue
        resolved = ctx.facts.resolve_type(parameter.child_by_field_name("type"))
        names = parameter.children_by_field_name("name")
        if _is_context(resolved):
            if before is None:
                continue
            label = text(names[0]) if names else "context.Context"
            name = function_name(match["function"])
            yield ctx.finding(
                parameter,
                f"the context.Context parameter {label} of {name} comes after {before}: "
                "pass the context first",
            )
            return
        if before is None and not _allowed_before(resolved) and not _grpc_server(parameter):
            before = text(names[0]) if names else text(parameter.child_by_field_name("type"))


def _grpc_server(parameter: Node) -> bool:
    """``srv interface{}`` (or ``any``) of a gRPC method handler
    (``func _Svc_M_Handler(srv interface{}, ctx context.Context, ...)``, the
    signature grpc-go's ``MethodDesc.Handler`` dictates)."""
    names = parameter.children_by_field_name("name")
    kind = parameter.child_by_field_name("type")
    empty = kind is not None and (
        text(kind) == "any" or (kind.type == "interface_type" and kind.named_child_count == 0)
    )
    return empty and len(names) == 1 and text(names[0]) == "srv"


def _is_context(resolved: GoType | None) -> bool:
    return resolved is not None and not resolved.pointer and resolved.is_type("context", "Context")


def _allowed_before(resolved: GoType | None) -> bool:
    if resolved is None:
        return False
    if resolved.is_type("testing", "TB"):
        return not resolved.pointer
    return resolved.pointer and any(resolved.is_type(p, n) for p, n in _ALLOWED_BEFORE)
