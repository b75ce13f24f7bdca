"""A struct type keeps a `context.Context` in a field.

## What it does
Reports a named field of type `context.Context` in a struct type declaration
(`type Worker struct { ctx context.Context }`), as the `containedctx` linter
does. Unlike containedctx, it leaves alone the structs for which a stored
context is the accepted design:

- a struct that embeds `context.Context`, or declares `Deadline`, `Done`,
  `Err` and `Value` itself: it *is* a context (a wrapper that adds values or
  overrides cancellation), and keeping its parent is how contexts are built;
- a struct that also holds the context's cancel function
  (`context.CancelFunc`, or a `cancel func()` field): it made that context
  for its own lifetime (a connection, a consumer group session) and ends it
  in `Close`; the context is not a caller's;
- a struct with a method whose signature an interface fixes without a context
  (`Read`/`Write` of io, `Next` of an iterator, `Token` of an oauth2 token
  source, `Send`/`Recv` of a stream, `WriteHeader` of a response writer,
  `Commit`/`Rollback` of a `driver.Tx`): the operation's context has no other
  way in;
- a struct with a `WithContext` method (the `http.Request` pattern: a
  per-call value copied with a new context), and per-call parameter objects
  named `...Opts`, `...Options`, `...Params`,
  `...Args`, `...Request` (the `http.Request` precedent, functional options
  that carry a call's context);
- fields of other packages' types named `Context` (`*gin.Context`,
  `echo.Context`), fields of func types that take a context, pointers to a
  context, interface methods and parameters (not fields);
- anonymous struct types (test tables, one-off literals) and `_test.go`
  files, where a test's state struct holding the test's context lives exactly
  as long as the test.

## Why is this bad
A context belongs to one call: its deadline, its cancellation and its values
(trace span, request ID, auth) describe that request. Stored in a struct it
outlives the call: later method calls run with a deadline that has already
passed or a request that was cancelled long ago (every call then fails with
`context canceled`), or with values of the wrong request, and callers have no
way to pass a deadline of their own. The blog post "Contexts and structs"
(go.dev/blog/context-and-structs) asks for a context parameter on each method
instead.

## Example
```go
type Fetcher struct {
        ctx    context.Context
        client *http.Client
}

func (f *Fetcher) Fetch(url string) (*http.Response, error) {
        req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, url, nil)
        if err != nil {
                return nil, err
        }
        return f.client.Do(req)
}
```

## Use instead
```go
type Fetcher struct {
        client *http.Client
}

func (f *Fetcher) Fetch(ctx context.Context, url string) (*http.Response, error) {
        req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
        if err != nil {
                return nil, err
        }
        return f.client.Do(req)
}
```
"""

import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts.syntax import text
from gobex.finding import Finding, Severity
from gobex.gotypes import LOCAL, GoType
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.test_files import is_test_file

RULE = Rule(
    code="CON014",
    name="context-in-struct",
    severity=Severity.INFO,
    packages=("context",),
    query="""
(type_spec
  name: (type_identifier) @type_name
  type: (struct_type (field_declaration_list) @fields))
""",
    doc=__doc__ or "",
    scope=Scope.DECLARATION,
)

_CONTEXT_METHODS = ("Deadline", "Done", "Err", "Value")


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    if is_test_file(ctx.source):
        return
    fields = match["fields"]
    name = text(match["type_name"])
    held: list[tuple[Node, list[Node]]] = []
    owns_cancel = False
    for field in fields.named_children:
        if field.type != "field_declaration":
            continue
        names = field.children_by_field_name("name")
        field_type = ctx.facts.resolve_type(field.child_by_field_name("type"))
        if field_type is None or field_type.pointer:
            continue
        if _cancels(ctx, field_type, names):
            owns_cancel = True
        if not field_type.is_type("context", "Context"):
            continue
        if not names:
            return  # embeds context.Context: the struct is a context
        held.append((field, names))
    if not held or owns_cancel or _PARAMETER_OBJECT.search(name):
        return
    if _is_context(ctx, name) or _fixed_method(ctx, name) is not None:
        return
    if ctx.facts.package.methods.get((name, "WithContext")) is not None:
        return  # the http.Request pattern: a per-call value, copied with a new context
    for field, names in held:
        label = ", ".join(text(n) for n in names)
        yield ctx.finding(
            field,
            f"{name}.{label} keeps a context.Context in a struct: it outlives the call "
            "it belongs to; pass ctx as the first parameter of the methods that need it",
        )


# Per-call parameter objects, like http.Request: options of one call.
_PARAMETER_OBJECT = re.compile(r"(?:Opts|Options|Params|Args|Request)$")

# Methods whose signatures are fixed by an interface and cannot take a context:
# io.Reader/Writer and friends, iterators, oauth2.TokenSource, gRPC streams,
# http.ResponseWriter, database/sql/driver.Tx.
_FIXED = (
    "Read",
    "Write",
    "ReadAt",
    "WriteAt",
    "ReadFrom",
    "WriteTo",
    "Seek",
    "Next",
    "NextResult",
    "NextRow",
    "NextPage",
    "Token",
    "Recv",
    "Send",
    "RecvMsg",
    "SendMsg",
    "WriteHeader",
    "Commit",
    "Rollback",
)
_CANCEL_NAME = re.compile(r"(?i)cancel|stop")


def _cancels(ctx: RuleContext, field_type: GoType, names: list[Node]) -> bool:
    """A cancel function field (``context.CancelFunc``, or ``cancel func()``): the
    struct made its context and ends it, so the context is the value's lifetime."""
    if ctx.facts.has_tag(field_type, "cancel-func"):
        return True
    return field_type.kind == "func" and any(_CANCEL_NAME.search(text(n)) for n in names)


def _is_context(ctx: RuleContext, name: str) -> bool:
    """The type declares the four methods of context.Context: it is a context
    that wraps its parent."""
    local = GoType(LOCAL, name)
    return all(ctx.facts.package.method(local, m) is not None for m in _CONTEXT_METHODS)


def _fixed_method(ctx: RuleContext, name: str) -> str | None:
    """A method of the type that implements an interface method without a context
    parameter (``Read(p []byte)``, ``Next() bool``): the stored context is the
    only way that method can honour the operation's cancellation."""
    for method in _FIXED:
        declared = ctx.facts.package.methods.get((name, method))
        if declared is None:
            continue
        parameters = declared.node.child_by_field_name("parameters")
        types = [
            declared.file.resolve_type(p.child_by_field_name("type"))
            for p in (parameters.named_children if parameters is not None else ())
            if p.type in ("parameter_declaration", "variadic_parameter_declaration")
        ]
        if not any(t is not None and t.is_type("context", "Context") for t in types):
            return method
    return None
