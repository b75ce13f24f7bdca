"""Facts: what a type checker would tell about one file, derived from syntax and models.

Everything is computed lazily and cached for the life of one lint of one file:
local name resolution per top-level declaration, expression types, callees.
Rules ask Facts; they never re-derive these themselves.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum

from tree_sitter import Node

from gobex.facts import flow
from gobex.facts.imports import Imports
from gobex.facts.package import FileDecls, PackageIndex, signature_results, spec_value
from gobex.facts.scope import Binding, BindingKind, Resolution, resolve
from gobex.facts.syntax import (
    arguments,
    call_function_parts,
    enclosing_function,
    expression_list,
    text,
    top_level_declaration,
    track_parents,
    unparen,
)
from gobex.facts.syntax import parent as parent_of
from gobex.gotypes import BOOL, BUILTIN, INT, LOCAL, STRING, GoType
from gobex.models import FuncSpec, ModelSet, TypeSpec
from gobex.source import SourceFile

BUILTIN_FUNCTIONS = frozenset(
    {
        "append",
        "cap",
        "clear",
        "close",
        "complex",
        "copy",
        "delete",
        "imag",
        "len",
        "make",
        "max",
        "min",
        "new",
        "panic",
        "print",
        "println",
        "real",
        "recover",
    }
)


# How deep type/callee questions may nest (a 2,000-call builder chain, a 3,000-deep
# pointer dereference): past it the answer is "unknown" instead of a RecursionError.
MAX_DEPTH = 100

_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "&&", "||"})
_INTEGER_TYPES = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"}
    | {"uintptr", "byte", "rune"}
)


class _Depth:
    """The nesting depth of type questions, shared by the Facts of one package's files."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


@dataclass(frozen=True)
class Callee:
    """What a call expression calls.

    `package` is a model id, an unmodelled import path, LOCAL for the package
    being linted, BUILTIN for Go's builtins, or None when unknown (a func value,
    a method on a value of unknown type). `receiver` is the receiver's type for
    method calls. `spec` comes from a model; `declaration` is the local
    function/method declaration (or interface method) when there is one.
    `conversion` is set when the "call" converts to a type.
    """

    package: str | None
    name: str
    receiver: GoType | None = None
    spec: FuncSpec | None = None
    declaration: tuple[Node, FileDecls] | None = None
    conversion: GoType | None = None

    def is_function(self, package: str, *names: str) -> bool:
        """A package-level function ``package.name`` (model id) for any of `names`."""
        return self.receiver is None and self.package == package and self.name in names

    def is_method(self, package: str, type_name: str, *names: str) -> bool:
        return (
            self.receiver is not None
            and self.receiver.is_type(package, type_name)
            and self.name in names
        )

    @property
    def returns_error(self) -> bool:
        if self.spec is not None:
            return self.spec.returns_error
        if self.declaration is not None:
            results = signature_results(*self.declaration)
            return bool(results) and results[-1] is not None and results[-1].is_error
        return False


class UseKind(StrEnum):
    """How a use of a value treats it."""

    METHOD_CALL = "method-call"  # v.M(...) or v.F.M(...)
    RETURNED = "returned"
    STORED = "stored"  # field, map/slice element, outer or package variable, literal, append
    PASSED = "passed"  # argument to a function that may take ownership
    CONSUMED = "consumed"  # argument to a model function that takes ownership
    SENT = "sent"  # sent on a channel
    ADDRESS = "address"  # &v
    ALIASED = "aliased"  # copied into another local variable
    OTHER = "other"  # compared, read, passed to a call known not to keep it


ESCAPING = frozenset(
    {
        UseKind.RETURNED,
        UseKind.STORED,
        UseKind.PASSED,
        UseKind.SENT,
        UseKind.ADDRESS,
        UseKind.ALIASED,
    }
)


@dataclass(frozen=True)
class Use:
    """One use of a binding, classified."""

    node: Node  # the identifier
    kind: UseKind
    expression: Node  # the identifier, or the selector chain `v.F` used as a value
    path: str = ""  # member path after the value: "Close", "Body.Close", "Body"
    call: Node | None = None  # the call for METHOD_CALL / PASSED / CONSUMED
    callee: Callee | None = None
    deferred: bool = False
    in_closure: bool = False  # the use is inside a func literal nested in the binding's function


@dataclass(frozen=True)
class ContextRef:
    """A context available at some point: `expression` is what code should write
    (``ctx`` or ``r.Context()``); `binding` is the variable it comes from."""

    expression: str
    binding: Binding
    is_parameter: bool


