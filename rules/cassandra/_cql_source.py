"""The CQL text a Go expression gives to gocql, and where gocql is given CQL.

`cql_text` reads string literals, constants (local, or declared anywhere in the
package: `Facts.const_string`), local variables assigned once, ``+``
concatenations and ``fmt.Sprintf`` of them. What it cannot read (a parameter, a
field, the result of another call, a formatted value) becomes a `Hole` in the
text, which keeps the Go expression and whether it can carry CQL syntax at all
(a number, a UUID, a constant cannot; a string can).

`statement_site` recognises the calls that take a statement: ``Session.Query``,
``Session.Bind``, ``Batch.Query``, ``Batch.Bind`` (gocql v1 and v2), and the
``Stmt`` of a ``gocql.BatchEntry`` literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import BindingKind, Facts, UseKind
from gobex.facts.syntax import arguments, call_function_parts, parent, text, unparen
from gobex.gotypes import BUILTIN, GoType
from gobex.rule import Match

from .._shared.printf import parse_verbs
from ._cql import HOLE, Statement

# The statement argument of the calls that take CQL, and BatchEntry{Stmt: ...}.
STATEMENT_QUERY = """
(call_expression
  function: (selector_expression field: (field_identifier) @cql.method)
  arguments: (argument_list . (_) @cql.statement)
  (#match? @cql.method "^(Query|Bind)$")) @cql.call
(composite_literal
  body: (literal_value
    (keyed_element
      key: (literal_element (identifier) @cql.key)
      value: (literal_element (_) @cql.statement))
    (#eq? @cql.key "Stmt"))) @cql.entry
"""

_MAX_DEPTH = 4
# fmt verbs that print only digits, signs, letters of a number, or true/false.
_NUMERIC_VERBS = frozenset("dboOxXeEfFgGtU")
_NUMERIC_TYPES = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"}
    | {"uintptr", "float32", "float64", "bool", "byte"}
)
# Values of these types print without quotes or CQL syntax.
_PLAIN_TYPES = frozenset({("gocql", "UUID"), ("time", "Duration")})
_NUMBER_FORMATTERS = frozenset(
    {"Itoa", "FormatInt", "FormatUint", "FormatFloat", "FormatBool", "AppendInt"}
)
_PLACEHOLDERS = re.compile(r"^[\s?,()]*$")


@dataclass(frozen=True)
class Hole:
    """A part of the text that Go computes at run time."""

    node: Node  # the expression supplying it
    verb: str  # the fmt verb formatting it ("s", "d"...), "" when concatenated
    safe: bool  # cannot carry CQL syntax (a number, a UUID, a constant, placeholders)


@dataclass(frozen=True)
class CqlText:
    """CQL text read from Go source: literal parts and holes, in order."""

    parts: tuple[str | Hole, ...]

    @property
    def holes(self) -> tuple[Hole, ...]:
        return tuple(p for p in self.parts if isinstance(p, Hole))

    @property
    def template(self) -> str:
        """The text with one `HOLE` character per hole."""
        return "".join(HOLE if isinstance(p, Hole) else p for p in self.parts)

    @property
    def readable(self) -> bool:
        """Some of the text is known (it is not one opaque hole)."""
        return any(isinstance(p, str) and p.strip() for p in self.parts)

    def statement(self) -> Statement:
        return Statement.parse(self.template)


def cql_text(facts: Facts, expression: Node) -> CqlText | None:
    """The CQL text of `expression`, or None when none of it can be read."""
    found = CqlText(tuple(_read(facts, expression, 0)))
    return found if found.readable else None


def _read(facts: Facts, expression: Node, depth: int) -> list[str | Hole]:
    expression = unparen(expression)
    constant = facts.const_string(expression)
    if constant is not None:
        return [constant]
    if expression.type == "binary_expression":
        return _concatenation(facts, expression, depth)
    if expression.type == "identifier" and depth < _MAX_DEPTH:
        value = _single_value(facts, expression)
        if value is not None:
            return _read(facts, value, depth + 1)
    if expression.type == "call_expression" and depth < _MAX_DEPTH:
        callee = facts.callee(expression)
        if callee is not None and callee.is_function("fmt", "Sprintf"):
            formatted = _sprintf(facts, expression, depth)
            if formatted is not None:
                return formatted
    return [Hole(expression, "", is_safe_value(facts, expression))]


def _concatenation(facts: Facts, expression: Node, depth: int) -> list[str | Hole]:
    """``a + b + c``: down the left spine without recursion."""
    operands: list[Node] = []
    current = expression
    while current.type == "binary_expression":
        operator = current.child_by_field_name("operator")
        left = current.child_by_field_name("left")
        right = current.child_by_field_name("right")
        if operator is None or operator.type != "+" or left is None or right is None:
            return [Hole(expression, "", False)]
        operands.append(right)
        current = unparen(left)
    operands.append(current)
    parts: list[str | Hole] = []
    for operand in reversed(operands):
        parts.extend(_read(facts, operand, depth + 1))
    return parts


def _single_value(facts: Facts, identifier: Node) -> Node | None:
    """The initializer of a local variable that is never assigned again."""
    binding = facts.binding(identifier)
    if (
        binding is None
        or binding.kind not in (BindingKind.SHORT, BindingKind.VAR)
        or binding.value is None
        or binding.value_index >= 0
        or binding.assignments
    ):
        return None
    if any(u.kind == UseKind.ADDRESS for u in facts.uses(binding)):
        return None
    return binding.value


def _sprintf(facts: Facts, call: Node, depth: int) -> list[str | Hole] | None:
    args = arguments(call)
    if not args:
        return None
    format_value = facts.const_string(args[0])
    if format_value is None:
        return None
    operands = args[1:]
    verbs = parse_verbs(format_value, len(operands))
    if verbs is None:
        return None
    parts: list[str | Hole] = []
    position = 0
    for verb in verbs:
        parts.append(format_value[position : verb.start])
        position = verb.end
        if verb.operand is None:
            parts.append("%")
            continue
        operand = operands[verb.operand]
        if verb.verb in "sv" and not verb.flags:
            value = facts.const_string(operand)
            if value is not None:
                parts.append(value)
                continue
        safe = verb.verb in _NUMERIC_VERBS or is_safe_value(facts, operand)
        parts.append(Hole(operand, verb.verb, safe))
    parts.append(format_value[position:])
    return parts


def is_safe_value(facts: Facts, expression: Node) -> bool:
    """True when the value printed cannot carry CQL syntax: a constant, a number,
    a bool, a UUID, a duration, ``strconv.Itoa(n)``, or bind-marker placeholders
    (``strings.Repeat("?,", n)``, a ``strings.Join`` of ``"?"`` elements)."""
    expression = unparen(expression)
    if facts.is_constant(expression):
        return True
    if _plain_type(facts.type_of(expression)):
        return True
    if expression.type == "call_expression":
        return _safe_call(facts, expression)
    if expression.type == "identifier":
        value = _single_value(facts, expression)
        return value is not None and value.type == "call_expression" and _safe_call(facts, value)
    return False


def _plain_type(go_type: GoType | None) -> bool:
    if go_type is None or go_type.kind != "named":
        return False
    if go_type.package == BUILTIN:
        return go_type.name in _NUMERIC_TYPES
    return (go_type.package, go_type.name) in _PLAIN_TYPES


def _safe_call(facts: Facts, call: Node) -> bool:
    operand, name = call_function_parts(call)
    package = facts.package_ref(operand) if operand is not None else None
    args = arguments(call)
    if package == "strconv":
        return name in _NUMBER_FORMATTERS
    if package != "strings" or not args:
        return False
    if name == "Repeat":
        return _placeholder_constant(facts, args[0])
    if name in ("TrimSuffix", "TrimRight", "TrimSpace", "TrimPrefix", "TrimLeft", "Trim"):
        return is_safe_value(facts, args[0])
    if name == "Join":
        return _placeholder_slice(facts, args[0])
    return False


def _placeholder_constant(facts: Facts, node: Node) -> bool:
    value = facts.const_string(node)
    return value is not None and _PLACEHOLDERS.match(value) is not None


def _placeholder_slice(facts: Facts, node: Node) -> bool:
    """A local ``[]string`` whose every element is a ``"?"``-like constant:
    built by ``append(xs, "?")``, ``xs[i] = "?"`` or a literal of them."""
    node = unparen(node)
    if node.type == "composite_literal":
        body = node.child_by_field_name("body")
        return body is not None and all(
            _placeholder_constant(facts, element.named_children[0])
            for element in body.named_children
            if element.type == "literal_element" and element.named_children
        )
    if node.type == "call_expression":
        return _safe_call(facts, node)
    binding = facts.binding(node) if node.type == "identifier" else None
    if binding is None or binding.kind not in (BindingKind.SHORT, BindingKind.VAR):
        return False
    value = unparen(binding.value) if binding.value is not None else None
    if (
        value is not None
        and value.type == "composite_literal"
        and not _placeholder_slice(facts, value)
    ):
        return False
    if value is not None and value.type not in ("composite_literal", "call_expression"):
        return False
    if value is not None and value.type == "call_expression":
        _, maker = call_function_parts(value)
        if maker != "make":
            return False
    if not all(_placeholder_use(facts, use) for use in binding.uses):
        return False
    return all(_placeholder_assignment(facts, target) for target in binding.assignments)


def _placeholder_use(facts: Facts, use: Node) -> bool:
    """A use of the slice that stores nothing but placeholders into it."""
    holder = parent(use)
    if holder is None:
        return True
    if holder.type == "argument_list":
        call = parent(holder)
        if call is not None and text(call.child_by_field_name("function")) == "append":
            return all(_placeholder_constant(facts, arg) for arg in arguments(call) if arg != use)
        return True
    if holder.type == "index_expression" and holder.child_by_field_name("operand") == use:
        targets = parent(holder)
        statement = parent(targets) if targets is not None else None
        if statement is not None and statement.type == "assignment_statement":
            left = statement.child_by_field_name("left")
            if left is not None and targets == left:
                right = statement.child_by_field_name("right")
                values = right.named_children if right is not None else []
                return all(_placeholder_constant(facts, v) for v in values)
    return True


def _placeholder_assignment(facts: Facts, target: Node) -> bool:
    """``xs = append(xs, "?")``."""
    targets = parent(target)
    statement = parent(targets) if targets is not None else None
    if statement is None or statement.type != "assignment_statement":
        return False
    right = statement.child_by_field_name("right")
    values = right.named_children if right is not None else []
    for written in values:
        value = unparen(written)
        if value.type != "call_expression" or text(value.child_by_field_name("function")) != (
            "append"
        ):
            return False
        if not all(_placeholder_constant(facts, a) for a in arguments(value)[1:]):
            return False
    return True


@dataclass(frozen=True)
class StatementSite:
    """Where gocql is given a statement: the call (or BatchEntry literal) and the
    statement expression."""

    holder: Node
    statement: Node
    call: Node | None  # None for a BatchEntry literal


def statement_site(facts: Facts, match: Match) -> StatementSite | None:
    """The gocql statement site of a `STATEMENT_QUERY` match, or None."""
    statement = match.get("cql.statement")
    if statement is None:
        return None
    call = match.get("cql.call")
    if call is not None:
        callee = facts.callee(call)
        if callee is None or callee.package != "gocql" or callee.receiver is None:
            return None
        receiver = callee.receiver
        if not (receiver.is_type("gocql", "Session") or receiver.is_type("gocql", "Batch")):
            return None
        return StatementSite(call, statement, call)
    entry = match.get("cql.entry")
    if entry is None:
        return None
    entry_type = facts.resolve_type(entry.child_by_field_name("type"))
    if entry_type is None or not entry_type.is_type("gocql", "BatchEntry"):
        return None
    return StatementSite(entry, statement, None)


@dataclass(frozen=True)
class SiteStatement:
    """A statement site with the CQL read from it."""

    site: StatementSite
    text: CqlText
    statement: Statement


def read_statement(facts: Facts, match: Match) -> SiteStatement | None:
    """The site of a `STATEMENT_QUERY` match and its readable CQL, or None."""
    site = statement_site(facts, match)
    if site is None:
        return None
    found = cql_text(facts, site.statement)
    if found is None:
        return None
    return SiteStatement(site, found, found.statement())
