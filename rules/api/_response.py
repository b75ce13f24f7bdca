"""What happens to an ``*http.Response`` after the call that returned it: is its
body closed on every way out, handed on, or used before the error is checked?

The semantics are the bodyclose linter's: a response is fine when
``resp.Body.Close()`` runs in any form (deferred, in a deferred closure,
explicitly on every path, through a helper), or when the response or its body
is handed to someone else (returned, stored, passed to a function, captured by
a closure). The response is only valid where the request succeeded, so ways
out taken when ``err != nil`` (or ``resp == nil``) need no close, and a close
under ``if resp != nil``, ``if resp.Body != nil``, ``if err == nil`` or in the
``else`` of ``if err != nil`` counts as unconditional.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import ESCAPING, Binding, BindingKind, Use, UseKind, flow
from gobex.facts.syntax import arguments, enclosing_function, is_inside, text, unparen, walk
from gobex.gotypes import BUILTIN, LOCAL, GoType
from gobex.rule import RuleContext

TAG = "http-response"
HTTP = "net/http"
_LOOP_EXITS = ("continue_statement", "break_statement")
_BREAKABLE = ("expression_switch_statement", "type_switch_statement", "select_statement")


@dataclass(frozen=True)
class Outcome:
    """How the body of one bound response is looked after."""

    never_closed: bool  # no close of any kind, and the response is not handed on
    leak: Node | None  # a way out that skips the close


def body_outcome(
    ctx: RuleContext,
    binding: Binding,
    declaration: Node,
    error: Binding | None,
    release: frozenset[str],
) -> Outcome:
    """Whether the response held by `binding` (assigned at `declaration`, with its
    error in `error`) has its body closed on every way out; `release` holds the
    member paths that close it (``Body.Close``)."""
    facts = ctx.facts
    if binding.kind == BindingKind.RESULT or any(_hands_on(u) for u in facts.uses(binding)):
        return Outcome(never_closed=False, leak=None)
    uses = [u for u in facts.uses(binding) if u.node.start_byte >= declaration.start_byte]
    # The release paths come from the model of the response type (`Body.Close`),
    # also when the variable was declared with a type Facts cannot tell.
    releasing = [
        u for u in uses if (u.kind == UseKind.METHOD_CALL and u.path in release) or closes_body(u)
    ]
    if not releasing:
        return Outcome(never_closed=True, leak=None)
    if declaration.type == "assignment_statement":
        # `resp, err = c.Do(req)` re-assigns a variable declared elsewhere, often
        # in a retry loop checked after it: only "never closed" is certain.
        return Outcome(never_closed=False, leak=None)
    validity = _Validity(ctx, binding, declaration, error)
    closes = [u.call if u.call is not None else u.node for u in releasing]
    guards = closes + [g for g in (validity.lift(c) for c in closes) if g not in closes]
    return Outcome(
        never_closed=False, leak=_first_leak(binding, declaration, uses, guards, validity)
    )


def body_consumed_by_callee(ctx: RuleContext, call: Node) -> bool:
    """A local function that reads the body itself and returns the response for
    its status and headers: it closes a body (``resp.Body.Close()``) somewhere in
    its declaration, or it also returns the body's content (``(*http.Response,
    []byte, error)``, chi's ``testRequest`` returning ``(*http.Response, string)``)."""
    callee = ctx.facts.callee(call)
    if callee is None or callee.declaration is None:
        return False
    declaration, _ = callee.declaration
    results = ctx.facts.result_types(call) or ()
    if any(r is not None and (r.is_type(BUILTIN, "string") or _is_bytes(r)) for r in results):
        return True
    return any(
        n.type == "call_expression"
        and text(n.child_by_field_name("function")).endswith(".Body.Close")
        for n in walk(declaration)
    )