class Facts:
    """Lazily derived facts about one file of a package."""

    def __init__(self, source: SourceFile, package: PackageIndex, models: ModelSet) -> None:
        self.source = source
        self.package = package
        self.models = models
        own = next((f for f in package.files if f.source is source), None)
        self.file = own if own is not None else FileDecls(source, Imports(source.root, models))
        self.imports = self.file.imports
        self._resolutions: dict[Node, Resolution] = {}
        self._types: dict[Node, GoType | None] = {}
        self._binding_types: dict[int, GoType | None] = {}
        self._callees: dict[Node, Callee | None] = {}
        self._uses: dict[int, list[Use]] = {}
        self._function_bindings: dict[Node, list[Binding]] = {}
        self._context_bindings: dict[Node, list[Binding]] = {}
        self._context_names: dict[int, frozenset[str]] = {}
        # Facts of the package's other files (for their package-level declarations),
        # shared with them so that cross-file questions meet the same caches.
        self._siblings: dict[int, Facts] = {id(source): self}
        self._depth = _Depth()
        # Walks up this file's tree (here, in flow and syntax, in rules using
        # `syntax.parent`) cost its depth once, not once per step.
        self.ancestry = track_parents(source.root)

    def _facts_of(self, file: FileDecls) -> Facts:
        """The Facts of another file of the package (created once)."""
        found = self._siblings.get(id(file.source))
        if found is None:
            found = Facts(file.source, self.package, self.models)
            track_parents(self.ancestry)  # this file stays the one being linted
            found._siblings = self._siblings
            found._depth = self._depth
            self._siblings[id(file.source)] = found
        return found

    # -- names ------------------------------------------------------------------
    def resolution(self, node: Node) -> Resolution:
        """Local bindings of the top-level declaration holding `node`."""
        declaration = self._top_level(node) or node
        found = self._resolutions.get(declaration)
        if found is None:
            found = resolve(declaration)
            self._resolutions[declaration] = found
        return found

    def _top_level(self, node: Node) -> Node | None:
        """`top_level_declaration`, found from the root down: ``Node.parent`` costs
        the node's depth, so walking up from a node 3,000 blocks deep is quadratic."""
        root = self.source.root
        if root.type == "source_file" and self._in_this_tree(node):
            found = root.child_with_descendant(node)
            if found is not None:
                return found
        return top_level_declaration(node)

    def _in_this_tree(self, node: Node) -> bool:
        """True when `node` is a node of this file's tree (not of a sibling's)."""
        probe = self.source.root.descendant_for_byte_range(node.start_byte, node.end_byte)
        while probe is not None and probe != node:
            if probe.start_byte != node.start_byte or probe.end_byte != node.end_byte:
                return False
            probe = parent_of(probe)
        return probe is not None

    def binding(self, node: Node) -> Binding | None:
        """The local variable an identifier (or parenthesised identifier) refers to."""
        node = unparen(node)
        if node.type != "identifier":
            return None
        return self.resolution(node).binding_of(node)

    def bindings_in(self, function: Node) -> list[Binding]:
        """Bindings declared directly in `function` (not in nested func literals)."""
        found = self._function_bindings.get(function)
        if found is None:
            found = [b for b in self.resolution(function).bindings if b.function == function]
            self._function_bindings[function] = found
        return list(found)

    def package_ref(self, node: Node | None) -> str | None:
        """The model id (or path) when `node` is an identifier naming an import."""
        if node is None:
            return None
        node = unparen(node)
        if node.type != "identifier" or self.binding(node) is not None:
            return None
        return self.imports.package_of(text(node))

    # -- types ------------------------------------------------------------------
    def resolve_type(self, type_node: Node | None) -> GoType | None:
        """The GoType of type syntax in this file."""
        return self.file.resolve_type(type_node)

    def type_spec(self, go_type: GoType | None) -> TypeSpec | None:
        if go_type is None:
            return None
        return self.models.type_spec(self.package.underlying(go_type).deref())

    def has_tag(self, go_type: GoType | None, tag: str) -> bool:
        spec = self.type_spec(go_type)
        return spec is not None and tag in spec.tags

    def type_of(self, node: Node) -> GoType | None:
        """The type of an expression, when syntax and models tell it."""
        node = unparen(node)
        if node in self._types:
            return self._types[node]
        if self._depth.value >= MAX_DEPTH:
            return None  # nested too deeply to tell (not cached: a shallower ask may tell)
        self._types[node] = None  # recursion guard
        self._depth.value += 1
        try:
            result = self._compute_type(node)
        finally:
            self._depth.value -= 1
        if result is not None:
            result = self.package.underlying(result)
        self._types[node] = result
        return result

    def _compute_type(self, node: Node) -> GoType | None:
        kind = node.type
        if kind == "identifier":
            binding = self.binding(node)
            if binding is not None:
                return self.binding_type(binding)
            return self._package_name_type(text(node))
        if kind == "selector_expression":
            operand = node.child_by_field_name("operand")
            field = text(node.child_by_field_name("field"))
            package = self.package_ref(operand)
            if package is not None:
                return self.models.variable(package, field)
            if operand is None:
                return None
            operand_type = self.type_of(operand)
            return self.field_type(operand_type, field) if operand_type is not None else None
        if kind == "call_expression":
            results = self.result_types(node)
            return results[0] if results is not None and len(results) == 1 else None
        if kind == "composite_literal":
            return self.resolve_type(node.child_by_field_name("type"))
        if kind == "unary_expression":
            return self._unary_type(node)
        if kind == "index_expression":
            operand = node.child_by_field_name("operand")
            operand_type = self.type_of(operand) if operand is not None else None
            if operand_type is not None and operand_type.kind in ("slice", "map", "array"):
                return operand_type.elem
            return None
        if kind == "type_assertion_expression":
            return self.resolve_type(node.child_by_field_name("type"))
        if kind in ("interpreted_string_literal", "raw_string_literal"):
            return STRING
        if kind == "int_literal":
            return INT
        if kind in ("true", "false"):
            return BOOL
        if kind == "float_literal":
            return GoType(BUILTIN, "float64")
        if kind == "rune_literal":
            return GoType(BUILTIN, "rune")
        if kind == "func_literal":
            return GoType(BUILTIN, "", kind="func")
        if kind == "type_conversion_expression":
            return self.resolve_type(node.child_by_field_name("type"))
        if kind == "binary_expression":
            # Down the left spine without recursion (`a + b + c + ...` nests to the left).
            current = node
            while True:
                operator = current.child_by_field_name("operator")
                if operator is not None and operator.type in _COMPARISONS:
                    return BOOL
                left = current.child_by_field_name("left")
                if left is None:
                    return None
                left = unparen(left)
                if left.type != "binary_expression":
                    return self.type_of(left)
                current = left
        return None

    def _unary_type(self, node: Node) -> GoType | None:
        operator = node.child_by_field_name("operator")
        operand = node.child_by_field_name("operand")
        if operator is None or operand is None:
            return None
        inner = self.type_of(operand)
        if inner is None:
            return None
        if operator.type == "&":
            return inner.pointer_to()
        if operator.type == "*":
            return inner.deref()
        if operator.type == "<-":
            return inner.elem if inner.kind == "chan" else None
        return inner

    def _package_name_type(self, name: str) -> GoType | None:
        declared = self.package.variables.get(name) or self.package.constants.get(name)
        if declared is None:
            return None
        type_node = declared.node.child_by_field_name("type")
        if type_node is not None:
            return declared.file.resolve_type(type_node)
        value = spec_value(declared)
        if value is None:
            return None
        return self._facts_of(declared.file).type_of(value)

    def field_type(self, go_type: GoType, field: str) -> GoType | None:
        """The type of `field` of a struct type (local or modelled)."""
        base = self.package.underlying(go_type).deref()
        return self.package.field_type(base, field, self.models)

    def binding_type(self, binding: Binding) -> GoType | None:
        """The declared or inferred type of a local variable."""
        key = id(binding)
        if key in self._binding_types:
            return self._binding_types[key]
        if self._depth.value >= MAX_DEPTH:
            return None
        self._binding_types[key] = None
        self._depth.value += 1
        try:
            result = self._compute_binding_type(binding)
        finally:
            self._depth.value -= 1
        if result is not None:
            result = self.package.underlying(result)
        self._binding_types[key] = result
        return result

    def _compute_binding_type(self, binding: Binding) -> GoType | None:
        if binding.type_node is not None:
            resolved = self.resolve_type(binding.type_node)
            if binding.decl.type == "variadic_parameter_declaration" and resolved is not None:
                return GoType(BUILTIN, "", kind="slice", elem=resolved)
            return resolved
        value = binding.value
        if value is None:
            return None
        if binding.kind == BindingKind.RANGE:
            collection = self.type_of(value)
            if collection is None:
                return None
            if collection.kind in ("slice", "array"):
                return INT if binding.value_index == 0 else collection.elem
            if collection.kind == "map":
                return collection.elem if binding.value_index == 1 else None
            if collection.kind == "chan":
                return collection.elem if binding.value_index == 0 else None
            if collection.is_type(BUILTIN, "string"):
                return INT if binding.value_index == 0 else GoType(BUILTIN, "rune")
            if collection.package == BUILTIN and collection.name in _INTEGER_TYPES:
                return collection if binding.value_index == 0 else None  # range over int
            return None
        if binding.value_index < 0:
            return self.type_of(value)
        value = unparen(value)
        if value.type == "call_expression":
            results = self.result_types(value)
            if results is not None and binding.value_index < len(results):
                return results[binding.value_index]
            return None
        if binding.value_index == 1 and value.type in (
            "index_expression",
            "type_assertion_expression",
            "unary_expression",
        ):
            return BOOL
        if binding.value_index == 0:
            return self.type_of(value)
        return None

    # -- calls ------------------------------------------------------------------
    def callee(self, call: Node) -> Callee | None:
        """What `call` calls, when it can be told."""
        if call in self._callees:
            found = self._callees[call]
            if found is not None and found.declaration is not None:
                recorder = self.package.recorder
                if recorder is not None:  # a cached answer is read again
                    recorder.name(found.name)
                    recorder.declaration(*found.declaration)
            return found
        if self._depth.value >= MAX_DEPTH:
            return None
        self._callees[call] = None
        self._depth.value += 1
        try:
            result = self._compute_callee(call)
        finally:
            self._depth.value -= 1
        self._callees[call] = result
        return result

    def _compute_callee(self, call: Node) -> Callee | None:
        operand, name = call_function_parts(call)
        if not name:
            return self._pointer_conversion(call)
        if operand is None:
            function = unparen(call.child_by_field_name("function") or call)
            if function.type == "identifier" and self.binding(function) is not None:
                return Callee(None, name)
            declared = self.package.functions.get(name)
            if declared is not None:
                return Callee(LOCAL, name, declaration=(declared.node, declared.file))
            if name in self.package.types:
                return Callee(LOCAL, name, conversion=GoType(LOCAL, name))
            if name in BUILTIN_FUNCTIONS:
                return Callee(BUILTIN, name)
            for dotted in self.imports.dot_packages:
                spec = self.models.function(dotted, name)
                if spec is not None:
                    return Callee(dotted, name, spec=spec)
            return None
        package = self.package_ref(operand)
        if package is not None:
            spec = self.models.function(package, name)
            if spec is not None:
                return Callee(package, name, spec=spec)
            model = self.models.by_id(package)
            if model is not None and name in model.types:
                return Callee(package, name, conversion=GoType(package, name))
            return Callee(package, name)
        receiver = self.type_of(operand)
        if receiver is None:
            return Callee(None, name)
        return self._method_callee(receiver, name)

    def _pointer_conversion(self, call: Node) -> Callee | None:
        """``(*T)(x)`` and ``(*pkg.T)(x)``: a conversion to a pointer type."""
        function = call.child_by_field_name("function")
        if function is None:
            return None
        function = unparen(function)
        operator = function.child_by_field_name("operator")
        operand = function.child_by_field_name("operand")
        if (
            function.type != "unary_expression"
            or operator is None
            or operator.type != "*"
            or operand is None
        ):
            return None
        operand = unparen(operand)
        if operand.type == "identifier" and self.binding(operand) is None:
            name = text(operand)
            if name in self.package.types:
                return Callee(LOCAL, name, conversion=GoType(LOCAL, name, True))
            return None
        if operand.type == "selector_expression":
            package = self.package_ref(operand.child_by_field_name("operand"))
            name = text(operand.child_by_field_name("field"))
            model = self.models.by_id(package) if package is not None else None
            if package is not None and model is not None and name in model.types:
                return Callee(package, name, conversion=GoType(package, name, True))
        return None

    def _method_callee(self, receiver: GoType, name: str) -> Callee:
        base = self.package.underlying(receiver).deref()
        if base.package == LOCAL:
            declaration = self.package.method(base, name)
            if declaration is not None:
                return Callee(LOCAL, name, receiver=receiver, declaration=declaration)
            for embedded in self._embedded_closure(base):
                if embedded.package != LOCAL:
                    spec = self.models.method(embedded.deref(), name)
                    if spec is not None:
                        return Callee(embedded.package, name, receiver=embedded, spec=spec)
            return Callee(LOCAL, name, receiver=receiver)
        spec = self.models.method(base, name)
        return Callee(base.package, name, receiver=receiver, spec=spec)

    def _embedded_closure(self, go_type: GoType) -> list[GoType]:
        result: list[GoType] = []
        pending = [go_type]
        seen: set[str] = set()
        while pending:
            current = pending.pop()
            for embedded in self.package.embedded_types(current.deref()):
                key = str(embedded)
                if key in seen:
                    continue
                seen.add(key)
                result.append(embedded)
                pending.append(embedded)
        return result

    def result_types(self, call: Node) -> tuple[GoType | None, ...] | None:
        """The result types of a call (None when unknown)."""
        callee = self.callee(call)
        if callee is None:
            return None
        if callee.conversion is not None:
            return (callee.conversion,)
        if callee.spec is not None:
            return callee.spec.returns
        if callee.declaration is not None:
            return signature_results(*callee.declaration)
        if callee.package == BUILTIN:
            return self._builtin_results(call, callee.name)
        return None

    def _builtin_results(self, call: Node, name: str) -> tuple[GoType | None, ...] | None:
        args = arguments(call)
        if name in ("len", "cap", "copy"):
            return (INT,)
        if name == "new" and args:
            inner = self.resolve_type(args[0])
            return (inner.pointer_to() if inner is not None else None,)
        if name == "make" and args:
            return (self.resolve_type(args[0]),)
        if name == "append" and args:
            return (self.type_of(args[0]),)
        if name == "recover":
            return (GoType(BUILTIN, "any"),)
        return ()

    # -- values -----------------------------------------------------------------
    def uses(self, binding: Binding) -> list[Use]:
        """Every use of `binding` after its declaration, classified."""
        key = id(binding)
        found = self._uses.get(key)
        if found is None:
            found = [self._classify(binding, node) for node in binding.uses]
            self._uses[key] = found
        return found

    def _classify(self, binding: Binding, ident: Node) -> Use:
        function = self.resolution(ident).use_functions.get(ident)
        if function is None:
            function = enclosing_function(ident)
        in_closure = function != binding.function
        path: list[str] = []
        expression = ident
        parent = parent_of(expression)
        while (
            parent is not None
            and parent.type == "selector_expression"
            and parent.child_by_field_name("operand") == expression
        ):
            path.append(text(parent.child_by_field_name("field")))
            expression = parent
            parent = parent_of(expression)
        if (
            path
            and parent is not None
            and parent.type == "call_expression"
            and parent.child_by_field_name("function") == expression
        ):
            return Use(
                ident,
                UseKind.METHOD_CALL,
                expression,
                ".".join(path),
                call=parent,
                deferred=flow.is_deferred(parent),
                in_closure=in_closure,
            )
        kind, call, callee = self._value_context(expression, binding)
        return Use(
            ident,
            kind,
            expression,
            ".".join(path),
            call=call,
            callee=callee,
            deferred=call is not None and flow.is_deferred(call),
            in_closure=in_closure,
        )

    def _value_context(
        self, expression: Node, binding: Binding
    ) -> tuple[UseKind, Node | None, Callee | None]:
        node = expression
        parent = parent_of(node)
        while parent is not None and parent.type == "parenthesized_expression":
            node, parent = parent, parent_of(parent)
        if parent is None:
            return UseKind.OTHER, None, None
        kind = parent.type
        if kind == "expression_list":
            holder = parent_of(parent)
            if holder is None:
                return UseKind.OTHER, None, None
            if holder.type == "return_statement":
                return UseKind.RETURNED, None, None
            if (
                holder.type == "assignment_statement"
                and holder.child_by_field_name("right") == parent
            ):
                return self._assignment_context(holder, parent, node, binding), None, None
            if holder.type in ("short_var_declaration", "var_spec") and (
                holder.child_by_field_name("right") == parent
                or holder.child_by_field_name("value") == parent
            ):
                return UseKind.ALIASED, None, None
            return UseKind.OTHER, None, None
        if kind == "return_statement":
            return UseKind.RETURNED, None, None
        if kind == "argument_list":
            call = parent_of(parent)
            if call is None or call.type != "call_expression":
                return UseKind.OTHER, None, None
            return self._argument_context(call, parent, node)
        if kind in ("literal_element", "keyed_element"):
            return UseKind.STORED, None, None
        if kind == "unary_expression":
            operator = parent.child_by_field_name("operator")
            if operator is not None and operator.type == "&":
                return UseKind.ADDRESS, None, None
            return UseKind.OTHER, None, None
        if kind == "send_statement" and parent.child_by_field_name("value") == node:
            return UseKind.SENT, None, None
        if kind == "assignment_statement" and parent.child_by_field_name("right") == node:
            return self._assignment_context(parent, node, node, binding), None, None
        if kind in ("short_var_declaration", "var_spec"):
            return UseKind.ALIASED, None, None
        return UseKind.OTHER, None, None

    def _assignment_context(
        self, statement: Node, right: Node, value: Node, binding: Binding
    ) -> UseKind:
        rights = expression_list(right)
        lefts = expression_list(statement.child_by_field_name("left"))
        if len(rights) != len(lefts):
            return UseKind.STORED
        target = lefts[rights.index(value)] if value in rights else None
        if target is None:
            return UseKind.STORED
        target = unparen(target)
        if target.type == "identifier":
            if text(target) == "_":
                return UseKind.OTHER
            other = self.binding(target)
            if other is not None and other.function == binding.function:
                return UseKind.ALIASED
        return UseKind.STORED

    def _argument_context(
        self, call: Node, argument_list: Node, argument: Node
    ) -> tuple[UseKind, Node | None, Callee | None]:
        callee = self.callee(call)
        index = [a for a in argument_list.named_children if a.type != "comment"].index(argument)
        if callee is None or (callee.package is None and callee.spec is None):
            return UseKind.PASSED, call, callee
        if callee.conversion is not None:
            return UseKind.ALIASED, call, callee
        if callee.package == BUILTIN:
            kind = UseKind.STORED if callee.name == "append" and index > 0 else UseKind.OTHER
            return kind, call, callee
        if callee.spec is not None:
            if index in callee.spec.consumes:
                return UseKind.CONSUMED, call, callee
            return UseKind.OTHER, call, callee
        return UseKind.PASSED, call, callee

    def escape(self, binding: Binding) -> Use | None:
        """The first use by which the value leaves the function's control: returned,
        stored, passed to a function that may keep it, sent, aliased, or used in a
        closure. A field of the value (``resp.Body``) passed to a function counts
        only when the function is declared in this package."""
        for use in self.uses(binding):
            if use.kind == UseKind.METHOD_CALL:
                if use.in_closure:
                    return use
                continue
            if use.kind not in ESCAPING:
                if use.in_closure and use.kind != UseKind.CONSUMED:
                    return use
                continue
            if (
                use.path
                and use.kind == UseKind.PASSED
                and (use.callee is None or use.callee.package != LOCAL)
            ):
                continue
            return use
        return None

    def releases(self, binding: Binding, *, include_transfer: bool = True) -> list[Use]:
        """Uses that release the value: a call to one of its type's release methods
        (``Close``, ``Body.Close``...), or handing it to a model function that takes
        ownership (``pgx.CollectRows``)."""
        spec = self.type_spec(self.binding_type(binding))
        paths = set(spec.release) if spec is not None else set()
        if include_transfer and spec is not None:
            paths |= set(spec.transfer)
        return [
            use
            for use in self.uses(binding)
            if (use.kind == UseKind.METHOD_CALL and use.path in paths)
            or use.kind == UseKind.CONSUMED
        ]

    def unreleased_exit(
        self, binding: Binding, releasing: list[Use], declaration: Node
    ) -> Node | None:
        """A way out of the value's scope after `declaration` that no releasing use
        guards, or None.

        Ways out are the return statements inside the binding's scope and the end
        of that scope (the end of the function body when the value lives there).
        A release guards a way out when it runs on every path to it; a deferred
        release at the top level of the declaration's block guards every later
        way out. Returns inside the error check right after the declaration are
        exempt (the value is not valid there), and so are returns of the value.
        """
        function = binding.function
        body = function.child_by_field_name("body")
        if body is None:
            return None
        decl_statement = flow.statement_of(declaration)
        decl_block = parent_of(decl_statement)
        guards = [u.call if u.call is not None else u.node for u in releasing]
        guards = [g for g in guards if g.start_byte >= declaration.start_byte]
        deferred = [_deferring_statement(g, function) for g in guards if flow.is_deferred(g)]
        top_level_defers = [
            d
            for d in deferred
            if parent_of(d) == decl_block and d.start_byte >= decl_statement.end_byte
        ]
        check = error_check(declaration)
        exempt = [check.invalid] if check is not None and check.invalid is not None else []
        own_uses = self.uses(binding)
        # A release that always runs on the valid branch of the error check
        # (`if err != nil { ... } else { rows.Close() }`, `if err == nil { rows.Close() }`)
        # guards every way out after that check.
        after_check = (
            check.statement.end_byte
            if check is not None
            and check.valid is not None
            and any(_always_runs_in(check.valid, g) for g in guards)
            else None
        )

        def guarded(target: Node) -> bool:
            if after_check is not None and target.start_byte >= after_check:
                return True
            if any(d.end_byte <= target.start_byte for d in top_level_defers):
                return True
            return any(flow.dominates(g, target) for g in guards)

        scope = binding.scope
        for ret in flow.returns_of(function):
            if ret.start_byte < declaration.end_byte or not (
                scope.start_byte <= ret.start_byte < scope.end_byte
            ):
                continue
            if any(e.start_byte <= ret.start_byte < e.end_byte for e in exempt):
                continue
            if any(ret.start_byte <= u.node.start_byte < ret.end_byte for u in own_uses):
                continue
            if not guarded(ret):
                return ret
        if scope == body:
            if not flow.ends_without_return(function):
                return None
        elif decl_block is None or decl_block.type != "statement_list":
            return None
        else:
            last = decl_block.named_children[-1] if decl_block.named_children else None
            if last is None or last.type == "return_statement":
                return None
        end: Node | None = scope.child(scope.child_count - 1)
        if top_level_defers or after_check is not None:
            return None
        for guard in guards:
            statement = flow.statement_of(guard)
            if (
                parent_of(statement) == decl_block
                and not flow.is_deferred(guard)
                and statement.start_byte >= decl_statement.end_byte
            ):
                return None
        return end if end is not None else scope

    # -- functions and contexts -------------------------------------------------
    def enclosing_function(self, node: Node) -> Node | None:
        """The innermost function declaration, method or func literal holding `node`
        (as `syntax.enclosing_function`, without walking up the tree)."""
        if not self._in_this_tree(node):
            return enclosing_function(node)
        resolution = self.resolution(node)
        functions = resolution.functions
        # In source order, a function holding `node` starts at or before it; the one
        # that starts last is the innermost: walk back from there (nesting 1,500
        # func literals deep must not make every lookup scan them all).
        index = bisect_right(resolution.function_starts, node.start_byte) - 1
        while index >= 0:
            function = functions[index]
            index -= 1
            if node.end_byte > function.end_byte or function == node:
                continue
            if (function.start_byte, function.end_byte) == (node.start_byte, node.end_byte):
                return enclosing_function(node)  # same span: which holds which?
            return function
        return None

    def function_results(self, function: Node) -> tuple[GoType | None, ...]:
        """Result types of a function declaration, method or func literal."""
        return signature_results(function, self.file)

    def returns_error(self, function: Node) -> bool:
        results = self.function_results(function)
        return bool(results) and results[-1] is not None and results[-1].is_error

    def context_in_scope(self, node: Node) -> ContextRef | None:
        """The context a call at `node` should use: a ``context.Context`` variable
        visible there (innermost first, parameters and locals), else ``r.Context()``
        of a visible ``*http.Request``."""
        request: ContextRef | None = None
        shadowed: set[str] = set()  # names already taken by a closer declaration
        function = self.enclosing_function(node)
        while function is not None:
            candidates = [
                b
                for b in self._context_candidates(function)
                if _declared_before(b, node) and _visible(b, node)
            ]
            for binding in reversed(candidates):
                if binding.name in shadowed:
                    continue
                shadowed.add(binding.name)
                binding_type = self.binding_type(binding)
                if binding_type is None:
                    continue
                if binding_type.is_type("context", "Context"):
                    return ContextRef(binding.name, binding, binding.kind == BindingKind.PARAM)
                if (
                    request is None
                    and binding_type.is_type("net/http", "Request")
                    and binding_type.pointer
                ):
                    request = ContextRef(
                        f"{binding.name}.Context()", binding, binding.kind == BindingKind.PARAM
                    )
            function = self.enclosing_function(function)
        return request

    def _context_candidates(self, function: Node) -> list[Binding]:
        """The bindings of `function` that matter to `context_in_scope`: those named
        like a context or request variable of the declaration (the others can
        neither be one nor shadow one). Computed once per function, so that asking
        at every call of a long function is not quadratic."""
        found = self._context_bindings.get(function)
        if found is None:
            resolution = self.resolution(function)
            names = self._context_names.get(id(resolution))
            if names is None:
                names = frozenset(
                    b.name for b in resolution.bindings if _holds_context(self.binding_type(b))
                )
                self._context_names[id(resolution)] = names
            found = [b for b in self.bindings_in(function) if b.name in names]
            self._context_bindings[function] = found
        return found

    # -- constants --------------------------------------------------------------
    def const_string(self, node: Node, depth: int = 0) -> str | None:
        """The value of a constant string expression: literals, constants (local or
        package-level) and ``+`` concatenations of them."""
        if depth > 8:
            return None
        # `+` chains of any length, without recursion; `depth` counts only the
        # constants followed to their declarations.
        parts: list[str] = []
        pending = [node]
        while pending:
            current = unparen(pending.pop())
            if current.type == "binary_expression":
                operator = current.child_by_field_name("operator")
                left = current.child_by_field_name("left")
                right = current.child_by_field_name("right")
                if operator is None or operator.type != "+" or left is None or right is None:
                    return None
                pending += [right, left]
                continue
            value = self._const_string_operand(current, depth)
            if value is None:
                return None
            parts.append(value)
        return "".join(parts)

    def _const_string_operand(self, node: Node, depth: int) -> str | None:
        if node.type == "interpreted_string_literal":
            return _unquote(text(node))
        if node.type == "raw_string_literal":
            return text(node)[1:-1].replace("\r", "")
        if node.type == "identifier":
            binding = self.binding(node)
            if binding is not None:
                if binding.kind == BindingKind.CONST and binding.value is not None:
                    return self.const_string(binding.value, depth + 1)
                return None
            declared = self.package.constants.get(text(node))
            if declared is None:
                return None
            value = spec_value(declared)
            if value is None:
                return None
            return self._facts_of(declared.file).const_string(value, depth + 1)
        return None

    def is_constant(self, node: Node) -> bool:
        """True for literals, constants and expressions built only from them."""
        pending = [node]
        while pending:
            current = unparen(pending.pop())
            if current.type == "binary_expression":
                left = current.child_by_field_name("left")
                right = current.child_by_field_name("right")
                if left is None or right is None:
                    return False
                pending += [right, left]
            elif not self._is_constant_operand(current):
                return False
        return True

    def _is_constant_operand(self, node: Node) -> bool:
        if node.type in (
            "interpreted_string_literal",
            "raw_string_literal",
            "int_literal",
            "float_literal",
            "rune_literal",
            "true",
            "false",
            "nil",
        ):
            return True
        if node.type == "identifier":
            binding = self.binding(node)
            if binding is not None:
                return binding.kind == BindingKind.CONST
            return text(node) in self.package.constants
        return False


