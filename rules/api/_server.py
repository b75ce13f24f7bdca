"""What an ``http.Server`` value is configured with: its literal's keys, and
whether a read timeout is assigned to it later (``srv.ReadHeaderTimeout = d``)."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import ESCAPING, Facts, UseKind
from gobex.facts.syntax import arguments, expression_list, text, unparen, walk
from gobex.rule import RuleContext

HTTP = "net/http"
READ_TIMEOUTS = frozenset({"ReadHeaderTimeout", "ReadTimeout"})
_LOOPBACK = ("localhost:", "127.", "[::1]:")


SERVE_METHODS = frozenset({"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"})
# Package names of test support code (httptest, goproxytest, awstesting...).
_TEST_PACKAGE_SUFFIXES = ("test", "testing", "testutil", "testutils")


def in_test_code(ctx: RuleContext) -> bool:
    """A ``_test.go`` file or a test-support package (``package httptest``): its
    servers listen on loopback for tests."""
    if ctx.source.path.endswith("_test.go"):
        return True
    clause = next((c for c in ctx.source.root.named_children if c.type == "package_clause"), None)
    name = text(clause.named_child(0)) if clause is not None else ""
    return name.endswith(_TEST_PACKAGE_SUFFIXES)


def served(ctx: RuleContext, target: Node | None) -> bool:
    """The server held by the local variable `target` is served in its function
    (``srv.ListenAndServe()``, ``go srv.Serve(l)``)."""
    if target is None or target.type != "identifier":
        return False
    binding = ctx.facts.binding(target)
    if binding is None:
        return False
    return any(
        u.kind == UseKind.METHOD_CALL and u.path in SERVE_METHODS for u in ctx.facts.uses(binding)
    )


def is_loopback(ctx: RuleContext, address: Node | None) -> bool:
    """A constant listen address on the loopback interface (``"localhost:6060"``):
    only processes on the same host can connect, slow clients are not a threat."""
    if address is None:
        return False
    value = ctx.facts.const_string(address)
    return value is not None and value.startswith(_LOOPBACK)


def holder(node: Node) -> Node | None:
    """The variable (or field) a server value is assigned to when it is declared:
    ``srv`` in ``srv := &http.Server{...}``, ``s.srv`` in ``s.srv = ...``."""
    expression = node
    parent = expression.parent
    while parent is not None and (
        parent.type == "parenthesized_expression"
        or (
            parent.type == "unary_expression"
            and text(parent.child_by_field_name("operator")) == "&"
        )
    ):
        expression, parent = parent, parent.parent
    if parent is None or parent.type != "expression_list":
        return None
    statement = parent.parent
    if statement is None:
        return None
    if statement.type == "var_spec":
        targets = statement.children_by_field_name("name")
        values = expression_list(statement.child_by_field_name("value"))
    elif statement.type in ("short_var_declaration", "assignment_statement"):
        if statement.child_by_field_name("right") != parent:
            return None
        targets = expression_list(statement.child_by_field_name("left"))
        values = expression_list(parent)
    else:
        return None
    if len(targets) != len(values) or expression not in values:
        return None
    return unparen(targets[values.index(expression)])


def timeout_set_later(ctx: RuleContext, target: Node | None) -> bool:
    """A read timeout is assigned to the server held by `target` after it is built.

    A local variable that stays in its function is looked up in that function
    (``srv.ReadHeaderTimeout = 5 * time.Second``); a server stored in a field or
    package variable, returned or handed to a function may be configured
    anywhere, so any assignment of a read timeout to an ``http.Server`` in the
    package counts."""
    if target is not None and target.type == "identifier":
        binding = ctx.facts.binding(target)
        if binding is not None:
            uses = ctx.facts.uses(binding)
            if any(u.path in READ_TIMEOUTS and _assigned(u.expression) for u in uses):
                return True
            if not any(u.kind in ESCAPING and not u.path for u in uses):
                return False
    return _package_assigns_timeout(ctx)


def _assigned(selector: Node) -> bool:
    parent = selector.parent
    if parent is None or parent.type != "expression_list":
        return False
    statement = parent.parent
    return (
        statement is not None
        and statement.type == "assignment_statement"
        and statement.child_by_field_name("left") == parent
    )


def _package_assigns_timeout(ctx: RuleContext) -> bool:
    """Some file of the package assigns ``X.ReadHeaderTimeout``/``X.ReadTimeout``
    where X is an ``http.Server`` (or of a type Facts cannot tell)."""
    for file in ctx.facts.package.files:
        if b"ReadHeaderTimeout" not in file.source.data and b"ReadTimeout" not in file.source.data:
            continue
        facts = (
            ctx.facts
            if file.source is ctx.source
            else Facts(file.source, ctx.facts.package, ctx.facts.models)
        )
        for node in walk(file.source.root):
            if node.type != "assignment_statement":
                continue
            for target in expression_list(node.child_by_field_name("left")):
                left = unparen(target)
                if left.type != "selector_expression":
                    continue
                if text(left.child_by_field_name("field")) not in READ_TIMEOUTS:
                    continue
                operand = left.child_by_field_name("operand")
                if operand is None or _own_server(facts, operand):
                    continue
                operand_type = facts.type_of(operand)
                if operand_type is None or operand_type.deref().is_type(HTTP, "Server"):
                    return True
    return False


def _own_server(facts: Facts, operand: Node) -> bool:
    """`operand` is a local variable holding a server built in its own function
    (``srv := &http.Server{...}``, ``var srv http.Server``): assignments to it
    configure that server, which is checked on its own."""
    operand = unparen(operand)
    if operand.type != "identifier":
        return False
    binding = facts.binding(operand)
    if binding is None:
        return False
    if binding.value is None:
        return binding.type_node is not None and binding.type_node.type == "qualified_type"
    value = unparen(binding.value)
    if value.type == "unary_expression":
        inner = value.child_by_field_name("operand")
        value = unparen(inner) if inner is not None else value
    if value.type == "composite_literal":
        return True
    function = value.child_by_field_name("function") if value.type == "call_expression" else None
    return function is not None and text(function) == "new"


_LISTEN_FUNCTIONS = {("net", "Listen"), ("crypto/tls", "Listen")}


def loopback_listener(ctx: RuleContext, listener: Node | None) -> bool:
    """`listener` comes from ``net.Listen("tcp", "127.0.0.1:0")`` (or
    ``tls.Listen``) on a constant loopback address: directly, through a local
    variable, or through a struct field every assignment of which in the package
    is such a listener (``s.listener`` set by ``&Server{listener: l}``)."""
    return _loopback_listener(ctx.facts, listener, 0)


def _loopback_listener(facts: Facts, listener: Node | None, depth: int) -> bool:
    if listener is None or depth > 4:
        return False
    node = unparen(listener)
    if node.type == "call_expression":
        callee = facts.callee(node)
        args = arguments(node)
        if callee is None or (callee.package, callee.name) not in _LISTEN_FUNCTIONS:
            return False
        if len(args) < 2:
            return False
        address = facts.const_string(args[1])
        return address is not None and address.startswith(_LOOPBACK)
    if node.type == "identifier":
        binding = facts.binding(node)
        if binding is None or binding.value is None or binding.assignments:
            return False
        return _loopback_listener(facts, binding.value, depth + 1)
    if node.type == "selector_expression":
        field = text(node.child_by_field_name("field"))
        values = list(_field_values(facts, field))
        return bool(values) and all(
            _loopback_listener(owner, value, depth + 1) for owner, value in values
        )
    return False


def _field_values(facts: Facts, field: str) -> Iterator[tuple[Facts, Node]]:
    """Every value the package stores in a field named `field`: ``X{field: v}``
    and ``x.field = v``, with the facts of the file holding it."""
    encoded = field.encode()
    for file in facts.package.files:
        if encoded not in file.source.data:
            continue
        owner = (
            facts
            if file.source is facts.source
            else Facts(file.source, facts.package, facts.models)
        )
        for node in walk(file.source.root):
            if node.type == "keyed_element":
                parts = [c for c in node.named_children if c.type != "comment"]
                if len(parts) == 2 and text(parts[0]) == field:
                    value = parts[1].named_child(0) if parts[1].type == "literal_element" else None
                    yield owner, value if value is not None else parts[1]
            elif node.type == "assignment_statement":
                left = expression_list(node.child_by_field_name("left"))
                right = expression_list(node.child_by_field_name("right"))
                for index, written in enumerate(left):
                    target = unparen(written)
                    if (
                        target.type == "selector_expression"
                        and text(target.child_by_field_name("field")) == field
                    ):
                        # `s.l, err = net.Listen(...)`: the call, whatever its arity.
                        yield owner, right[index] if len(right) == len(left) else right[0]


def served_on_loopback(ctx: RuleContext, target: Node | None) -> bool:
    """The server held by the local variable `target` is served, and only with
    ``Serve``/``ServeTLS`` on loopback listeners (`loopback_listener`)."""
    if target is None or target.type != "identifier":
        return False
    binding = ctx.facts.binding(target)
    if binding is None:
        return False
    calls = [
        u.call
        for u in ctx.facts.uses(binding)
        if u.kind == UseKind.METHOD_CALL and u.path in SERVE_METHODS
    ]
    if not calls:
        return False
    for call in calls:
        if call is None or not text(call.child_by_field_name("function")).endswith(
            (".Serve", ".ServeTLS")
        ):
            return False
        args = arguments(call)
        if not args or not loopback_listener(ctx, args[0]):
            return False
    return True
