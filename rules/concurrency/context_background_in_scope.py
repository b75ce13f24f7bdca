"""`context.Background()` or `context.TODO()` where the caller's context is in scope.

## What it does
Reports `context.Background()` and `context.TODO()` (under any import name,
`golang.org/x/net/context` too) inside a function that receives a
`context.Context`, or an `*http.Request` (whose context is `r.Context()`), or
inside a closure run while it waits (a callback, a retry helper's func). The
context in scope must be the caller's: a parameter or a local derived from one
(`ctx, cancel := context.WithTimeout(ctx, d)`, `ctx := r.Context()`). Left
alone, because the context is gone there or the work must outlive it:

- calls in a `go func() { ... }()` started there, in a `defer` or a deferred
  func literal, in a func literal that is stored, appended, returned or
  registered to run later (`time.AfterFunc`, `t.Cleanup`, `RegisterOnShutdown`);
- the `case <-ctx.Done():` of a `select`, and code after a `<-ctx.Done()` wait;
- contexts that end in a cleanup call (`srv.Shutdown`, `Close`, `Stop`,
  `Rollback`, `Release`...), and contexts stored in a struct field or a
  composite literal (`cc.ctx, cc.cancel = context.WithCancel(context.Background())`,
  `queue <- job{ctx: bg}`): the value outlives the call;
- the oauth2 idiom `context.WithValue(context.Background(), oauth2.HTTPClient, c)`
  (the context only carries a client for a token source that is kept);
- `if ctx == nil { ctx = context.Background() }` and `ctx != context.Background()`;
- a statement whose comment gives the reason (`detach`, `outlive`, `cancelled`,
  `lifetime`, `on purpose`...), and functions whose doc comment says they detach;
- contexts the function made itself (`ctx := context.Background()`, `ctx :=
  opts.Ctx`) and requests it built (`req, _ := http.NewRequest(...)`);
- `main`, `init` and `_test.go` files (a test's context ends with the test);
- the context argument of a database/sql, sqlx or pgx method: PG005
  (`query-without-context`) owns it and reports it once. CQL007 reports gocql
  queries without `WithContext`; `WithContext(context.Background())` is reported
  here. `context.WithoutCancel(ctx)` (Go 1.21+), which keeps the caller's values
  but not its cancellation, is the way to detach on purpose and is never reported.

The fix (unsafe: it changes cancellation) replaces the call with the context
in scope, `ctx` or `r.Context()`; it is not offered when the `context` import
would be left unused.

## Why is this bad
`context.Background()` cuts the call off from the caller's deadline and
cancellation: when the client disconnects, the request times out or the
server shuts down, the outgoing RPC, query or HTTP call keeps running to its
own end, holding a connection and a goroutine for a result nobody reads.
Under load those orphaned calls pile up behind a slow dependency and the
service runs out of connections instead of shedding work. It also drops the
context's values: trace spans and request IDs stop at this call.

## Example
```go
func (s *Service) Profile(ctx context.Context, id string) (*Profile, error) {
        user, err := s.users.Get(context.Background(), id)
        if err != nil {
                return nil, err
        }
        return s.render(ctx, user)
}
```

## Use instead
```go
func (s *Service) Profile(ctx context.Context, id string) (*Profile, error) {
        user, err := s.users.Get(ctx, id)
        if err != nil {
                return nil, err
        }
        return s.render(ctx, user)
}
```
"""

import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Binding, BindingKind, ContextRef, Facts
from gobex.facts.flow import is_deferred
from gobex.facts.syntax import (
    arguments,
    call_function_parts,
    enclosing_function,
    outer_holder,
    parent,
    text,
    top_level_declaration,
    unparen,
    walk,
    walk_same_function,
)
from gobex.finding import Finding, Severity, TextEdit
from gobex.rule import Match, Rule, RuleContext, Scope

from .._shared.test_files import is_test_file
from ..postgres import SQL_PACKAGES
from ..postgres._context import context_argument, is_root_context, request_context
from ._goroutines import in_main_or_init

RULE = Rule(
    code="CON013",
    name="context-background-in-scope",
    severity=Severity.WARNING,
    packages=("context",),
    query="""
(call_expression
  function: (selector_expression
    field: (field_identifier) @root (#match? @root "^(Background|TODO)$"))) @call
""",
    doc=__doc__ or "",
    fixable=True,
    scope=Scope.DECLARATION,
)

