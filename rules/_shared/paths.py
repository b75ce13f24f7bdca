"""Paths through one Go function: can control leave it after `start` without
evaluating any of a set of nodes?

This is the question vet's lostcancel asks of its control-flow graph ("is there
a path from the definition of cancel to a return on which cancel is never
used?"), answered over the syntax tree instead: Go without ``goto`` is
structured, so a forward pass over the statements that tracks one fact — "on
some path reaching here, `start` ran and no event has run since" — is exact up
to the precision of the branches themselves (conditions are not evaluated).

Events are nodes (usually identifiers). An event runs when the statement or
header expression that contains it runs; an event inside a func literal runs
where the literal is written (as vet counts it: ``defer func() { cancel() }()``
and ``go func() { ...; cancel() }()`` are uses). Returns inside func literals
are not ways out of the function being walked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from tree_sitter import Node

from gobex.facts.syntax import text

# A state is None (no path reaches this point), False (every path reaching it is
# clean) or True (some path reaching it ran `start` and no event since).
State = bool | None

Terminates = Callable[[Node], bool]

_NORETURN_FUNCTIONS = frozenset(
    {"panic", "os.Exit", "runtime.Goexit", "log.Fatal", "log.Fatalf", "log.Fatalln"}
)
_NORETURN_METHODS = frozenset({"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"})


def terminates_by_name(call: Node) -> bool:
    """Calls that never return to their caller, known by name: ``panic``,
    ``os.Exit``, ``runtime.Goexit`` and the ``Fatal*``/``Panic*`` family of every
    logger (log, logrus, zap, testing.T all exit, panic or Goexit there). Typed
    ones (``t.FailNow``, ``t.Skip``) are the caller's `terminates` business: by
    name alone ``Skip`` is as often an iterator's."""
    function = call.child_by_field_name("function")
    if function is None:
        return False
    name = text(function)
    if name in _NORETURN_FUNCTIONS:
        return True
    if function.type == "selector_expression":
        return text(function.child_by_field_name("field")) in _NORETURN_METHODS
    return False


class _Unstructured(Exception):
    """The function uses ``goto``: beyond a structured walk."""


def _join(*states: State) -> State:
    present = [s for s in states if s is not None]
    if not present:
        return None
    return any(present)


@dataclass
class _Target:
    """A statement that ``break``/``continue`` can leave or restart."""

    node: Node
    label: str
    is_loop: bool
    breaks: list[State] = field(default_factory=list)
    continues: list[State] = field(default_factory=list)


@dataclass(frozen=True)
class _Spans:
    spans: tuple[tuple[int, int], ...]

    def within(self, node: Node) -> bool:
        return any(node.start_byte <= s and e <= node.end_byte for s, e in self.spans)


