"""A single `*pgx.Conn` is shared by concurrent requests or goroutines.

## What it does
Reports a `*pgx.Conn` (from `pgx.Connect`/`ConnectConfig`, v4 and v5) that
concurrent code shares: a struct field or package variable of that type used
by an HTTP handler (a function given an `*http.Request`, including handler
literals), by a method taking a `context.Context` in a package that serves
requests (it imports net/http or gRPC), or from a `go` statement; and a local
connection that a goroutine uses while the function that started it keeps
using it too. A struct that also holds a `sync.Mutex` is left alone (the
connection is guarded), and so is a connection handed whole to one goroutine.

## Why is this bad
`*pgx.Conn` is one PostgreSQL connection and is not safe for concurrent use.
Two requests that use it at once interleave their protocol messages: one
fails with "conn busy", or worse, reads the other's results; under load the
connection dies and every request fails until the process restarts. A server
needs `pgxpool.Pool`, which hands each request its own connection.

## Example
```go
type Server struct {
        conn *pgx.Conn
}

func (s *Server) user(w http.ResponseWriter, r *http.Request) {
        row := s.conn.QueryRow(r.Context(), "SELECT name FROM users WHERE id = $1", id(r))
        ...
}
```

## Use instead
```go
type Server struct {
        pool *pgxpool.Pool
}

func (s *Server) user(w http.ResponseWriter, r *http.Request) {
        row := s.pool.QueryRow(r.Context(), "SELECT name FROM users WHERE id = $1", id(r))
        ...
}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import Binding, UseKind
from gobex.facts.flow import in_loop, is_deferred
from gobex.facts.package import FileDecls
from gobex.facts.syntax import function_name, text, walk
from gobex.facts.syntax import parent as parent_of
from gobex.finding import Finding, Related, Severity
from gobex.rule import Match, Rule, RuleContext, Scope

from ._handlers import go_statements, is_http_handler, serves_requests_package, takes_context

_CONN_TYPE = """(pointer_type (qualified_type name: (type_identifier) @conn_type))"""

RULE = Rule(
    code="PG007",
    name="pgx-conn-shared",
    severity=Severity.WARNING,
    packages=("pgx",),
    query=f"""