# Calls whose func-literal argument runs later, after the caller may be gone.
_LATER = re.compile(
    r"^(AfterFunc|Cleanup|RegisterOnShutdown|OnShutdown|OnStop|OnClose|SetFinalizer"
    r"|AddCleanup|Defer|Register\w*Hook|Add\w*Hook)$"
)
# Calls that clean up: they must run even when the caller's context is done.
_CLEANUP = re.compile(
    r"^(Shutdown|GracefulStop|Close\w*|Stop\w*|Rollback|Release|Unlock|Abort|Cancel\w*"
    r"|Delete\w*|Remove\w*|Drain|Flush|Cleanup|Teardown|Deregister|Unregister|Unsubscribe)$"
)
_DETACHES_DOC = re.compile(r"(?i)detach|outliv|independent(ly)? of")


@RULE.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    call = match["call"]
    facts = ctx.facts
    if is_test_file(ctx.source) or not is_root_context(facts, call):
        return
    if _compared(call):
        return  # `if ctx != context.Background()`: a sentinel test, not a use
    scope = _callers_context(ctx, call)
    if scope is None or _detached(ctx, call, scope) or _owned_by_pg005(ctx, call):
        return
    function = call.child_by_field_name("function")
    name = text(function)
    fix = None
    if _import_still_used(call, function):
        fix = ctx.fix(
            f"Use `{scope.expression}`",
            [TextEdit(call.start_byte, call.end_byte, scope.expression)],
            unsafe=True,
        )
    yield ctx.finding(
        call,
        f"{name}() while {scope.expression} is in scope: "
        "the call ignores the caller's cancellation and deadline",
        fixes=[fix],
    )


def _import_still_used(call: Node, function: Node | None) -> bool:
    """The file names the context package for something other than Background/TODO
    (a ``context.Context`` parameter, a ``WithTimeout``) in the declaration of
    `call` or in the skeleton of the others (signatures, types, variables): the
    import stays used once every root context is replaced."""
    operand = function.child_by_field_name("operand") if function is not None else None
    declaration = top_level_declaration(call)
    if operand is None or declaration is None:
        return False
    qualifier = text(operand)
    if any(_names_package(n, qualifier) for n in walk(declaration)):
        return True
    root = parent(declaration)
    for top in root.named_children if root is not None else ():
        body = top.child_by_field_name("body")
        stack = [top] if top != declaration else []
        while stack:
            node = stack.pop()
            if _names_package(node, qualifier):
                return True
            stack.extend(c for c in node.named_children if c != body)
    return False


def _names_package(node: Node, qualifier: str) -> bool:
    if node.type == "qualified_type":
        return text(node.child_by_field_name("package")) == qualifier
    if node.type != "selector_expression":
        return False
    named = text(node.child_by_field_name("operand")) == qualifier
    return named and text(node.child_by_field_name("field")) not in ("Background", "TODO")


def _callers_context(ctx: RuleContext, call: Node) -> ContextRef | None:
    """The caller's context at `call`: a context parameter, a local derived from
    one (``ctx, cancel := context.WithTimeout(ctx, d)``, ``ctx := r.Context()``),
    or ``r.Context()`` of a request parameter."""
    scope = request_context(ctx.facts, call)
    if scope is None:
        return None
    if scope.expression.endswith(".Context()"):
        return scope if scope.binding.kind == BindingKind.PARAM else None
    return scope if _from_parameter(ctx.facts, scope.binding) else None


def _from_parameter(facts: Facts, binding: Binding) -> bool:
    """The context held by `binding` is a parameter, or derived from one (through
    ``context.With*``, a copy, or ``r.Context()`` of a request parameter)."""
    for _ in range(_MAX_DERIVATIONS):
        if binding.kind == BindingKind.PARAM:
            return True
        if binding.value is None:
            return False
        value = unparen(binding.value)
        while value.type == "call_expression":
            operand, name = call_function_parts(value)
            if name == "Context" and operand is not None and not arguments(value):
                request = facts.binding(unparen(operand))
                request_type = facts.binding_type(request) if request is not None else None
                return (
                    request is not None
                    and request.kind == BindingKind.PARAM
                    and request_type is not None
                    and request_type.is_type("net/http", "Request")
                )
            parent_context = context_argument(facts, value)
            if parent_context is None:
                return False
            value = unparen(parent_context)
        if value.type != "identifier":
            return False
        outer = facts.binding(value)
        if outer is None:
            return False
        binding = outer
    return False


_MAX_DERIVATIONS = 8


def _detached(ctx: RuleContext, call: Node, scope: ContextRef) -> bool:
    """The call runs when the caller's context is gone, or is meant to outlive it."""
    facts = ctx.facts
    if in_main_or_init(facts, call) or is_deferred(call):
        return True
    owner = scope.binding.function
    function = enclosing_function(call)
    while function is not None and function.type == "func_literal":
        if _runs_later(function):
            return True
        if function == owner:
            break
        function = enclosing_function(function)
    if function is not None and function.type != "func_literal" and _documents_detach(function):
        return True
    return (
        _after_done(call, scope, owner)
        or _nil_guard(call, scope, owner)
        or _feeds_cleanup(ctx, call)
        or _stored(ctx, call)
        or _explained(call)
    )


