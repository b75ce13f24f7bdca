"""Local name resolution: which declaration each identifier inside a function refers to.

Go's block scoping is followed: a function's parameters, results and receiver
share the body's scope; ``if``/``for``/``switch``/``select`` open an implicit
block for their init statement; every case clause is a block; ``:=`` declares
only the names not already declared in the same scope (others are assigned);
a name is visible after the statement that declares it. Identifiers that do not
resolve to a local declaration are package-level names, imports or builtins.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property, partial
from operator import attrgetter
from typing import TypeAlias

from tree_sitter import Node, Query, QueryCursor

from gobex.facts.syntax import FUNCTION_TYPES, expression_list, has_token, parent, text
from gobex.source import go_language


class BindingKind(StrEnum):
    PARAM = "param"
    RECEIVER = "receiver"
    RESULT = "result"
    VAR = "var"  # var x T / var x = v
    CONST = "const"
    SHORT = "short"  # x := v
    RANGE = "range"  # for k, v := range xs
    TYPESWITCH = "typeswitch"  # switch v := x.(type)
    RECEIVE = "receive"  # case v := <-ch


@dataclass(eq=False)
class Binding:
    """One declared local name. Compared by identity.

    `value` is the initializer: the expression assigned at declaration (then
    `value_index` is -1) or, when several names take the results of one call,
    that call with `value_index` saying which result. `scope` is the node whose
    extent the name is visible in (from the end of `decl` on).
    """

    name: str
    ident: Node
    kind: BindingKind
    decl: Node
    function: Node
    scope: Node
    type_node: Node | None = None
    value: Node | None = None
    value_index: int = -1
    uses: list[Node] = field(default_factory=list)
    assignments: list[Node] = field(default_factory=list)  # `name = ...` targets after declaration

    def __repr__(self) -> str:
        return f"Binding({self.name!r}, {self.kind}, line {self.ident.start_point[0] + 1})"


class _Scope:
    __slots__ = ("declared", "names", "node", "parent")

    def __init__(self, node: Node, parent: _Scope | None) -> None:
        self.node = node
        self.parent = parent
        self.names: dict[str, Binding] = {}
        self.declared: list[str] = []  # names in declaration order (to undo on leaving)

    def lookup(self, name: str) -> Binding | None:
        scope: _Scope | None = self
        while scope is not None:
            found = scope.names.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None


class Resolution:
    """Bindings of one top-level declaration and what every identifier refers to."""

    def __init__(self) -> None:
        self.bindings: list[Binding] = []
        self.refs: dict[Node, Binding] = {}
        self.functions: list[Node] = []  # functions and func literals, in source order
        self.use_functions: dict[Node, Node] = {}  # a use -> the function it is in

    def binding_of(self, ident: Node) -> Binding | None:
        return self.refs.get(ident)

    @cached_property
    def function_starts(self) -> list[int]:
        """The start bytes of `functions` (for bisecting), once resolution is done."""
        return [function.start_byte for function in self.functions]


def resolve(declaration: Node) -> Resolution:
    """Resolve the locals of a top-level declaration (function, method, or var/const)."""
    resolver = _Resolver()
    resolver.run(declaration)
    return resolver.result


# What the resolver's walk stops at: nodes that declare names, open a scope, or
# hold identifiers that are not uses (struct keys, local type declarations, errors
# inside a selector). Every other node is a stretch of identifiers resolved in the
# scope around it.
_STRUCTURE = (
    "assignment_statement",
    "block",
    "communication_case",
    "const_declaration",
    "default_case",
    "expression_case",
    "expression_switch_statement",
    "for_statement",
    "func_literal",
    "if_statement",
    "keyed_element",
    "select_statement",
    "short_var_declaration",
    "type_declaration",
    "type_switch_statement",
    "var_declaration",
)
_START = attrgetter("start_byte")


def _OUTERMOST_FIRST(node: Node) -> tuple[int, int]:
    return node.start_byte, -node.end_byte


@cache
def _query() -> Query:
    patterns = "\n".join(f"({kind}) @structure" for kind in _STRUCTURE)
    # Of a selector only the operand is read: an error inside one (``x.(ERROR) y``) is
    # skipped whole, as its field is.
    skipped = "(selector_expression (ERROR) @structure)"
    return Query(go_language(), "(identifier) @identifier\n" + patterns + "\n" + skipped)


# A unit of work for the resolver: visit a node in a scope, or run an action
# (declaring names after their initializers were visited) that may schedule more.
_Work: TypeAlias = "tuple[Node, _Scope] | Callable[[], list[_Work] | None]"


class _Resolver:
    """Walks a declaration with an explicit work stack (no recursion), so that any
    nesting depth (3,000 nested blocks, a 5,000-term string concatenation) resolves."""

    def __init__(self) -> None:
        self.result = Resolution()
        self.function_stack: list[Node] = []
        # What each name means where the walk is: a stack per name, pushed by
        # declarations and popped when their scope is left (`leave`). A lookup is
        # O(1) however many scopes are open (3,000 nested loops).
        self.visible: dict[str, list[Binding]] = {}
        # Set by `run`: the declaration's identifiers and structure nodes, in order.
        self.identifiers: list[Node] = []
        self.identifier_starts: list[int] = []
        self.structure: list[Node] = []
        self.structure_starts: list[int] = []

    def lookup(self, name: str) -> Binding | None:
        stack = self.visible.get(name)
        return stack[-1] if stack else None

    def leave(self, scope: _Scope) -> _Work:
        """The action run after the last work item of `scope`."""

        def undo() -> None:
            for name in reversed(scope.declared):
                self.visible[name].pop()

        return undo

    # -- declarations -------------------------------------------------------
    def declare(
        self,
        scope: _Scope,
        ident: Node,
        kind: BindingKind,
        decl: Node,
        type_node: Node | None = None,
        value: Node | None = None,
        value_index: int = -1,
    ) -> Binding | None:
        name = text(ident)
        if not name or name == "_":
            return None
        binding = Binding(
            name=name,
            ident=ident,
            kind=kind,
            decl=decl,
            function=self.function_stack[-1] if self.function_stack else decl,
            scope=scope.node,
            type_node=type_node,
            value=value,
            value_index=value_index,
        )
        scope.names[name] = binding
        scope.declared.append(name)
        self.visible.setdefault(name, []).append(binding)
        self.result.bindings.append(binding)
        self.result.refs[ident] = binding
        return binding

    def parameter_work(self, scope: _Scope, params: Node | None, kind: BindingKind) -> list[_Work]:
        """Visit each parameter's type, then declare its names."""
        work: list[_Work] = []
        if params is None:
            return work
        for param in params.named_children:
            if param.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            type_node = param.child_by_field_name("type")
            if type_node is not None:
                work.append((type_node, scope))

            def declare_names(param: Node = param, type_node: Node | None = type_node) -> None:
                for ident in param.children_by_field_name("name"):
                    self.declare(scope, ident, kind, param, type_node=type_node)

            work.append(declare_names)
        return work

    # -- traversal ----------------------------------------------------------
    def run(self, declaration: Node) -> None:
        # One query pass finds every identifier and every node that declares names or
        # opens a scope; the walk below visits only those nodes and hands each
        # expression's identifiers to `use` straight from the sorted capture list,
        # instead of stepping through every node of the declaration in Python.
        captures = QueryCursor(_query()).captures(declaration)
        identifiers = captures.get("identifier", [])
        identifiers.sort(key=_START)
        self.identifiers = identifiers
        self.identifier_starts = [node.start_byte for node in identifiers]
        structure = captures.get("structure", [])
        structure.sort(key=_OUTERMOST_FIRST)
        self.structure = structure
        self.structure_starts = [node.start_byte for node in structure]
        root = _Scope(declaration, None)
        if declaration.type in FUNCTION_TYPES:
            self.drain([*self.function_work(declaration, root), self.leave(root)])
        else:
            self.drain([*((child, root) for child in declaration.named_children), self.leave(root)])

    def visit(self, node: Node, scope: _Scope) -> None:
        self.drain([(node, scope)])

    def drain(self, work: list[_Work]) -> None:
        stack = list(reversed(work))
        while stack:
            item = stack.pop()
            more = item() if callable(item) else self.step(*item)
            if more:
                stack.extend(reversed(more))

    def region(self, start: int, end: int, scope: _Scope) -> list[_Work] | None:
        """Visit the bytes [start, end) of a node that neither declares names nor
        opens a scope: its identifiers are uses, up to the first node inside that
        does (a func literal, a keyed element...), which is visited in turn before
        the rest of the range."""
        structure = self.structure
        structure_starts = self.structure_starts
        identifiers = self.identifiers
        starts = self.identifier_starts
        count = len(starts)
        lookup = self.visible.get
        refs = self.result.refs
        use_functions = self.result.use_functions
        function = self.function_stack[-1] if self.function_stack else None
        index = bisect_left(structure_starts, start)
        position = bisect_left(starts, start)
        while True:
            inner: Node | None = None
            while index < len(structure_starts) and structure_starts[index] < end:
                candidate = structure[index]
                index += 1
                if candidate.end_byte <= end:
                    inner = candidate
                    break
                # else: a node around this range that starts where it starts
            stop = inner.start_byte if inner is not None else end
            while position < count and starts[position] < stop:
                ident = identifiers[position]
                position += 1
                stack = lookup(text(ident))
                if stack:
                    binding = stack[-1]
                    refs[ident] = binding
                    binding.uses.append(ident)
                    if function is not None:
                        use_functions[ident] = function
            if inner is None:
                return None
            after = inner.end_byte
            if inner.type != "ERROR":
                return [(inner, scope), partial(self.region, after, end, scope)]
            # An error inside a selector is not read (only the operand is): skip it.
            index = bisect_left(structure_starts, after, index)
            position = bisect_left(starts, after, position)

    def function_work(self, function: Node, outer: _Scope) -> list[_Work]:
        body = function.child_by_field_name("body")
        scope = _Scope(body if body is not None else function, outer)

        def enter() -> None:
            self.function_stack.append(function)
            self.result.functions.append(function)

        def leave() -> None:
            self.function_stack.pop()

        work: list[_Work] = [enter]
        if function.type == "method_declaration":
            work += self.parameter_work(
                scope, function.child_by_field_name("receiver"), BindingKind.RECEIVER
            )
        type_params = function.child_by_field_name("type_parameters")
        if type_params is not None:
            work.append((type_params, scope))
        work += self.parameter_work(
            scope, function.child_by_field_name("parameters"), BindingKind.PARAM
        )
        result = function.child_by_field_name("result")
        if result is not None:
            if result.type == "parameter_list":
                work += self.parameter_work(scope, result, BindingKind.RESULT)
            else:
                work.append((result, scope))
        if body is not None:
            work += [(child, scope) for child in body.named_children]
        work += [self.leave(scope), leave]
        return work

    def use(self, ident: Node, scope: _Scope) -> None:
        binding = self.lookup(text(ident))
        if binding is not None:
            self.result.refs[ident] = binding
            binding.uses.append(ident)
            if self.function_stack:
                self.result.use_functions[ident] = self.function_stack[-1]

    def step(self, node: Node, scope: _Scope) -> list[_Work] | None:
        """Handle one node; return the work it leads to, in execution order."""
        kind = node.type
        if kind == "identifier":
            self.use(node, scope)
            return None
        if kind == "func_literal":
            return self.function_work(node, scope)
        if kind in (
            "block",
            "if_statement",
            "expression_switch_statement",
            "select_statement",
            "expression_case",
            "default_case",
        ):
            inner = _Scope(node, scope)
            return [*((child, inner) for child in node.named_children), self.leave(inner)]
        if kind == "short_var_declaration":
            return self.short_var_work(node, scope)
        if kind in ("var_declaration", "const_declaration"):
            return self.var_declaration_work(node, scope)
        if kind == "assignment_statement":
            return self.assignment_work(node, scope)
        if kind in ("for_statement", "type_switch_statement", "communication_case"):
            inner = _Scope(node, scope)
            if kind == "for_statement":
                work = self.for_work(node, inner)
            elif kind == "type_switch_statement":
                work = self.type_switch_work(node, inner)
            else:
                work = self.communication_case_work(node, inner)
            return [*work, self.leave(inner)]
        if kind == "keyed_element":
            return self.keyed_element_work(node, scope)
        if kind == "type_declaration":
            return None
        return self.region(node.start_byte, node.end_byte, scope)

    def short_var_work(self, node: Node, scope: _Scope) -> list[_Work]:
        left = expression_list(node.child_by_field_name("left"))
        right = expression_list(node.child_by_field_name("right"))
        work: list[_Work] = [(expr, scope) for expr in right]
        work.append(lambda: self.bind_targets(scope, node, left, right, BindingKind.SHORT))
        return work

    def bind_targets(
        self, scope: _Scope, decl: Node, left: list[Node], right: list[Node], kind: BindingKind
    ) -> list[_Work]:
        """Declare the new names of a ``:=``; returns the visits of other targets."""
        work: list[_Work] = []
        for index, target in enumerate(left):
            if target.type != "identifier":
                work.append((target, scope))
                continue
            existing = scope.names.get(text(target))
            if existing is not None:
                self.result.refs[target] = existing
                existing.assignments.append(target)
                continue
            if len(right) == len(left):
                self.declare(scope, target, kind, decl, value=right[index])
            elif len(right) == 1:
                self.declare(scope, target, kind, decl, value=right[0], value_index=index)
            else:
                self.declare(scope, target, kind, decl)
        return work

    def var_declaration_work(self, node: Node, scope: _Scope) -> list[_Work]:
        kind = BindingKind.CONST if node.type == "const_declaration" else BindingKind.VAR
        specs: list[Node] = []
        for child in node.named_children:
            if child.type in ("var_spec", "const_spec"):
                specs.append(child)
            elif child.type == "var_spec_list":
                specs.extend(c for c in child.named_children if c.type == "var_spec")
        work: list[_Work] = []
        for spec in specs:
            type_node = spec.child_by_field_name("type")
            values = expression_list(spec.child_by_field_name("value"))
            if type_node is not None:
                work.append((type_node, scope))
            work += [(expr, scope) for expr in values]

            def declare_names(
                spec: Node = spec, type_node: Node | None = type_node, values: list[Node] = values
            ) -> None:
                names = spec.children_by_field_name("name")
                for index, ident in enumerate(names):
                    value: Node | None = None
                    value_index = -1
                    if len(values) == len(names):
                        value = values[index]
                    elif len(values) == 1:
                        value, value_index = values[0], index
                    self.declare(scope, ident, kind, spec, type_node, value, value_index)

            work.append(declare_names)
        return work

    def assignment_work(self, node: Node, scope: _Scope) -> list[_Work]:
        work: list[_Work] = [
            (expr, scope) for expr in expression_list(node.child_by_field_name("right"))
        ]

        def assign() -> list[_Work]:
            targets: list[_Work] = []
            for target in expression_list(node.child_by_field_name("left")):
                if target.type == "identifier":
                    binding = self.lookup(text(target))
                    if binding is not None:
                        self.result.refs[target] = binding
                        binding.assignments.append(target)
                else:
                    targets.append((target, scope))
            return targets

        work.append(assign)
        return work

    def for_work(self, node: Node, scope: _Scope) -> list[_Work]:
        work: list[_Work] = []
        for child in node.named_children:
            if child.type == "range_clause":
                right = child.child_by_field_name("right")
                if right is not None:
                    work.append((right, scope))
                left = expression_list(child.child_by_field_name("left"))
                if has_token(child, ":="):

                    def declare_range(
                        clause: Node = child, left: list[Node] = left, right: Node | None = right
                    ) -> None:
                        for index, ident in enumerate(left):
                            if ident.type == "identifier":
                                self.declare(
                                    scope,
                                    ident,
                                    BindingKind.RANGE,
                                    clause,
                                    value=right,
                                    value_index=index,
                                )

                    work.append(declare_range)
                else:
                    work += [(target, scope) for target in left]
            elif child.type == "for_clause":
                work += [(grandchild, scope) for grandchild in child.named_children]
            else:
                work.append((child, scope))
        return work

    def type_switch_work(self, node: Node, scope: _Scope) -> list[_Work]:
        alias_list = node.child_by_field_name("alias")
        aliases = [a for a in expression_list(alias_list) if a.type == "identifier"]
        value = node.child_by_field_name("value")
        work: list[_Work] = []
        for child in node.named_children:
            if child == alias_list:
                continue
            if child.type in ("type_case", "default_case"):
                case_scope = _Scope(child, scope)
                types = child.children_by_field_name("type")

                def declare_aliases(
                    clause: Node = child, case_scope: _Scope = case_scope, types: list[Node] = types
                ) -> None:
                    for alias in aliases:
                        binding = self.declare(
                            case_scope,
                            alias,
                            BindingKind.TYPESWITCH,
                            clause,
                            type_node=types[0] if len(types) == 1 else None,
                            value=value if len(types) != 1 else None,
                        )
                        if binding is not None:
                            # The alias identifier is shared by every clause; keep the
                            # first clause's binding as its declaration.
                            self.result.refs.setdefault(alias, binding)

                work.append(declare_aliases)
                work += [
                    (grandchild, case_scope)
                    for grandchild in child.named_children
                    if grandchild not in types
                ]
                work.append(self.leave(case_scope))
            else:
                work.append((child, scope))
        return work

    def communication_case_work(self, node: Node, scope: _Scope) -> list[_Work]:
        communication = node.child_by_field_name("communication")
        work: list[_Work] = []
        for child in node.named_children:
            if (
                child == communication
                and child.type == "receive_statement"
                and has_token(child, ":=")
            ):
                right = child.child_by_field_name("right")
                if right is not None:
                    work.append((right, scope))

                def declare_received(receive: Node = child, right: Node | None = right) -> None:
                    left = expression_list(receive.child_by_field_name("left"))
                    for index, ident in enumerate(left):
                        if ident.type == "identifier":
                            self.declare(
                                scope,
                                ident,
                                BindingKind.RECEIVE,
                                receive,
                                value=right,
                                value_index=index,
                            )

                work.append(declare_received)
            else:
                work.append((child, scope))
        return work

    def keyed_element_work(self, node: Node, scope: _Scope) -> list[_Work]:
        key = node.child_by_field_name("key")
        value = node.child_by_field_name("value")
        work: list[_Work] = []
        if key is not None and not _is_struct_field_key(node, key):
            work.append((key, scope))
        if value is not None:
            work.append((value, scope))
        return work


def _is_struct_field_key(element: Node, key: Node) -> bool:
    """A bare identifier key of a literal that is not a map, slice or array literal
    names a field (slice and array keys are constant indexes)."""
    inner = key.named_child(0) if key.type == "literal_element" else key
    if inner is None or inner.type != "identifier":
        return False
    literal_value = parent(element)
    literal = parent(literal_value) if literal_value is not None else None
    if literal is None or literal.type != "composite_literal":
        return True  # an elided nested literal: most often a struct
    type_node = literal.child_by_field_name("type")
    return type_node is None or type_node.type not in (
        "map_type",
        "slice_type",
        "array_type",
        "implicit_length_array_type",
    )