(field_declaration
  name: (field_identifier) @field_name
  type: {_CONN_TYPE}
  (#eq? @conn_type "Conn")) @field
(source_file
  (var_declaration
    (var_spec name: (identifier) @var_name type: {_CONN_TYPE} (#eq? @conn_type "Conn")) @var))
(source_file
  (var_declaration
    (var_spec_list
      (var_spec name: (identifier) @var_name type: {_CONN_TYPE} (#eq? @conn_type "Conn")) @var)))
(short_var_declaration
  right: (expression_list
    . (call_expression function: (selector_expression field: (field_identifier) @connect)))
  (#match? @connect "^(Connect|ConnectConfig)$")) @connect_decl
""",
    doc=__doc__ or "",
    scope=Scope.PACKAGE,  # the methods that use a field may be in any file
)

_MUTEXES = (("sync", "Mutex"), ("sync", "RWMutex"))
_ADVICE = "a pgx.Conn is not safe for concurrent use; use a *pgxpool.Pool"


@dataclass(frozen=True)
class _Sharing:
    """How a connection is shared, and where."""

    how: str
    node: Node
    file: FileDecls


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    field = match.get("field")
    if field is not None:
        yield from _check_field(ctx, field, text(match["field_name"]))
        return
    var = match.get("var")
    if var is not None:
        yield from _check_variable(ctx, var, text(match["var_name"]))
        return
    yield from _check_local(ctx, match["connect_decl"])


def _is_pgx_conn(ctx: RuleContext, type_node: Node | None) -> bool:
    return ctx.facts.has_tag(ctx.facts.resolve_type(type_node), "pgx-conn")


def _check_field(ctx: RuleContext, field: Node, name: str) -> Iterator[Finding]:
    if not _is_pgx_conn(ctx, field.child_by_field_name("type")):
        return
    struct = _struct_name(field)
    if struct is None or _has_mutex(ctx, struct):
        return
    mention = re.compile(rb"\." + re.escape(name.encode()) + rb"\b")
    methods = [
        declared
        for (receiver, _), declared in sorted(ctx.facts.package.methods.items())
        if receiver == struct
    ]
    for declared in methods:
        sharing = _sharing(ctx, declared.node, declared.file, mention)
        if sharing is not None:
            yield _finding(ctx, field, f"*pgx.Conn field {name} is used {sharing.how}", sharing)
            return


def _check_variable(ctx: RuleContext, var: Node, name: str) -> Iterator[Finding]:
    if not _is_pgx_conn(ctx, var.child_by_field_name("type")):
        return
    mention = re.compile(rb"(?<![.\w])" + re.escape(name.encode()) + rb"\b")
    package = ctx.facts.package
    declarations = [*package.functions.values(), *package.methods.values()]
    for declared in sorted(declarations, key=lambda d: (d.file.source.path, d.node.start_byte)):
        sharing = _sharing(ctx, declared.node, declared.file, mention)
        if sharing is not None:
            message = f"*pgx.Conn package variable {name} is used {sharing.how}"
            yield _finding(ctx, var, message, sharing)
            return


def _finding(ctx: RuleContext, at: Node, message: str, sharing: _Sharing) -> Finding:
    related = Related(
        sharing.node.start_byte,
        sharing.node.end_byte,
        "used concurrently here",
        path=sharing.file.source.path,
    )
    return ctx.finding(at, f"{message}: {_ADVICE}", related=[related])


def _sharing(
    ctx: RuleContext, function: Node, file: FileDecls, mention: re.Pattern[bytes]
) -> _Sharing | None:
    """How `function` shares the connection `mention` matches, if it does."""
    body = function.child_by_field_name("body")
    if body is None or not mention.search(body.text or b""):
        return None
    name = function_name(function) or "a function literal"
    for statement in go_statements(body):
        if mention.search(statement.text or b""):
            return _Sharing(f"from a goroutine in {name}", statement, file)
    if is_http_handler(ctx.facts, function):
        return _Sharing(
            f"by the HTTP handler {name}", function.child_by_field_name("name") or function, file
        )
    for literal in walk(body):
        if (
            literal.type == "func_literal"
            and mention.search(literal.text or b"")
            and is_http_handler(ctx.facts, literal)
        ):
            return _Sharing(f"by an HTTP handler in {name}", literal, file)
    if serves_requests_package(ctx.facts) and takes_context(ctx.facts, function):
        return _Sharing(
            f"by {name}, which serves requests",
            function.child_by_field_name("name") or function,
            file,
        )
    return None


def _struct_name(field: Node) -> str | None:
    """The name of the struct type a field declaration belongs to."""
    field_list = parent_of(field)
    struct = parent_of(field_list) if field_list is not None else None
    spec = parent_of(struct) if struct is not None else None
    if spec is None or spec.type != "type_spec":
        return None
    return text(spec.child_by_field_name("name"))


def _has_mutex(ctx: RuleContext, struct: str) -> bool:
    for _, type_node, file in ctx.facts.package.struct_fields(struct):
        resolved = file.resolve_type(type_node)
        if resolved is not None and any(resolved.is_type(p, n) for p, n in _MUTEXES):
            return True
    return False


def _check_local(ctx: RuleContext, declaration: Node) -> Iterator[Finding]:
    """``conn, err := pgx.Connect(...)`` used by a goroutine and by its starter."""
    left = declaration.child_by_field_name("left")
    target = left.named_child(0) if left is not None else None
    binding = ctx.facts.binding(target) if target is not None else None
    if binding is None or not ctx.facts.has_tag(ctx.facts.binding_type(binding), "pgx-conn"):
        return
    starts = _goroutines_using(ctx, binding)
    if not starts:
        return
    first = starts[0]
    shared = len(starts) > 1 or in_loop(first) is not None or _used_after(ctx, binding, first)
    if not shared:
        return
    yield ctx.finding(
        first,
        f"{binding.name} (*pgx.Conn) is used by a goroutine and by the code that starts it: "
        + _ADVICE,
    )


def _goroutines_using(ctx: RuleContext, binding: Binding) -> list[Node]:
    """The ``go`` statements whose literal uses `binding`, in source order."""
    found: list[Node] = []
    for use in ctx.facts.uses(binding):
        if not use.in_closure:
            continue
        statement = _go_statement_of(use.node, binding.function)
        if statement is not None and statement not in found:
            found.append(statement)
    return sorted(found, key=lambda n: n.start_byte)


def _go_statement_of(node: Node, function: Node) -> Node | None:
    current = parent_of(node)
    while current is not None and current != function:
        if current.type == "go_statement":
            return current
        current = parent_of(current)
    return None


def _used_after(ctx: RuleContext, binding: Binding, go: Node) -> bool:
    """A use of the connection by this function after the goroutine starts
    (closing it, deferred or not, is the end of sharing, not a use)."""
    for use in ctx.facts.uses(binding):
        if use.in_closure or use.node.start_byte < go.end_byte:
            continue
        if use.kind == UseKind.METHOD_CALL and use.path == "Close":
            continue
        if use.call is not None and is_deferred(use.call):
            continue
        return True
    return False