def _compared(call: Node) -> bool:
    _, above = outer_holder(call)
    if above is None or above.type != "binary_expression":
        return False
    operator = above.child_by_field_name("operator")
    return operator is not None and operator.type in ("==", "!=")


def _nil_guard(call: Node, scope: ContextRef, owner: Node) -> bool:
    """``if ctx == nil { ctx = context.Background() }``: a default for a caller
    that passed no context."""
    guard = re.compile(rf"\b{re.escape(scope.binding.name)}\s*==\s*nil\b")
    current = parent(call)
    while current is not None and current != owner:
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            consequence = current.child_by_field_name("consequence")
            if (
                condition is not None
                and consequence is not None
                and guard.search(text(condition))
                and consequence.start_byte <= call.start_byte < consequence.end_byte
            ):
                return True
        current = parent(current)
    return False


def _runs_later(literal: Node) -> bool:
    """A func literal that is not run while the caller waits: started with ``go``,
    deferred, stored, returned, or registered as a callback for later."""
    holder = parent(literal)
    if holder is None:
        return False
    if holder.type == "call_expression" and holder.child_by_field_name("function") == literal:
        above = parent(holder)
        return above is not None and above.type in ("go_statement", "defer_statement")
    if holder.type == "argument_list":
        call = parent(holder)
        if call is None:
            return False
        _, name = call_function_parts(call)
        return name == "append" or bool(_LATER.match(name))
    if holder.type == "parenthesized_expression":
        return _runs_later(holder)
    return holder.type in (
        "expression_list",
        "keyed_element",
        "literal_element",
        "return_statement",
        "var_spec",
        "send_statement",
    )


def _documents_detach(function: Node) -> bool:
    """The doc comment of `function` says it detaches from the caller's context."""
    comment = function.prev_named_sibling
    while comment is not None and comment.type == "comment":
        if comment.end_point.row + 1 < function.start_point.row:
            return False
        if _DETACHES_DOC.search(text(comment)):
            return True
        function, comment = comment, comment.prev_named_sibling
    return False


def _after_done(call: Node, scope: ContextRef, owner: Node) -> bool:
    """The call runs in ``case <-ctx.Done():`` of a ``select``, or after a
    ``<-ctx.Done()`` wait of its own: the caller's context is cancelled there."""
    name = scope.binding.name
    current = parent(call)
    while current is not None and current != owner:
        if current.type == "communication_case" and _receives_done(
            current.child_by_field_name("communication"), name
        ):
            return True
        current = parent(current)
    body = owner.child_by_field_name("body")
    if body is None:
        return False
    for node in walk_same_function(body):
        if node.start_byte >= call.start_byte:
            continue
        if node.type == "expression_statement" and _receives_done(node, name):
            return True
    return False


def _receives_done(node: Node | None, name: str) -> bool:
    """``<-ctx.Done()`` (also as a ``case`` receive statement)."""
    if node is None:
        return False
    if node.type == "receive_statement":
        right = node.child_by_field_name("right")
        return right is not None and _receives_done(right, name)
    if node.type == "expression_statement" and node.named_child_count:
        inner = node.named_child(0)
        return inner is not None and _receives_done(inner, name)
    if node.type != "unary_expression":
        return False
    operator = node.child_by_field_name("operator")
    operand = node.child_by_field_name("operand")
    if operator is None or operator.type != "<-" or operand is None:
        return False
    operand = unparen(operand)
    if operand.type != "call_expression":
        return False
    receiver, method = call_function_parts(operand)
    return method == "Done" and receiver is not None and text(receiver) == name


def _feeds_cleanup(ctx: RuleContext, call: Node) -> bool:
    """The root context ends in a cleanup call: passed to one directly, or derived
    (``context.WithTimeout(context.Background(), d)``) into a variable that is."""
    consumer = _consumer(call)
    if consumer is None:
        return False
    _, name = call_function_parts(consumer)
    if _CLEANUP.match(name):
        return True
    if not _derives(ctx, consumer):
        return False
    derived = _bound_name(consumer)
    if derived is None:
        return False
    function = enclosing_function(consumer)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return False
    for node in walk_same_function(body):
        if node.type != "call_expression" or node.start_byte < consumer.end_byte:
            continue
        if any(text(unparen(a)) == derived for a in arguments(node)):
            _, used_by = call_function_parts(node)
            if _CLEANUP.match(used_by):
                return True
    return False


