"""What is done to one gocql query (or batch) between its creation and its execution.

gocql builds queries fluently (``s.Query(stmt).WithContext(ctx).Consistency(c).Exec()``)
or through a variable (``q := s.Query(stmt); q.PageState(p); iter := q.Iter()``).
`QueryChain` collects, from the call that creates the query (`origin`), every
method called on it: chained, or on the local variables it is kept in. When the
query leaves the function's sight (returned, stored, passed to a function, kept
in a second variable), the chain is not `complete`: other code may call more.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import ESCAPING, Binding, Facts, UseKind
from gobex.facts.syntax import (
    call_function_parts,
    expression_list,
    outer_holder,
    parent,
    text,
    unparen,
)

_MAX_STEPS = 200
_ORIGINS = {
    "Session": frozenset({"Query", "Bind", "NewBatch", "Batch"}),
}
_ORIGIN_FUNCTIONS = frozenset({"NewBatch"})


@dataclass(frozen=True)
class ChainCall:
    """One method called on the query: its name and the call."""

    name: str
    call: Node


@dataclass(frozen=True)
class QueryChain:
    origin: Node  # the Session.Query/Bind/NewBatch/Batch (or gocql.NewBatch) call
    calls: tuple[ChainCall, ...]  # methods called on the query, in source order
    complete: bool  # no use outside this function's sight

    def find(self, *names: str) -> ChainCall | None:
        return next((c for c in self.calls if c.name in names), None)

    def all(self, *names: str) -> list[ChainCall]:
        return [c for c in self.calls if c.name in names]

    @property
    def statement(self) -> Node | None:
        """The statement argument of a Query/Bind origin."""
        args = self.origin.child_by_field_name("arguments")
        if args is None:
            return None
        values = [a for a in args.named_children if a.type != "comment"]
        _, name = call_function_parts(self.origin)
        return values[0] if values and name in ("Query", "Bind") else None


def method_range(call: Node) -> tuple[int, int]:
    """From a method call's name to its end (``Exec()`` of a multi-line chain):
    where a finding about that call reads best."""
    function = call.child_by_field_name("function")
    field = function.child_by_field_name("field") if function is not None else None
    return (field.start_byte if field is not None else call.start_byte), call.end_byte


def is_origin(facts: Facts, call: Node) -> bool:
    """A call that creates a gocql query or batch."""
    callee = facts.callee(call)
    if callee is None or callee.package != "gocql":
        return False
    if callee.receiver is None:
        return callee.name in _ORIGIN_FUNCTIONS
    for type_name, names in _ORIGINS.items():
        if callee.receiver.is_type("gocql", type_name) and callee.name in names:
            return True
    return False


def chain_from(facts: Facts, origin: Node) -> QueryChain:
    """Everything done to the query `origin` creates, in this function."""
    calls: list[ChainCall] = []
    complete = True
    seen: set[int] = set()
    pending = [origin]
    steps = 0
    while pending and steps < _MAX_STEPS:
        steps += 1
        node = pending.pop()
        end = _chain_up(node, calls)
        if end != origin and not _returns_query(facts, end):
            continue  # executed: what happens to its result is not the query's
        binding, escapes = _kept_in(facts, end)
        complete = complete and not escapes
        if binding is None or id(binding) in seen:
            continue
        seen.add(id(binding))
        for use in facts.uses(binding):
            if use.kind == UseKind.METHOD_CALL and use.call is not None and "." not in use.path:
                calls.append(ChainCall(use.path, use.call))
                pending.append(use.call)
            elif use.kind in ESCAPING:
                complete = False
    calls.sort(key=lambda c: c.call.start_byte)
    return QueryChain(origin, tuple(calls), complete)


def chain_to(facts: Facts, call: Node) -> QueryChain | None:
    """The chain of the query a method `call` (``q.Exec()``) is made on, when its
    origin is in this function."""
    operand, _name = call_function_parts(call)
    return chain_of(facts, operand) if operand is not None else None


def chain_of(facts: Facts, expression: Node) -> QueryChain | None:
    """The chain of the query `expression` evaluates to (``q``,
    ``s.Query(stmt).Consistency(c)``), when its origin is in this function."""
    current = unparen(expression)
    for _ in range(_MAX_STEPS):
        if current.type == "identifier":
            value = _initializer(facts, current)
            if value is None:
                return None
            current = value
        if current.type != "call_expression":
            return None
        if is_origin(facts, current):
            return chain_from(facts, current)
        if not _returns_query(facts, current):
            return None
        operand, _name = call_function_parts(current)
        if operand is None:
            return None
        current = unparen(operand)
    return None


def _chain_up(node: Node, calls: list[ChainCall]) -> Node:
    """Follow ``node.M(...).N(...)`` upwards, recording M and N; returns the last call."""
    current = node
    for _ in range(_MAX_STEPS):
        above = parent(current)
        while above is not None and above.type == "parenthesized_expression":
            current, above = above, parent(above)
        if above is None or above.type != "selector_expression":
            break
        if above.child_by_field_name("operand") != current:
            break
        call = parent(above)
        if call is None or call.type != "call_expression":
            break
        calls.append(ChainCall(text(above.child_by_field_name("field")), call))
        current = call
    return current


def _kept_in(facts: Facts, node: Node) -> tuple[Binding | None, bool]:
    """The local variable the value of `node` is assigned to, and whether the value
    goes anywhere else (returned, an argument, a field, a second variable)."""
    node, holder = outer_holder(node)
    if holder is None:
        return None, True
    if holder.type == "expression_statement":
        return None, False
    if holder.type != "expression_list":
        return None, True
    statement = parent(holder)
    if statement is None or statement.type not in (
        "short_var_declaration",
        "assignment_statement",
        "var_spec",
    ):
        return None, True
    rights = expression_list(holder)
    left_node = statement.child_by_field_name("left")
    lefts = (
        expression_list(left_node)
        if left_node is not None
        else list(statement.children_by_field_name("name"))
    )
    if statement.child_by_field_name("right") != holder and statement.type != "var_spec":
        return None, True
    if len(lefts) != len(rights) or node not in rights:
        return None, True
    target = unparen(lefts[rights.index(node)])
    if target.type != "identifier":
        return None, True
    if text(target) == "_":
        return None, False
    binding = facts.binding(target)
    return binding, binding is None


def _initializer(facts: Facts, identifier: Node) -> Node | None:
    binding = facts.binding(identifier)
    if binding is None or binding.value is None or binding.value_index >= 0:
        return None
    return unparen(binding.value)


def _returns_query(facts: Facts, call: Node) -> bool:
    """A method of Query/Batch that returns the same query (the builder methods)."""
    callee = facts.callee(call)
    if callee is None or callee.receiver is None or callee.spec is None:
        return False
    receiver = callee.receiver.deref()
    returns = callee.spec.returns
    return (
        callee.package == "gocql"
        and len(returns) == 1
        and returns[0].deref() == receiver
        and receiver.name in ("Query", "Batch")
    )
