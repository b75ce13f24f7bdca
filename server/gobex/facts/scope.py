"""Local name resolution: which declaration each identifier inside a function refers to.

Go's block scoping is followed: a function's parameters, results and receiver
share the body's scope; ``if``/``for``/``switch``/``select`` open an implicit
block for their init statement; every case clause is a block; ``:=`` declares
only the names not already declared in the same scope (others are assigned);
a name is visible after the statement that declares it. Identifiers that do not
resolve to a local declaration are package-level names, imports or builtins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tree_sitter import Node

from gobex.facts.syntax import FUNCTION_TYPES, expression_list, has_token, text


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
    __slots__ = ("names", "node", "parent")

    def __init__(self, node: Node, parent: _Scope | None) -> None:
        self.node = node
        self.parent = parent
        self.names: dict[str, Binding] = {}

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

    def binding_of(self, ident: Node) -> Binding | None:
        return self.refs.get(ident)


def resolve(declaration: Node) -> Resolution:
    """Resolve the locals of a top-level declaration (function, method, or var/const)."""
    resolver = _Resolver()
    resolver.run(declaration)
    return resolver.result


class _Resolver:
    def __init__(self) -> None:
        self.result = Resolution()
        self.function_stack: list[Node] = []

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
        self.result.bindings.append(binding)
        self.result.refs[ident] = binding
        return binding

    def declare_parameters(self, scope: _Scope, params: Node | None, kind: BindingKind) -> None:
        if params is None:
            return
        for param in params.named_children:
            if param.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            type_node = param.child_by_field_name("type")
            if type_node is not None:
                self.visit(type_node, scope)
            for ident in param.children_by_field_name("name"):
                self.declare(scope, ident, kind, param, type_node=type_node)

    # -- traversal ----------------------------------------------------------
    def run(self, declaration: Node) -> None:
        root = _Scope(declaration, None)
        if declaration.type in FUNCTION_TYPES:
            self.visit_function(declaration, root)
        else:
            for child in declaration.named_children:
                self.visit(child, root)

    def visit_function(self, function: Node, outer: _Scope) -> None:
        self.function_stack.append(function)
        body = function.child_by_field_name("body")
        scope = _Scope(body if body is not None else function, outer)
        if function.type == "method_declaration":
            self.declare_parameters(
                scope, function.child_by_field_name("receiver"), BindingKind.RECEIVER
            )
        type_params = function.child_by_field_name("type_parameters")
        if type_params is not None:
            self.visit(type_params, scope)
        self.declare_parameters(
            scope, function.child_by_field_name("parameters"), BindingKind.PARAM
        )
        result = function.child_by_field_name("result")
        if result is not None:
            if result.type == "parameter_list":
                self.declare_parameters(scope, result, BindingKind.RESULT)
            else:
                self.visit(result, scope)
        if body is not None:
            self.visit_children(body, scope)
        self.function_stack.pop()

    def visit_children(self, node: Node, scope: _Scope) -> None:
        for child in node.named_children:
            self.visit(child, scope)

    def use(self, ident: Node, scope: _Scope) -> None:
        binding = scope.lookup(text(ident))
        if binding is not None:
            self.result.refs[ident] = binding
            binding.uses.append(ident)

    def visit(self, node: Node, scope: _Scope) -> None:
        kind = node.type
        if kind == "identifier":
            self.use(node, scope)
        elif kind == "func_literal":
            self.visit_function(node, scope)
        elif kind == "block":
            self.visit_children(node, _Scope(node, scope))
        elif kind == "short_var_declaration":
            self.visit_short_var(node, scope)
        elif kind in ("var_declaration", "const_declaration"):
            self.visit_var_declaration(node, scope)
        elif kind == "assignment_statement":
            self.visit_assignment(node, scope)
        elif kind in ("if_statement", "expression_switch_statement", "select_statement"):
            self.visit_children(node, _Scope(node, scope))
        elif kind == "for_statement":
            self.visit_for(node, _Scope(node, scope))
        elif kind == "type_switch_statement":
            self.visit_type_switch(node, _Scope(node, scope))
        elif kind in ("expression_case", "default_case"):
            self.visit_children(node, _Scope(node, scope))
        elif kind == "communication_case":
            self.visit_communication_case(node, _Scope(node, scope))
        elif kind == "selector_expression":
            operand = node.child_by_field_name("operand")
            if operand is not None:
                self.visit(operand, scope)
        elif kind == "keyed_element":
            self.visit_keyed_element(node, scope)
        elif kind in (
            "labeled_statement",
            "goto_statement",
            "break_statement",
            "continue_statement",
        ):
            for child in node.named_children:
                if child.type != "label_name":
                    self.visit(child, scope)
        elif kind in ("type_declaration", "comment", "field_identifier", "package_identifier"):
            return
        else:
            self.visit_children(node, scope)

    def visit_short_var(self, node: Node, scope: _Scope) -> None:
        left = expression_list(node.child_by_field_name("left"))
        right = expression_list(node.child_by_field_name("right"))
        for expr in right:
            self.visit(expr, scope)
        self.bind_targets(scope, node, left, right, BindingKind.SHORT)

    def bind_targets(
        self, scope: _Scope, decl: Node, left: list[Node], right: list[Node], kind: BindingKind
    ) -> None:
        for index, target in enumerate(left):
            if target.type != "identifier":
                self.visit(target, scope)
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

    def visit_var_declaration(self, node: Node, scope: _Scope) -> None:
        kind = BindingKind.CONST if node.type == "const_declaration" else BindingKind.VAR
        specs: list[Node] = []
        for child in node.named_children:
            if child.type in ("var_spec", "const_spec"):
                specs.append(child)
            elif child.type == "var_spec_list":
                specs.extend(c for c in child.named_children if c.type == "var_spec")
        for spec in specs:
            type_node = spec.child_by_field_name("type")
            value_node = spec.child_by_field_name("value")
            values = expression_list(value_node)
            if type_node is not None:
                self.visit(type_node, scope)
            for expr in values:
                self.visit(expr, scope)
            names = spec.children_by_field_name("name")
            for index, ident in enumerate(names):
                value: Node | None = None
                value_index = -1
                if len(values) == len(names):
                    value = values[index]
                elif len(values) == 1:
                    value, value_index = values[0], index
                self.declare(scope, ident, kind, spec, type_node, value, value_index)

    def visit_assignment(self, node: Node, scope: _Scope) -> None:
        for expr in expression_list(node.child_by_field_name("right")):
            self.visit(expr, scope)
        for target in expression_list(node.child_by_field_name("left")):
            if target.type == "identifier":
                binding = scope.lookup(text(target))
                if binding is not None:
                    self.result.refs[target] = binding
                    binding.assignments.append(target)
            else:
                self.visit(target, scope)

    def visit_for(self, node: Node, scope: _Scope) -> None:
        for child in node.named_children:
            if child.type == "range_clause":
                right = child.child_by_field_name("right")
                if right is not None:
                    self.visit(right, scope)
                left = expression_list(child.child_by_field_name("left"))
                if has_token(child, ":="):
                    for index, ident in enumerate(left):
                        if ident.type == "identifier":
                            self.declare(
                                scope,
                                ident,
                                BindingKind.RANGE,
                                child,
                                value=right,
                                value_index=index,
                            )
                else:
                    for target in left:
                        self.visit(target, scope)
            elif child.type == "for_clause":
                self.visit_children(child, scope)
            else:
                self.visit(child, scope)

    def visit_type_switch(self, node: Node, scope: _Scope) -> None:
        alias_list = node.child_by_field_name("alias")
        aliases = [a for a in expression_list(alias_list) if a.type == "identifier"]
        value = node.child_by_field_name("value")
        for child in node.named_children:
            if child == alias_list:
                continue
            if child.type in ("type_case", "default_case"):
                case_scope = _Scope(child, scope)
                types = child.children_by_field_name("type")
                for alias in aliases:
                    binding = self.declare(
                        case_scope,
                        alias,
                        BindingKind.TYPESWITCH,
                        child,
                        type_node=types[0] if len(types) == 1 else None,
                        value=value if len(types) != 1 else None,
                    )
                    if binding is not None:
                        # The alias identifier is shared by every clause; keep the
                        # first clause's binding as its declaration.
                        self.result.refs.setdefault(alias, binding)
                for grandchild in child.named_children:
                    if grandchild not in types:
                        self.visit(grandchild, case_scope)
            else:
                self.visit(child, scope)

    def visit_communication_case(self, node: Node, scope: _Scope) -> None:
        communication = node.child_by_field_name("communication")
        for child in node.named_children:
            if (
                child == communication
                and child.type == "receive_statement"
                and has_token(child, ":=")
            ):
                right = child.child_by_field_name("right")
                if right is not None:
                    self.visit(right, scope)
                for index, ident in enumerate(expression_list(child.child_by_field_name("left"))):
                    if ident.type == "identifier":
                        self.declare(
                            scope, ident, BindingKind.RECEIVE, child, value=right, value_index=index
                        )
            else:
                self.visit(child, scope)

    def visit_keyed_element(self, node: Node, scope: _Scope) -> None:
        key = node.child_by_field_name("key")
        value = node.child_by_field_name("value")
        if key is not None and not _is_struct_field_key(node, key):
            self.visit(key, scope)
        if value is not None:
            self.visit(value, scope)


def _is_struct_field_key(element: Node, key: Node) -> bool:
    """A bare identifier key of a literal that is not a map literal names a field."""
    inner = key.named_child(0) if key.type == "literal_element" else key
    if inner is None or inner.type != "identifier":
        return False
    literal_value = element.parent
    literal = literal_value.parent if literal_value is not None else None
    if literal is None or literal.type != "composite_literal":
        return True  # an elided nested literal: most often a struct
    type_node = literal.child_by_field_name("type")
    return type_node is None or type_node.type != "map_type"
