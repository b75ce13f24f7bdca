"""SQL text as Go code writes it: which argument a call executes, and what it is built from.

`sql_argument` finds the SQL text a call executes (models tag the argument:
``sql:N``). `trace` follows that expression through what code builds SQL
with — string literals, constants of the package (`Facts.const_string`),
local variables and their ``+=`` appends, ``+`` concatenations,
``fmt.Sprintf``, ``strings.Join``, ``strings.Builder``/``bytes.Buffer``
writes, SQL rewriters (``sqlx.In``, ``db.Rebind``: model tag
``sql-rewrite:N``) — into `Piece`s: constant text, or a value spliced in by
some construct (`Piece.how`), safe when it is a number or comes from a
quoting function (``pgx.Identifier{...}.Sanitize()``, ``pq.QuoteIdentifier``:
model tag ``sql-safe``).

`SqlText.sketch` writes the known text with `HOLE` for each value, for the
tokenizer of `_sql_tokens` (re-exported here: `tokenize`, `statement_keyword`,
`star_selects`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import BindingKind, Facts
from gobex.facts.package import spec_value
from gobex.facts.syntax import arguments, expression_list, text, unparen
from gobex.facts.syntax import parent as parent_of
from gobex.gotypes import BUILTIN, GoType

from .._shared.printf import parse_verbs
from ._sql_tokens import HOLE, Token, star_selects, statement_keyword, tokenize

__all__ = [
    "HOLE",
    "SQL_CALL_QUERY",
    "Piece",
    "SqlText",
    "Token",
    "sql_argument",
    "star_selects",
    "statement_keyword",
    "tag_index",
    "tokenize",
    "trace",
]


# Calls that may take SQL text (narrows rule queries; `sql_argument` decides).
_SQL_METHODS = (
    "^((Query|QueryRow|Queryx|QueryRowx|NamedQuery|NamedExec|Exec|MustExec"
    "|Prepare|Preparex|PrepareNamed|Get|Select)(Context)?|QueryFunc|Queue)$"
)
SQL_CALL_QUERY = f"""
(call_expression
  function: (selector_expression field: (field_identifier) @method)
  (#match? @method "{_SQL_METHODS}")) @call
"""

# How deep `trace` follows variables, helpers and nested builders.
_MAX_DEPTH = 6
_NUMERIC = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"}
    | {"uintptr", "byte", "rune", "float32", "float64", "bool"}
)
# fmt verbs whose output is a number or a boolean whatever the operand (vet
# reports a string given to them).
_NUMERIC_VERBS = frozenset("bcdoOxXeEfFgGtU")
_STRCONV_NUMBERS = frozenset(
    {"Itoa", "FormatInt", "FormatUint", "FormatFloat", "FormatBool", "AppendInt"}
)
# strings functions whose result is built from their first argument (the
# others must be safe as well: `strings.Replace(q, "?", v, -1)` splices `v`).
_STRING_REWRITES = frozenset(
    {
        "TrimSpace",
        "TrimSuffix",
        "TrimPrefix",
        "TrimRight",
        "TrimLeft",
        "Trim",
        "ToUpper",
        "ToLower",
        "Replace",
        "ReplaceAll",
        "Repeat",
    }
)
_BUILDERS = (("strings", "Builder"), ("bytes", "Buffer"))
_BUILDER_WRITES = frozenset({"WriteString", "Write", "WriteByte", "WriteRune"})


@dataclass(frozen=True)
class Piece:
    """One part of some SQL text: constant `text`, or a value (`text` None).

    `how` names the construct that spliced a value into the text
    (``fmt.Sprintf``, ``+``, ``strings.Join``, ``strings.Builder``...); it is
    empty for constants and for the traced expression itself when it is a
    plain value (a parameter: not built here). `safe` is true for constants,
    numbers and quoted identifiers or literals.
    """

    text: str | None
    node: Node
    how: str
    safe: bool


@dataclass(frozen=True)
class SqlText:
    """What a SQL expression is made of, in source order (alternatives that
    re-assign a variable are appended)."""

    pieces: tuple[Piece, ...]
    complete: bool  # no re-assignment replaced the text: `sketch` is one text

    @property
    def constant(self) -> str | None:
        """The text when every piece is constant and it has one value."""
        if not self.complete or any(p.text is None for p in self.pieces):
            return None
        return "".join(p.text or "" for p in self.pieces)

    def sketch(self) -> str:
        """The known text with `HOLE` for each value."""
        return "".join(HOLE if p.text is None else p.text for p in self.pieces)

    def unsafe_values(self) -> list[Piece]:
        """Values spliced into the text that are neither numbers nor quoted."""
        return [p for p in self.pieces if p.how and not p.safe]


def sql_argument(facts: Facts, call: Node) -> Node | None:
    """The argument holding the SQL text a call executes or prepares (model tag
    ``sql:N`` on the function or method), or None."""
    callee = facts.callee(call)
    if callee is None or callee.spec is None:
        return None
    index = tag_index(callee.spec.tags, "sql")
    if index is None:
        return None
    args = arguments(call)
    return args[index] if index < len(args) else None


def tag_index(tags: frozenset[str], name: str) -> int | None:
    """N of a ``name:N`` model tag."""
    prefix = name + ":"
    for tag in tags:
        if tag.startswith(prefix) and tag[len(prefix) :].isdigit():
            return int(tag[len(prefix) :])
    return None


def trace(facts: Facts, node: Node, *, before: Node | None = None) -> SqlText:
    """The pieces of the SQL expression `node`; variables are followed through
    their assignments before `before` (default: `node`)."""
    tracer = _Tracer(facts, before if before is not None else node)
    pieces = tracer.pieces(node, "", 0)
    return SqlText(tuple(pieces), tracer.complete)


class _Tracer:
    def __init__(self, facts: Facts, before: Node) -> None:
        self.facts = facts
        self.before = before
        self.complete = True
        self.active: set[int] = set()  # bindings and declarations being followed

    # -- dispatch ---------------------------------------------------------------
    def pieces(self, node: Node, how: str, depth: int) -> list[Piece]:
        node = unparen(node)
        constant = self.facts.const_string(node)
        if constant is not None:
            return [Piece(constant, node, "", True)]
        if depth > _MAX_DEPTH:
            return [self.value(node, how)]
        kind = node.type
        if kind == "binary_expression":
            return self.concatenation(node, how, depth)
        if kind == "call_expression":
            return self.call(node, how, depth)
        if kind == "identifier":
            return self.identifier(node, how, depth)
        return [self.value(node, how)]

    def value(self, node: Node, how: str, safe: bool | None = None) -> Piece:
        return Piece(None, node, how, self.is_number(node) if safe is None else safe)

    def is_number(self, node: Node) -> bool:
        go_type = self.facts.type_of(node)
        return go_type is not None and _numeric(go_type)

    # -- shapes -------------------------------------------------------------------
    def concatenation(self, node: Node, how: str, depth: int) -> list[Piece]:
        operator = node.child_by_field_name("operator")
        if operator is None or operator.type != "+":
            return [self.value(node, how)]
        # `a + b + c` nests to the left: flatten without recursion.
        operands: list[Node] = []
        pending = [node]
        while pending:
            current = unparen(pending.pop())
            current_operator = current.child_by_field_name("operator")
            if (
                current.type == "binary_expression"
                and current_operator is not None
                and current_operator.type == "+"
            ):
                left = current.child_by_field_name("left")
                right = current.child_by_field_name("right")
                if left is None or right is None:
                    return [self.value(node, how)]
                pending += [right, left]
            else:
                operands.append(current)
        result: list[Piece] = []
        for operand in operands:
            result += self.pieces(operand, "+", depth + 1)
        return result

    def identifier(self, node: Node, how: str, depth: int) -> list[Piece]:
        binding = self.facts.binding(node)
        if binding is None:
            return self.package_variable(node, how, depth)
        if id(binding) in self.active:
            return []  # `q = q + ...`: the text so far
        if binding.kind == BindingKind.RANGE and binding.value is not None:
            return [self.value(node, how, self.ranges_over_safe(binding.value, depth))]
        if binding.kind not in (BindingKind.SHORT, BindingKind.VAR):
            return [self.value(node, how)]
        self.active.add(id(binding))
        try:
            result: list[Piece] = []
            if binding.value is not None:
                value = unparen(binding.value)
                if binding.value_index < 0:
                    result += self.pieces(value, how, depth + 1)
                elif value.type == "call_expression":
                    result += self.rewritten(value, how, depth) or [self.value(node, how)]
                else:
                    return [self.value(node, how)]
            for target in binding.assignments:
                if target.start_byte >= self.before.start_byte:
                    continue
                statement = _assignment_of(target)
                if statement is None:
                    continue
                right = _assigned_value(statement, target)
                operator = statement.child_by_field_name("operator")
                if right is None:
                    result.append(self.value(node, how))
                    continue
                appends = operator is not None and operator.type == "+="
                if not appends:
                    self.complete = False
                result += self.pieces(right, "+" if appends else how, depth + 1)
            return result or [self.value(node, how)]
        finally:
            self.active.discard(id(binding))

    def package_variable(self, node: Node, how: str, depth: int) -> list[Piece]:
        """A package ``var q = "..."`` (never written again, as such vars are)."""
        declared = self.facts.package.variables.get(text(node))
        if declared is None or declared.node.child_by_field_name("type") is not None:
            return [self.value(node, how)]
        value = spec_value(declared)
        if value is None or id(declared.node) in self.active:
            return [self.value(node, how)]
        self.active.add(id(declared.node))
        try:
            constant = self.facts.const_string(value)
            if constant is not None:
                return [Piece(constant, node, "", True)]
            return [self.value(node, how)]
        finally:
            self.active.discard(id(declared.node))

    # -- calls --------------------------------------------------------------------
    def call(self, node: Node, how: str, depth: int) -> list[Piece]:
        callee = self.facts.callee(node)
        if callee is None:
            return [self.value(node, how)]
        args = arguments(node)
        if callee.receiver is None and callee.package == "fmt":
            if callee.name == "Sprintf" and args:
                return self.sprintf(node, args[0], args[1:], how, depth)
            if callee.name in ("Sprint", "Sprintln"):
                pieces: list[Piece] = []
                for arg in args:
                    pieces += self.pieces(arg, "fmt." + callee.name, depth + 1)
                return pieces
        if callee.receiver is None and callee.package == "strings":
            if callee.name == "Join" and len(args) == 2:
                return self.join(args[0], args[1], how, depth)
            if callee.name in _STRING_REWRITES and args:
                return self.string_rewrite(node, args, how, depth)
        if callee.receiver is None and callee.package == "strconv":
            return [self.value(node, how, callee.name in _STRCONV_NUMBERS)]
        if callee.name == "String" and callee.receiver is not None and not args:
            builder = self.builder(node, how, depth)
            if builder is not None:
                return builder
        if callee.spec is not None and "sql-safe" in callee.spec.tags:
            return [self.value(node, how, True)]
        rewritten = self.rewritten(node, how, depth)
        if rewritten is not None:
            return rewritten
        if callee.declaration is not None:
            return [self.value(node, how, self.helper_is_safe(callee.declaration[0], depth))]
        return [self.value(node, how)]

    def rewritten(self, call: Node, how: str, depth: int) -> list[Piece] | None:
        """``sqlx.In(q, ids)``, ``db.Rebind(q)``: SQL made from argument N."""
        callee = self.facts.callee(call)
        if callee is None or callee.spec is None:
            return None
        index = tag_index(callee.spec.tags, "sql-rewrite")
        args = arguments(call)
        if index is None or index >= len(args):
            return None
        return self.pieces(args[index], how, depth + 1)

    def sprintf(
        self, call: Node, format_node: Node, operands: Sequence[Node], how: str, depth: int
    ) -> list[Piece]:
        spliced = "fmt.Sprintf" if not how.startswith("strings.Builder") else how
        format_text = self.facts.const_string(format_node)
        verbs = parse_verbs(format_text, len(operands)) if format_text is not None else None
        if format_text is None or verbs is None:
            return [self.value(call, spliced, False)]
        result: list[Piece] = []
        position = 0
        for verb in verbs:
            if verb.start > position:
                result.append(Piece(format_text[position : verb.start], format_node, "", True))
            position = verb.end
            if verb.operand is None:
                result.append(Piece("%", format_node, "", True))
                continue
            operand = operands[verb.operand]
            if verb.verb in _NUMERIC_VERBS:
                result.append(Piece(None, operand, spliced, True))
            else:
                result += self.pieces(operand, spliced, depth + 1)
        if position < len(format_text):
            result.append(Piece(format_text[position:], format_node, "", True))
        return result

    def join(self, elements: Node, separator: Node, how: str, depth: int) -> list[Piece]:
        spliced = "strings.Join"
        sep = self.facts.const_string(separator)
        items = self.slice_elements(elements, depth)
        if items is None:
            return [self.value(elements, spliced, self.is_number_slice(elements))]
        result: list[Piece] = []
        for index, item in enumerate(items):
            if index and sep is not None:
                result.append(Piece(sep, separator, "", True))
            result += self.pieces(item, spliced, depth + 1)
        if sep is None:
            result.append(self.value(separator, spliced))
        if not items:
            self.complete = False  # filled somewhere we do not see: text unknown
            result.append(Piece(None, elements, spliced, True))
        return result

    def slice_elements(self, node: Node, depth: int) -> list[Node] | None:
        """The elements a ``[]string`` is built from: its literal, and the values
        appended or assigned to it before the use; None when it comes from
        elsewhere (a parameter, a field, a call)."""
        node = unparen(node)
        if node.type == "composite_literal":
            return _literal_elements(node)
        if node.type != "identifier":
            return None
        binding = self.facts.binding(node)
        if binding is None:
            declared = self.facts.package.variables.get(text(node))
            value = spec_value(declared) if declared is not None else None
            if value is not None and unparen(value).type == "composite_literal":
                return _literal_elements(unparen(value))
            return None
        if binding.kind not in (BindingKind.SHORT, BindingKind.VAR):
            return None
        items: list[Node] = []
        if binding.value is not None:
            value = unparen(binding.value)
            if value.type == "composite_literal":
                items += _literal_elements(value)
            elif not _is_make(value):
                return None
        for use in binding.uses:
            if use.start_byte >= self.before.start_byte:
                continue
            appended = _appended(use)
            if appended is not None:
                items += appended
                continue
            indexed = parent_of(use)
            if indexed is not None and indexed.type == "index_expression":
                statement = _assignment_of(indexed)
                if statement is not None:
                    right = _assigned_value(statement, indexed)
                    if right is None:
                        return None
                    items.append(right)
        for target in binding.assignments:
            if target.start_byte >= self.before.start_byte:
                continue
            statement = _assignment_of(target)
            right = _assigned_value(statement, target) if statement is not None else None
            if right is None:
                return None
            right = unparen(right)
            if right.type == "composite_literal":
                items += _literal_elements(right)
            elif not (_is_append_to(right, binding.name) or _is_make(right)):
                return None
        return items

    def ranges_over_safe(self, collection: Node, depth: int) -> bool:
        """``for _, tz := range []string{"UTC", "US/Eastern"}``: the values are
        constants (or numbers)."""
        items = self.slice_elements(collection, depth)
        if items is None:
            return False
        return all(p.safe for item in items for p in self.pieces(item, "+", depth + 1))

    def is_number_slice(self, node: Node) -> bool:
        go_type = self.facts.type_of(node)
        return go_type is not None and go_type.elem is not None and _numeric(go_type.elem)

    def string_rewrite(self, call: Node, args: Sequence[Node], how: str, depth: int) -> list[Piece]:
        result = self.pieces(args[0], how, depth + 1)
        name = text(call.child_by_field_name("function")).rsplit(".", 1)[-1]
        for arg in args[1:]:
            if self.is_number(arg):
                continue
            result += [p for p in self.pieces(arg, "strings." + name, depth + 1) if p.text is None]
        self.complete = False
        return result

    def builder(self, call: Node, how: str, depth: int) -> list[Piece] | None:
        """``b.String()`` of a local strings.Builder / bytes.Buffer: what was
        written to it before."""
        function = call.child_by_field_name("function")
        operand = function.child_by_field_name("operand") if function is not None else None
        binding = self.facts.binding(operand) if operand is not None else None
        if binding is None or id(binding) in self.active:
            return None
        go_type = self.facts.binding_type(binding)
        if go_type is None or not any(go_type.is_type(p, n) for p, n in _BUILDERS):
            return None
        spliced = "strings.Builder"
        self.active.add(id(binding))
        try:
            result: list[Piece] = []
            for use in self.facts.uses(binding):
                if use.node.start_byte >= self.before.start_byte:
                    continue
                if use.call is not None and use.path in _BUILDER_WRITES:
                    for arg in arguments(use.call):
                        result += self.pieces(arg, spliced, depth + 1)
                    continue
                written = _fprintf_into(self.facts, use.node)
                if written is not None and written:
                    result += self.sprintf(written[0], written[1], written[2:], spliced, depth)
            return result
        finally:
            self.active.discard(id(binding))

    def helper_is_safe(self, declaration: Node, depth: int) -> bool:
        """A local function returning a string built only from constants and
        numbers (``placeholders(n)``, ``columns()``)."""
        if id(declaration) in self.active or declaration.type not in (
            "function_declaration",
            "method_declaration",
        ):
            return False
        results = declaration.child_by_field_name("result")
        if results is None or text(results) != "string":
            return False
        self.active.add(id(declaration))
        try:
            returned = [
                values[0]
                for values in (expression_list(r.named_child(0)) for r in _returns(declaration))
                if len(values) == 1
            ]
            if not returned:
                return False
            saved = self.before
            self.before = declaration.child_by_field_name("body") or declaration
            try:
                for value in returned:
                    self.before = value
                    if any(not p.safe for p in self.pieces(value, "+", depth + 2)):
                        return False
            finally:
                self.before = saved
            return True
        finally:
            self.active.discard(id(declaration))


# -- syntax helpers ---------------------------------------------------------------
def _numeric(go_type: GoType) -> bool:
    return go_type.kind == "named" and go_type.package == BUILTIN and go_type.name in _NUMERIC


def _literal_elements(literal: Node) -> list[Node]:
    body = literal.child_by_field_name("body")
    if body is None:
        return []
    items: list[Node] = []
    for child in body.named_children:
        element = child
        if element.type == "keyed_element":
            value = element.child_by_field_name("value")
            element = value if value is not None else element
        if element.type == "literal_element" and element.named_child_count == 1:
            inner = element.named_child(0)
            element = inner if inner is not None else element
        if element.type != "comment":
            items.append(element)
    return items


def _is_make(node: Node) -> bool:
    function = node.child_by_field_name("function") if node.type == "call_expression" else None
    return function is not None and text(function) == "make"


def _is_append_to(node: Node, name: str) -> bool:
    function = node.child_by_field_name("function") if node.type == "call_expression" else None
    args = arguments(node) if node.type == "call_expression" else []
    return (
        function is not None
        and text(function) == "append"
        and bool(args)
        and text(unparen(args[0])) == name
    )


def _appended(use: Node) -> list[Node] | None:
    """The values of ``append(xs, a, b)`` when `use` is its first argument."""
    holder = parent_of(use)
    call = parent_of(holder) if holder is not None else None
    if holder is None or call is None or holder.type != "argument_list":
        return None
    if not _is_append_to(call, text(use)):
        return None
    args = arguments(call)
    if not args or args[0] != use:
        return None
    values = args[1:]
    if values and parent_of(values[-1]) is not None and _is_spread(call):
        return None  # append(xs, ys...): elements from elsewhere
    return values


def _is_spread(call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    return args is not None and any(c.type == "..." for c in args.children)


def _assignment_of(target: Node) -> Node | None:
    """The assignment statement whose left side holds `target`."""
    holder = parent_of(target)
    if holder is not None and holder.type == "expression_list":
        holder = parent_of(holder)
    if holder is None or holder.type != "assignment_statement":
        return None
    left = holder.child_by_field_name("left")
    if left is None or not (left.start_byte <= target.start_byte < left.end_byte):
        return None
    return holder


def _assigned_value(statement: Node, target: Node) -> Node | None:
    lefts = expression_list(statement.child_by_field_name("left"))
    rights = expression_list(statement.child_by_field_name("right"))
    if target not in lefts or len(lefts) != len(rights):
        return None
    return rights[lefts.index(target)]


def _fprintf_into(facts: Facts, use: Node) -> list[Node] | None:
    """[call, format, operands...] of ``fmt.Fprintf(&b, format, ...)`` for `use` = b."""
    address = parent_of(use)
    if address is None or address.type != "unary_expression":
        return None
    holder = parent_of(address)
    call = parent_of(holder) if holder is not None else None
    if call is None or call.type != "call_expression":
        return None
    callee = facts.callee(call)
    args = arguments(call)
    if callee is None or not callee.is_function("fmt", "Fprintf") or len(args) < 2:
        return None
    if args[0] != address:
        return None
    return [call, *args[1:]]


def _returns(function: Node) -> Iterator[Node]:
    body = function.child_by_field_name("body")
    if body is None:
        return
    stack = [body]
    while stack:
        current = stack.pop()
        if current.type == "return_statement":
            yield current
            continue
        stack.extend(c for c in current.named_children if c.type != "func_literal")
