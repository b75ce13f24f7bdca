"""Goroutines and the functions they run, for the concurrency rules.

A goroutine is started by a ``go`` statement (``go func() {...}()``, ``go
s.loop()``, ``go worker(jobs)``) or by a modelled method tagged ``spawns``
(errgroup's ``g.Go(func() error {...})``). What it runs is a func literal, or a
function or method declared in the package being linted (its declaration may
sit in another file: rules that look into it declare ``Scope.CALLEES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.package import FileDecls
from gobex.facts.syntax import (
    FUNCTION_TYPES,
    arguments,
    call_function_parts,
    function_name,
    parent,
    text,
    top_level_declaration,
    unparen,
)
from gobex.gotypes import LOCAL
from gobex.source import SourceFile

SPAWNS_TAG = "spawns"

# Channels and methods whose receive means "stop now": ctx.Done(), s.quit, t.Dying()...
_STOP_NAME = re.compile(
    r"(?i)(done|quit|stop|exit|clos|shut|die|dying|kill|term|cancel|finish|abort|halt|dead)"
)


@dataclass(frozen=True)
class Started:
    """The function a goroutine runs.

    `launch` is the ``go`` statement or the spawning call; `function` is a
    func_literal or a declaration of the package; `file` is the file holding
    `function` (another file of the package for a declaration elsewhere).
    """

    launch: Node
    call: Node
    function: Node
    body: Node
    file: FileDecls | None

    @property
    def is_literal(self) -> bool:
        return self.function.type == "func_literal"

    def in_file(self, source: SourceFile) -> bool:
        """True when the function's syntax is in `source` (related locations can point at it)."""
        return self.file is None or self.file.source is source


def started_by_go(facts: Facts, go: Node) -> Started | None:
    """What a ``go`` statement runs: its func literal, or the local function or
    method it calls; None for anything else (a func value, another package)."""
    call = go.named_child(0)
    if call is None or call.type != "call_expression":
        return None
    return _started(facts, go, call)


def started_by_spawn(facts: Facts, call: Node) -> Started | None:
    """The func literal (or local function) given to a ``spawns`` method call
    (``g.Go(func() error {...})``)."""
    callee = facts.callee(call)
    if callee is None or callee.spec is None or SPAWNS_TAG not in callee.spec.tags:
        return None
    args = arguments(call)
    if not args:
        return None
    value = unparen(args[-1])
    if value.type == "func_literal":
        body = value.child_by_field_name("body")
        return Started(call, call, value, body, None) if body is not None else None
    if value.type == "identifier" and facts.binding(value) is None:
        declared = facts.package.functions.get(text(value))
        if declared is not None:
            body = declared.node.child_by_field_name("body")
            if body is not None:
                return Started(call, call, declared.node, body, declared.file)
    return None


def _started(facts: Facts, launch: Node, call: Node) -> Started | None:
    function = call.child_by_field_name("function")
    if function is None:
        return None
    function = unparen(function)
    if function.type == "func_literal":
        body = function.child_by_field_name("body")
        return Started(launch, call, function, body, None) if body is not None else None
    callee = facts.callee(call)
    if callee is None or callee.package != LOCAL or callee.declaration is None:
        return None
    declaration, file = callee.declaration
    if declaration.type not in FUNCTION_TYPES:
        return None  # an interface method: the body is unknown
    body = declaration.child_by_field_name("body")
    return Started(launch, call, declaration, body, file) if body is not None else None


def literal_launch(literal: Node) -> Node | None:
    """The ``go`` statement that starts func literal `literal` (``go func(){...}()``)."""
    call = parent(literal)
    if (
        call is None
        or call.type != "call_expression"
        or call.child_by_field_name("function") != literal
    ):
        return None
    above = parent(call)
    return above if above is not None and above.type == "go_statement" else None


_DECLARATIONS = ("function_declaration", "method_declaration")


def outermost_function(facts: Facts, node: Node) -> Node | None:
    """The top-level function or method declaration holding `node` (or, at package
    level, the outermost func literal)."""
    top = top_level_declaration(node)
    if (
        top is not None
        and top != node
        and top.type in ("function_declaration", "method_declaration")
    ):
        return top  # one walk up the tree, not a scan of the functions per level
    function = facts.enclosing_function(node)
    outer = function
    while function is not None:
        outer = function
        function = facts.enclosing_function(function)
    return outer


def in_main_or_init(facts: Facts, node: Node) -> bool:
    """`node` is inside ``func init()`` or ``func main()`` of package main: code
    that runs once for the life of the process."""
    outer = outermost_function(facts, node)
    if outer is None or outer.type != "function_declaration":
        return False
    name = function_name(outer)
    if name == "init":
        return True
    return name == "main" and package_name(facts.source) == "main"


def package_name(source: SourceFile) -> str:
    clause = next((c for c in source.root.named_children if c.type == "package_clause"), None)
    name = clause.named_child(0) if clause is not None else None
    return text(name) if name is not None else ""


def in_once(facts: Facts, node: Node) -> bool:
    """`node` is inside a func literal given to ``Do`` of a ``sync.Once`` (or any
    ``once.Do``): code that runs once per process or object."""
    # Up the tree (cached parents), not function by function: each
    # `Facts.enclosing_function` costs the depth, so that would be quadratic.
    function = parent(node)
    while function is not None and function.type not in _DECLARATIONS:
        if function.type != "func_literal":
            function = parent(function)
            continue
        holder = parent(function)
        call = parent(holder) if holder is not None else None
        if call is not None and call.type == "call_expression" and holder is not None:
            operand, name = call_function_parts(call)
            if name == "Do" and operand is not None:
                callee = facts.callee(call)
                receiver = callee.receiver if callee is not None else None
                if (receiver is not None and receiver.is_type("sync", "Once")) or (
                    "once" in text(operand).lower()
                ):
                    return True
        function = holder
    return False


def is_stop_receive(node: Node) -> bool:
    """A receive (``<-x``) from ``ctx.Done()``-like calls or from a channel named
    like a stop signal (``done``, ``s.quit``, ``stopCh``, ``closing``)."""
    if node.type != "unary_expression":
        return False
    operator = node.child_by_field_name("operator")
    operand = node.child_by_field_name("operand")
    if operator is None or operator.type != "<-" or operand is None:
        return False
    return is_stop_channel(operand)


def is_stop_channel(channel: Node) -> bool:
    channel = unparen(channel)
    if channel.type == "call_expression":
        _, name = call_function_parts(channel)
        return bool(_STOP_NAME.search(name))
    if channel.type == "selector_expression":
        return bool(_STOP_NAME.search(text(channel.child_by_field_name("field"))))
    if channel.type == "identifier":
        return bool(_STOP_NAME.search(text(channel)))
    return False


def in_start_guard(node: Node) -> bool:
    """`node` runs under ``if !x.started { x.started = true; ... }``: a flag makes
    it run once per process or object, like ``sync.Once``."""
    current = parent(node)
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            consequence = current.child_by_field_name("consequence")
            if (
                condition is not None
                and consequence is not None
                and consequence.start_byte <= node.start_byte < consequence.end_byte
                and _sets_flag(consequence, text(condition))
            ):
                return True
        current = parent(current)
    return False


def _sets_flag(block: Node, condition: str) -> bool:
    statements = next((c for c in block.named_children if c.type == "statement_list"), None)
    for statement in statements.named_children if statements is not None else ():
        if statement.type != "assignment_statement":
            continue
        target = text(statement.child_by_field_name("left"))
        value = text(statement.child_by_field_name("right"))
        if target and target in condition and value == "true":
            return True
    return False