@dataclass(frozen=True)
class ErrorCheck:
    """The ``if`` that checks the error of a declaration, split into the branch
    where the declared values are invalid and the one where they are valid."""

    statement: Node
    invalid: Node | None
    valid: Node | None


def error_check(declaration: Node) -> ErrorCheck | None:
    """The check of `declaration`'s error: the ``if`` right after it or the ``if``
    whose initializer it is, with a condition ``err != nil`` or ``err == nil``."""
    left = expression_list(
        declaration.child_by_field_name("left") or declaration.child_by_field_name("name")
    )
    error_names = {text(n) for n in left if "err" in text(n).lower()}
    if not error_names:
        return None
    statement: Node | None = None
    parent = parent_of(declaration)
    if parent is not None and parent.type == "if_statement":
        statement = parent
    else:
        following = declaration.next_named_sibling
        while following is not None and following.type == "comment":
            following = following.next_named_sibling
        if following is not None and following.type == "if_statement":
            statement = following
    if statement is None:
        return None
    condition = statement.child_by_field_name("condition")
    if condition is None or condition.type != "binary_expression":
        return None
    left_operand = condition.child_by_field_name("left")
    right_operand = condition.child_by_field_name("right")
    operator = condition.child_by_field_name("operator")
    if (
        left_operand is None
        or right_operand is None
        or operator is None
        or text(left_operand) not in error_names
        or right_operand.type != "nil"
    ):
        return None
    consequence = statement.child_by_field_name("consequence")
    alternative = statement.child_by_field_name("alternative")
    if operator.type == "!=":
        return ErrorCheck(statement, consequence, alternative)
    if operator.type == "==":
        return ErrorCheck(statement, alternative, consequence)
    return None