class _Walker:
    def __init__(
        self, start: Node, events: Iterable[Node], terminates: Terminates, naked: bool
    ) -> None:
        self.start = _Spans(((start.start_byte, start.end_byte),))
        self.events = _Spans(tuple((e.start_byte, e.end_byte) for e in events))
        self.terminates = terminates
        self.naked_return_is_event = naked
        self.targets: list[_Target] = []
        self.exits: list[Node] = []

    # -- expressions ----------------------------------------------------------
    def evaluate(self, node: Node | None, state: State) -> State:
        """The state after `node` (an expression or simple statement) runs."""
        if node is None or state is None:
            return state
        if self.start.within(node):
            return True
        if self.events.within(node):
            return False
        return state

    # -- statements -----------------------------------------------------------
    def statements(self, container: Node | None, state: State) -> State:
        """Run the statements of a block, a statement list or a case clause."""
        if container is None:
            return state
        if container.type != "statement_list":
            inner = next((c for c in container.named_children if c.type == "statement_list"), None)
            return self.statements(inner, state) if inner is not None else state
        for child in container.named_children:
            if child.type != "comment":
                state = self.statement(child, state)
        return state

    def statement(self, node: Node, state: State, label: str = "") -> State:
        kind = node.type
        if kind == "block":
            return self.statements(node, state)
        if kind == "return_statement":
            return self.return_statement(node, state)
        if kind == "if_statement":
            return self.if_statement(node, state)
        if kind == "for_statement":
            return self.for_statement(node, state, label)
        if kind in ("expression_switch_statement", "type_switch_statement"):
            return self.switch_statement(node, state, label)
        if kind == "select_statement":
            return self.select_statement(node, state, label)
        if kind == "labeled_statement":
            inner = next((c for c in node.named_children if c.type != "label_name"), None)
            name = text(node.child_by_field_name("label"))
            return self.statement(inner, state, name) if inner is not None else state
        if kind == "break_statement":
            self.jump(node, state, is_break=True)
            return None
        if kind == "continue_statement":
            self.jump(node, state, is_break=False)
            return None
        if kind == "goto_statement":
            raise _Unstructured
        if kind == "fallthrough_statement":
            return state  # the switch walk carries the state into the next clause
        state = self.evaluate(node, state)
        if kind == "expression_statement":
            call = node.named_child(0)
            if call is not None and call.type == "call_expression" and self.terminates(call):
                return None
        return state

    def return_statement(self, node: Node, state: State) -> State:
        state = self.evaluate(node, state)
        if self.naked_return_is_event and not any(c.type != "comment" for c in node.named_children):
            state = False if state is not None else None
        if state:
            self.exits.append(node)
        return None

    def if_statement(self, node: Node, state: State) -> State:
        state = self.evaluate(node.child_by_field_name("initializer"), state)
        state = self.evaluate(node.child_by_field_name("condition"), state)
        then = self.statement(node.child_by_field_name("consequence") or node, state)
        alternative = node.child_by_field_name("alternative")
        otherwise = self.statement(alternative, state) if alternative is not None else state
        return _join(then, otherwise)

    def for_statement(self, node: Node, state: State, label: str) -> State:
        body = node.child_by_field_name("body")
        header = next((c for c in node.named_children if c != body and c.type != "comment"), None)
        initializer = condition = update = None
        infinite = header is None
        if header is not None and header.type == "for_clause":
            initializer = header.child_by_field_name("initializer")
            condition = header.child_by_field_name("condition")
            update = header.child_by_field_name("update")
            infinite = condition is None
        elif header is not None and header.type == "range_clause":
            initializer = header.child_by_field_name("right")
        else:
            condition = header
        entry = self.evaluate(initializer, state)
        target = _Target(node, label, is_loop=True)
        self.targets.append(target)
        head = entry
        tested: State = None
        for _ in range(4):  # the states form a 3-element chain: a fixpoint comes fast
            tested = self.evaluate(condition, head)
            out = self.statement(body, tested) if body is not None else tested
            again = self.evaluate(update, _join(out, *target.continues))
            new_head = _join(entry, again)
            if new_head == head:
                break
            head = new_head
        self.targets.pop()
        leaving = [*target.breaks] if infinite else [tested, *target.breaks]
        return _join(*leaving) if leaving else None

    def switch_statement(self, node: Node, state: State, label: str) -> State:
        state = self.evaluate(node.child_by_field_name("initializer"), state)
        state = self.evaluate(node.child_by_field_name("value"), state)
        clauses = [c for c in node.named_children if c.type in _CASE_TYPES]
        target = _Target(node, label, is_loop=False)
        self.targets.append(target)
        outs: list[State] = []
        carried: State = None
        for clause in clauses:
            entry = _join(self._case_entry(clause, state), carried)
            out = self.statements(clause, entry)
            if _ends_with_fallthrough(clause):
                carried, out = out, None
            else:
                carried = None
            outs.append(out)
        self.targets.pop()
        if not any(c.type == "default_case" for c in clauses):
            outs.append(state)
        return _join(*outs, *target.breaks)

    def select_statement(self, node: Node, state: State, label: str) -> State:
        clauses = [c for c in node.named_children if c.type in _CASE_TYPES]
        target = _Target(node, label, is_loop=False)
        self.targets.append(target)
        outs = [self.statements(c, self._case_entry(c, state)) for c in clauses]
        self.targets.pop()
        return _join(*outs, *target.breaks)  # `select {}` blocks forever: None

    def _case_entry(self, clause: Node, state: State) -> State:
        for child in clause.named_children:
            if child.type == "statement_list":
                break
            state = self.evaluate(child, state)
        return state

    def jump(self, node: Node, state: State, *, is_break: bool) -> None:
        label = next((text(c) for c in node.named_children if c.type == "label_name"), "")
        for target in reversed(self.targets):
            if label and target.label != label:
                continue
            if not label and not is_break and not target.is_loop:
                continue
            (target.breaks if is_break else target.continues).append(state)
            return


_CASE_TYPES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})


def _ends_with_fallthrough(clause: Node) -> bool:
    body = next((c for c in clause.named_children if c.type == "statement_list"), None)
    items = [c for c in body.named_children if c.type != "comment"] if body is not None else []
    return bool(items) and items[-1].type == "fallthrough_statement"


def exit_without(
    function: Node,
    start: Node,
    events: Sequence[Node],
    *,
    terminates: Terminates = terminates_by_name,
    naked_return_is_event: bool = False,
) -> Node | None:
    """The first way out of `function` that control can reach after `start` runs
    without running any of `events`, or None.

    A way out is a ``return`` statement of `function` (not of nested func
    literals) or, when control can fall off the end of its body, the body's
    closing brace. Calls for which `terminates` is true end a path without
    leaving through a way out. `naked_return_is_event` makes a bare ``return``
    count as an event (for a named result). None as well when the function
    uses ``goto``, which this walk does not follow, or nests statements deeper
    than Python's recursion limit allows walking.
    """
    body = function.child_by_field_name("body")
    if body is None:
        return None
    walker = _Walker(start, events, terminates, naked_return_is_event)
    try:
        end = walker.statements(body, False)
    except (_Unstructured, RecursionError):
        return None
    exits = sorted(walker.exits, key=lambda n: n.start_byte)
    if exits:
        return exits[0]
    if not end:
        return None
    closing = body.child(body.child_count - 1)
    return closing if closing is not None else body


class _Reacher(_Walker):
    """A walk that notes whether `target` runs while the state is set."""

    def __init__(
        self, start: Node, target: Node, events: Iterable[Node], terminates: Terminates
    ) -> None:
        super().__init__(start, events, terminates, naked=False)
        self.target = _Spans(((target.start_byte, target.end_byte),))
        self.reached = False

    def evaluate(self, node: Node | None, state: State) -> State:
        if node is not None and state and self.target.within(node):
            self.reached = True
        return super().evaluate(node, state)


def reaches(
    function: Node,
    start: Node,
    target: Node,
    events: Sequence[Node] = (),
    *,
    terminates: Terminates = terminates_by_name,
) -> bool:
    """True when control can run `target` after `start` ran, without running any
    of `events` in between. `target` may be `start` itself: in a loop, it runs
    again in the next iteration unless every path from it leaves the loop. Both
    are statements (or header expressions) of `function` itself. False as well
    when the function uses ``goto`` or nests too deep to walk."""
    body = function.child_by_field_name("body")
    if body is None:
        return False
    walker = _Reacher(start, target, events, terminates)
    try:
        walker.statements(body, False)
    except (_Unstructured, RecursionError):
        return False
    return walker.reached
