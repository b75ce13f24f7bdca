"""Where a Kafka client value was created: the constructor call behind an
expression, for a local variable (``r := kafka.NewReader(...)``) or for a
struct field the package sets in one place (``c.reader = kafka.NewReader(...)``,
``&Consumer{reader: kafka.NewReader(...)}``).

Rules use it to read the configuration the value was created with (a reader's
``GroupID``, a consumer's ``ConfigMap``). When the value has several origins,
or one gobex cannot see, the answer is None.
"""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import expression_list, parent, text, unparen

from ._follow import Located, facts_of


def constructor_of(facts: Facts, expr: Node, model: str, names: tuple[str, ...]) -> Located | None:
    """The call of ``model.name(...)`` (`name` in `names`) `expr` holds, or the
    composite literal of type ``model.name`` (``&kafka.Writer{...}``)."""
    expr = unparen(expr)
    if expr.type == "identifier":
        return _matching(facts, expr, model, names)
    if expr.type == "selector_expression":
        operand = expr.child_by_field_name("operand")
        if operand is None or facts.package_ref(operand) is not None:
            return None
        return _field_origin(facts, text(expr.child_by_field_name("field")), model, names)
    return None


def _matching(facts: Facts, value: Node, model: str, names: tuple[str, ...]) -> Located | None:
    """`value` is the call (or, for a type name, a composite literal of that type,
    ``&kafka.Writer{...}``), or a variable initialised with it and never re-assigned."""
    value = unparen(value)
    if value.type == "identifier":
        binding = facts.binding(value)
        if binding is None or binding.value is None or binding.assignments:
            return None
        value = unparen(binding.value)
    operand = value.child_by_field_name("operand") if value.type == "unary_expression" else None
    if operand is not None:
        value = unparen(operand)
    if value.type == "composite_literal":
        kind = facts.type_of(value)
        if kind is None or kind.package != model or kind.name not in names:
            return None
        return Located(value, facts)
    if value.type != "call_expression":
        return None
    callee = facts.callee(value)
    if callee is None or not callee.is_function(model, *names):
        return None
    return Located(value, facts)


def _field_origin(facts: Facts, field: str, model: str, names: tuple[str, ...]) -> Located | None:
    """The one constructor call the package stores into fields named `field`."""
    found: list[Located] = []
    key = field.encode()
    for file in facts.package.files:
        data = file.source.data
        if key not in data:
            continue
        file_facts: Facts | None = None
        for store in _stores(file.source.root, data, key):
            if file_facts is None:
                file_facts = facts_of(facts, file)
            origin = _matching(file_facts, store, model, names)
            if origin is None:
                return None  # some other value is stored there too
            found.append(origin)
    return found[0] if len(found) == 1 else None


def _stores(root: Node, data: bytes, key: bytes) -> list[Node]:
    """The values stored into `.key` (assignments) and `key:` (struct literals)."""
    values: list[Node] = []
    start = data.find(key)
    while start != -1:
        end = start + len(key)
        before = data[start - 1 : start] if start else b""
        after = data[end : end + 1]
        if not (after.isalnum() or after == b"_" or before.isalnum() or before == b"_"):
            node = root.descendant_for_byte_range(start, end)
            value = _stored_value(node) if node is not None else None
            if value is not None:
                values.append(value)
        start = data.find(key, end)
    return values


def _stored_value(name: Node) -> Node | None:
    above = parent(name)
    if above is None:
        return None
    if name.type == "field_identifier" and above.type == "selector_expression":
        holder = parent(above)
        statement = parent(holder) if holder is not None else None
        if (
            holder is None
            or statement is None
            or statement.type != "assignment_statement"
            or statement.child_by_field_name("left") != holder
        ):
            return None
        lefts = expression_list(holder)
        rights = expression_list(statement.child_by_field_name("right"))
        if len(rights) == 1 and rights[0].type == "call_expression":
            return rights[0]  # `c.consumer, err = kafka.NewConsumer(conf)`
        if len(lefts) == len(rights) and above in lefts:
            return rights[lefts.index(above)]
        return None
    if above.type == "literal_element":
        element = parent(above)
        if element is None or element.type != "keyed_element" or element.named_child(0) != above:
            return None
        value = element.named_child(1)
        return value.named_child(0) if value is not None else None
    return None