def _always_runs_in(branch: Node, node: Node) -> bool:
    """True when `node` runs whenever `branch` (a block, or an ``else if``) runs."""
    if branch.type == "if_statement":
        for field_name in ("initializer", "condition"):
            part = branch.child_by_field_name(field_name)
            if part is not None and part.start_byte <= node.start_byte < part.end_byte:
                return True
        return False
    statement = flow.statement_of(node)
    holder = parent_of(statement)
    return holder is not None and parent_of(holder) == branch


def _holds_context(go_type: GoType | None) -> bool:
    """A ``context.Context`` or a ``*http.Request`` (whose Context() is one)."""
    return go_type is not None and (
        go_type.is_type("context", "Context")
        or (go_type.is_type("net/http", "Request") and go_type.pointer)
    )


def _deferring_statement(node: Node, function: Node) -> Node:
    """The statement of `function` that defers `node`: the ``defer`` holding it
    (``defer rows.Close()``, ``defer func() { rows.Close() }()``)."""
    found: Node | None = None
    current: Node | None = node
    while current is not None and current != function:
        if current.type == "defer_statement":
            found = current
        current = parent_of(current)
    return found if found is not None else flow.statement_of(node)


def _declared_before(binding: Binding, node: Node) -> bool:
    """True when `binding` is in scope at `node`'s position: after its declaring
    statement (``ctx, cancel := context.WithTimeout(ctx, d)`` refers to the old
    ``ctx`` in its own initializer), or after its name for parameters."""
    if binding.kind in (
        BindingKind.SHORT,
        BindingKind.VAR,
        BindingKind.CONST,
        BindingKind.RANGE,
        BindingKind.RECEIVE,
    ):
        return binding.decl.end_byte <= node.start_byte
    return binding.ident.end_byte <= node.start_byte