def bodiless_request(ctx: RuleContext, call: Node) -> bool:
    """A HEAD request (``http.Head``, ``client.Head``, or ``Do``/``RoundTrip`` of a
    request built with method ``"HEAD"``/``http.MethodHead``): its response has
    no body, the transport gives the connection back by itself."""
    facts = ctx.facts
    callee = facts.callee(call)
    if callee is None or callee.package != HTTP:
        return False
    if callee.name == "Head":
        return True
    if callee.name not in ("Do", "RoundTrip"):
        return False
    args = arguments(call)
    if not args or unparen(args[0]).type != "identifier":
        return False
    request = facts.binding(args[0])
    if request is None or request.assignments or request.value is None:
        return False
    built = unparen(request.value)
    if built.type != "call_expression":
        return False
    constructor = facts.callee(built)
    if constructor is None or constructor.package != HTTP:
        return False
    index = {"NewRequest": 0, "NewRequestWithContext": 1}.get(constructor.name)
    built_args = arguments(built)
    if index is None or index >= len(built_args):
        return False
    method = unparen(built_args[index])
    if facts.const_string(method) == "HEAD":
        return True
    return (
        method.type == "selector_expression"
        and text(method.child_by_field_name("field")) == "MethodHead"
        and facts.package_ref(method.child_by_field_name("operand")) == HTTP
    )


def _is_bytes(go_type: GoType) -> bool:
    return (
        go_type.kind == "slice"
        and go_type.elem is not None
        and (go_type.elem.is_type(BUILTIN, "byte") or go_type.elem.is_type(BUILTIN, "uint8"))
    )


def closes_body(use: Use) -> bool:
    """A use that closes (or arranges to close) the body besides ``resp.Body.Close()``:
    ``resp.Body`` or ``resp`` handed to a deferred call, or to a function whose name
    says it closes (``closeQuietly(resp.Body)``, ``xio.DrainAndClose(resp.Body)``)."""
    if use.kind not in (UseKind.PASSED, UseKind.OTHER) or use.call is None:
        return False
    if use.path not in ("", "Body"):
        return False
    if use.deferred and not use.in_closure:
        return True
    function = use.call.child_by_field_name("function")
    name = text(function).rsplit(".", 1)[-1] if function is not None else ""
    return "close" in name.lower()


def _hands_on(use: Use) -> bool:
    """`use` gives the response or its body to someone else: returned, stored,
    sent, aliased, consumed, captured by a closure, or passed to a function (the
    body only to a local one, which may close it). Reading other fields
    (``resp.StatusCode`` passed to an assertion) hands nothing on."""
    if use.path and use.path != "Body" and not use.path.startswith("Body."):
        return False
    if use.kind == UseKind.CONSUMED:
        return True
    if use.in_closure:
        return True
    if use.kind not in ESCAPING:
        return False
    if use.kind == UseKind.PASSED and use.path:
        return use.callee is None or use.callee.package == LOCAL
    return True