def _stored(ctx: RuleContext, call: Node) -> bool:
    """The root context, or one derived from it, is stored in a struct field or a
    composite literal (``cc.ctx, cc.cancel = context.WithCancel(context.Background())``,
    ``&Job{ctx: context.Background()}``): the value it belongs to outlives the
    call, so its context must not end with the caller's. Also the oauth2 idiom
    ``context.WithValue(context.Background(), oauth2.HTTPClient, c)``, whose
    context carries a client for a token source that is kept."""
    value = call
    consumer = _consumer(call)
    if consumer is not None and _derives(ctx, consumer):
        args = arguments(consumer)
        if len(args) > 1 and text(args[1]).endswith(".HTTPClient"):
            return True
        value = consumer
    value, holder = outer_holder(value)
    if holder is None:
        return False
    if holder.type in ("keyed_element", "literal_element"):
        return True
    if holder.type != "expression_list":
        return False
    statement = parent(holder)
    if statement is None or statement.type not in ("assignment_statement", "short_var_declaration"):
        return False
    left = statement.child_by_field_name("left")
    targets = [c for c in left.named_children if c.type != "comment"] if left is not None else []
    if any(t.type in ("selector_expression", "index_expression") for t in targets):
        return True
    name = text(targets[0]) if targets and targets[0].type == "identifier" else None
    function = enclosing_function(statement)
    body = function.child_by_field_name("body") if function is not None else None
    if name is None or body is None:
        return False
    for node in walk_same_function(body):
        if node.start_byte < statement.end_byte or node.type != "identifier" or text(node) != name:
            continue
        above = parent(node)
        if above is not None and above.type in ("keyed_element", "literal_element"):
            return True
        if above is not None and above.type == "expression_list":
            assignment = parent(above)
            target = assignment.child_by_field_name("left") if assignment is not None else None
            if (
                assignment is not None
                and assignment.type == "assignment_statement"
                and target is not None
                and target != above
                and any(t.type == "selector_expression" for t in target.named_children)
            ):
                return True
    return False


def _derives(ctx: RuleContext, call: Node) -> bool:
    """``context.WithCancel/WithTimeout/WithValue/...``: a context derived from its
    first argument."""
    callee = ctx.facts.callee(call)
    return (
        callee is not None
        and callee.spec is not None
        and callee.package == "context"
        and callee.spec.context == 0
    )


_INTENT = re.compile(
    r"(?i)detach|outliv|independent|cancel+ed|lifetime|long[- ]lived|hold onto"
    r"|on purpose|intentional|deliberate|not (be )?tied"
)


def _explained(call: Node) -> bool:
    """A comment on the statement's line, or just above it, explains the choice
    ("we cannot hold onto the first context: it might have been cancelled")."""
    statement = call
    above = parent(statement)
    while above is not None and above.type not in ("statement_list", "block", "source_file"):
        statement, above = above, parent(above)
    comment = _previous(statement)
    row = statement.start_point.row
    while comment is not None and comment.type == "comment" and comment.end_point.row >= row - 1:
        if _INTENT.search(text(comment)):
            return True
        row = comment.start_point.row
        comment = _previous(comment)
    following = statement.next_sibling
    return (
        following is not None
        and following.type == "comment"
        and following.start_point.row == statement.end_point.row
        and bool(_INTENT.search(text(following)))
    )


def _previous(node: Node) -> Node | None:
    """The sibling before `node`; for the first statement of a block, what precedes
    the statement list (a comment opening the block sits outside the list)."""
    if node.prev_sibling is not None:
        return node.prev_sibling
    above = parent(node)
    return above.prev_sibling if above is not None and above.type == "statement_list" else None


def _consumer(call: Node) -> Node | None:
    """The call that `call` is an argument of."""
    _, above = outer_holder(call)
    if above is None or above.type != "argument_list":
        return None
    return parent(above)


def _bound_name(call: Node) -> str | None:
    """The first name on the left of ``ctx, cancel := call`` (or ``=``)."""
    right = parent(call)
    statement = parent(right) if right is not None else None
    if right is None or statement is None or right.type != "expression_list":
        return None
    if statement.type not in ("short_var_declaration", "assignment_statement"):
        return None
    left = statement.child_by_field_name("left")
    names = [c for c in left.named_children if c.type != "comment"] if left is not None else []
    return text(names[0]) if names and names[0].type == "identifier" else None


def _owned_by_pg005(ctx: RuleContext, call: Node) -> bool:
    """The context argument of a database/sql, sqlx or pgx method: PG005 decides
    (it reports it, or leaves a release call's cleanup context alone)."""
    consumer = _consumer(call)
    if consumer is None:
        return False
    callee = ctx.facts.callee(consumer)
    if callee is None or callee.spec is None or callee.spec.context is None:
        return False
    if callee.package not in SQL_PACKAGES or callee.receiver is None:
        return False
    args = arguments(consumer)
    index = callee.spec.context
    return index < len(args) and unparen(args[index]) == call