def _visible(binding: Binding, node: Node) -> bool:
    scope = binding.scope
    return scope.start_byte <= node.start_byte and node.end_byte <= scope.end_byte


_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _unquote(literal: str) -> str:
    """The value of a Go interpreted string literal (escapes decoded; ``\\xHH`` and
    octal escapes are bytes, decoded as UTF-8 like Go prints them)."""
    body = literal[1:-1] if len(literal) >= 2 else literal
    if "\\" not in body:
        return body
    out = bytearray()
    index = 0
    while index < len(body):
        ch = body[index]
        if ch != "\\" or index + 1 >= len(body):
            out += ch.encode("utf-8", "surrogateescape")
            index += 1
            continue
        escape = body[index + 1]
        width = _HEX_ESCAPES.get(escape)
        digits = body[index + 2 : index + 2 + (width or 0)]
        try:
            if width is not None and len(digits) == width:
                value = int(digits, 16)
                if escape == "x":
                    out.append(value)
                else:
                    out += chr(value).encode("utf-8", "surrogateescape")
                index += 2 + width
                continue
            octal = body[index + 1 : index + 4]
            if escape in "01234567" and len(octal) == 3:
                out.append(int(octal, 8) & 0xFF)
                index += 4
                continue
        except ValueError:
            pass
        out += _ESCAPES.get(escape, escape).encode("utf-8", "surrogateescape")
        index += 2
    return out.decode("utf-8", "surrogateescape")