class _Validity:
    """Where the response is known to be valid or known to be nil."""

    def __init__(
        self, ctx: RuleContext, binding: Binding, declaration: Node, error: Binding | None
    ) -> None:
        self.ctx = ctx
        self.binding = binding
        self.declaration = declaration
        self.error = error

    def _is_error(self, node: Node, at: Node) -> bool:
        """`node` is the call's error variable, not re-assigned before `at`."""
        error = self.error
        if error is None or unparen(node).type != "identifier":
            return False
        if self.ctx.facts.binding(node) is not error:
            return False
        return not any(
            self.declaration.end_byte <= a.start_byte < at.start_byte for a in error.assignments
        )

    def _is_response(self, node: Node, *, body: bool) -> bool:
        node = unparen(node)
        if body and node.type == "selector_expression":
            if text(node.child_by_field_name("field")) != "Body":
                return False
            operand = node.child_by_field_name("operand")
            node = unparen(operand) if operand is not None else node
        return node.type == "identifier" and self.ctx.facts.binding(node) is self.binding

    def branches(self, statement: Node) -> tuple[Node | None, Node | None]:
        """(valid, invalid) branches of an ``if``: where the response is usable and
        where it is nil; None where the condition does not tell."""
        if statement.type != "if_statement":
            return None, None
        condition = statement.child_by_field_name("condition")
        if condition is None or condition.type != "binary_expression":
            return None, None
        then = statement.child_by_field_name("consequence")
        other = statement.child_by_field_name("alternative")
        operator = condition.child_by_field_name("operator")
        if operator is not None and operator.type == "&&":
            # `resp != nil && resp.Body != nil`: valid when every part says so.
            parts = _operands(condition, "&&")
            if all(self._valid_when_true(p, statement) for p in parts):
                return then, None
            return None, None
        if operator is not None and operator.type == "||":
            # `err != nil || resp == nil`: invalid when any part says so.
            parts = _operands(condition, "||")
            if all(self._valid_when_false(p, statement) for p in parts):
                return other, then
            return None, None
        if self._valid_when_true(condition, statement):
            return then, other
        if self._valid_when_false(condition, statement):
            return other, then
        return None, None

    def _valid_when_true(self, condition: Node, at: Node) -> bool:
        return self._nil_test(condition, at) in (("response", "!="), ("error", "=="))

    def _valid_when_false(self, condition: Node, at: Node) -> bool:
        return self._nil_test(condition, at) in (("response", "=="), ("error", "!="))

    def _nil_test(self, condition: Node, at: Node) -> tuple[str, str] | None:
        """("response"|"error", "=="|"!=") for ``resp == nil``, ``err != nil``..."""
        condition = unparen(condition)
        if condition.type != "binary_expression":
            return None
        left = condition.child_by_field_name("left")
        right = condition.child_by_field_name("right")
        operator = condition.child_by_field_name("operator")
        if left is None or right is None or operator is None or right.type != "nil":
            return None
        if operator.type not in ("==", "!="):
            return None
        if self._is_response(left, body=True):
            return "response", operator.type
        if self._is_error(left, at):
            return "error", operator.type
        return None

    def lift(self, node: Node) -> Node:
        """`node`, or the ``if`` it runs under when it always runs on the branch
        where the response is valid (``if resp != nil { resp.Body.Close() }``):
        for the paths that matter that ``if`` runs it unconditionally."""
        function = enclosing_function(node)
        while True:
            statement = flow.statement_of(node)
            holder = statement.parent  # statement_list
            block = holder.parent if holder is not None else None
            branch_owner = block.parent if block is not None else None
            if (
                block is None
                or block.type != "block"
                or branch_owner is None
                or enclosing_function(branch_owner) != function
                or branch_owner.start_byte < self.declaration.end_byte
            ):
                return node
            valid, _ = self.branches(branch_owner)
            if valid != block:
                return node
            node = branch_owner

    def invalid_here(self, node: Node) -> bool:
        """`node` runs only where the request failed (``if err != nil { ... }``)."""
        current = node.parent
        while current is not None and current.start_byte >= self.declaration.end_byte:
            if current.type == "if_statement":
                _, invalid = self.branches(current)
                if invalid is not None and is_inside(node, invalid):
                    return True
            current = current.parent
        return False


def _operands(condition: Node, operator_type: str) -> list[Node]:
    """The operands of a chain of ``&&`` (or ``||``)."""
    condition = unparen(condition)
    operator = condition.child_by_field_name("operator")
    if condition.type != "binary_expression" or operator is None or operator.type != operator_type:
        return [condition]
    left = condition.child_by_field_name("left")
    right = condition.child_by_field_name("right")
    if left is None or right is None:
        return [condition]
    return _operands(left, operator_type) + _operands(right, operator_type)


def _first_leak(
    binding: Binding,
    declaration: Node,
    uses: list[Use],
    guards: list[Node],
    validity: _Validity,
) -> Node | None:
    """A way out of the response's scope after `declaration` that none of the
    `guards` (closes, lifted out of validity checks) runs before."""
    function = binding.function
    body = function.child_by_field_name("body")
    if body is None:
        return None
    scope = binding.scope
    decl_statement = flow.statement_of(declaration)
    decl_block = decl_statement.parent

    def guarded(target: Node) -> bool:
        return any(flow.dominates(g, target) for g in guards)

    def hands_on(exit_node: Node) -> bool:
        return any(
            is_inside(u.node, exit_node)
            and (_hands_on(u) or (u.call is not None and u.call in guards))
            for u in uses
        )

    for exit_node in _exits(function, scope, declaration):
        if validity.invalid_here(exit_node) or hands_on(exit_node) or guarded(exit_node):
            continue
        return exit_node
    # Falling off the end of the scope.
    if scope == body:
        if not flow.ends_without_return(function):
            return None
    elif decl_block is None or decl_block.type != "statement_list":
        return None
    else:
        last = next((c for c in reversed(decl_block.named_children) if c.type != "comment"), None)
        if last is None or last.type in ("return_statement", *_LOOP_EXITS):
            return None
    if any(
        flow.statement_of(g).parent == decl_block and g.start_byte >= decl_statement.end_byte
        for g in guards
    ):
        return None
    end = scope.child(scope.child_count - 1)
    return end if end is not None else scope


def _exits(function: Node, scope: Node, declaration: Node) -> list[Node]:
    """Returns after `declaration` inside `scope`, and when `scope` is a loop body,
    the ``continue`` and ``break`` statements that leave it."""
    exits = [
        r
        for r in flow.returns_of(function)
        if r.start_byte >= declaration.end_byte and is_inside(r, scope)
    ]
    loop = scope.parent
    if loop is None or loop.type != "for_statement":
        return exits
    stack: list[tuple[Node, bool]] = [(scope, False)]
    while stack:
        current, in_switch = stack.pop()
        if current.type == "continue_statement" or (
            current.type == "break_statement" and not in_switch
        ):
            if current.start_byte >= declaration.end_byte:
                exits.append(current)
            continue
        nested_switch = in_switch or current.type in _BREAKABLE
        stack.extend(
            (c, nested_switch)
            for c in current.named_children
            if c.type not in ("func_literal", "for_statement")
        )
    return sorted(exits, key=lambda n: n.start_byte)


@dataclass(frozen=True)
class PrematureDefer:
    """``defer resp.Body.Close()`` right after the call, before ``err`` is checked."""

    statement: Node  # the defer statement
    check: Node | None  # the ``if err != nil`` right after it, when there is one


def premature_defer(
    ctx: RuleContext, binding: Binding, declaration: Node, error_name: str | None
) -> PrematureDefer | None:
    """The defer that uses the response before its error is checked (vet
    httpresponse): the statement right after the call is a ``defer`` whose call
    is rooted at the response (``defer resp.Body.Close()``)."""
    if error_name is None:
        return None
    following = next_statement(declaration)
    if following is None or following.type != "defer_statement":
        return None
    call = next((c for c in following.named_children if c.type == "call_expression"), None)
    if call is None:
        return None
    function = call.child_by_field_name("function")
    root = _root_identifier(function) if function is not None else None
    if root is None or ctx.facts.binding(root) is not binding:
        return None
    after = next_statement(following)
    check = after if after is not None and _checks_error(after, error_name) else None
    return PrematureDefer(following, check)


def next_statement(statement: Node) -> Node | None:
    following = flow.statement_of(statement).next_named_sibling
    while following is not None and following.type == "comment":
        following = following.next_named_sibling
    return following


def _root_identifier(node: Node) -> Node | None:
    """``x`` of a selector chain ``x.y.z``."""
    node = unparen(node)
    while node.type == "selector_expression":
        operand = node.child_by_field_name("operand")
        if operand is None:
            return None
        node = unparen(operand)
    return node if node.type == "identifier" else None


def _checks_error(statement: Node, error_name: str) -> bool:
    """``if err != nil { ... }`` (no initializer)."""
    if statement.type != "if_statement" or statement.child_by_field_name("initializer"):
        return False
    condition = statement.child_by_field_name("condition")
    if condition is None or condition.type != "binary_expression":
        return False
    left = condition.child_by_field_name("left")
    right = condition.child_by_field_name("right")
    operator = condition.child_by_field_name("operator")
    return (
        left is not None
        and right is not None
        and operator is not None
        and operator.type == "!="
        and text(left) == error_name
        and right.type == "nil"
    )
