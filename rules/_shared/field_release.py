"""A value that must be released is stored in a struct field: is that field
ever released?

"A struct field counts as closed when code of the package closes it." The
field's selectors (``x.producer``) are found in every file of the package by a
byte search (no tree walk) and classified: a call of one of the release
methods (``p.producer.Close()``) releases it; calls of other methods, stores
into the field and nil comparisons do not; any other use (passed to a helper,
returned by a getter, copied into a variable or a list of closers) may release
it, so the answer is then "released" too. Exported fields are taken as
released: code of other packages can close them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.package import FileDecls
from gobex.facts.syntax import expression_list, outer_holder, parent, text, unparen
from gobex.gotypes import LOCAL


@dataclass(frozen=True)
class FieldStore:
    """A value stored into field `field` of the local struct type `owner`;
    `node` is where (the keyed element or the assignment)."""

    owner: str
    field: str
    node: Node

    @property
    def exported(self) -> bool:
        return self.field[:1].isupper()


def field_store(facts: Facts, value: Node) -> FieldStore | None:
    """The field `value` is stored into directly: ``&T{f: value}`` or
    ``x.f = value`` where T (the type of x) is a struct type of the package."""
    node = value
    above = parent(node)
    while above is not None and above.type in ("parenthesized_expression", "literal_element"):
        node, above = above, parent(above)
    if above is None:
        return None
    if above.type == "keyed_element":
        return _keyed_store(facts, above, node)
    if above.type == "expression_list":
        statement = parent(above)
        if statement is None or statement.type != "assignment_statement":
            return None
        if statement.child_by_field_name("right") != above:
            return None
        lefts = expression_list(statement.child_by_field_name("left"))
        rights = expression_list(above)
        if len(lefts) != len(rights) or node not in rights:
            return None
        return _selector_store(facts, lefts[rights.index(node)], statement)
    if above.type == "assignment_statement" and above.child_by_field_name("right") == node:
        left = above.child_by_field_name("left")
        return _selector_store(facts, left, above) if left is not None else None
    return None


def assigned_field(facts: Facts, target: Node, statement: Node) -> FieldStore | None:
    """``x.f, err = New(...)``: the field `target` names, when x is a local struct."""
    return _selector_store(facts, target, statement)


def _keyed_store(facts: Facts, element: Node, value: Node) -> FieldStore | None:
    key = element.named_child(0)
    if key is None or key == value:
        return None
    literal_value = parent(element)
    literal = parent(literal_value) if literal_value is not None else None
    if literal is None or literal.type != "composite_literal":
        return None
    owner = facts.resolve_type(literal.child_by_field_name("type"))
    if owner is None or owner.package != LOCAL or owner.kind != "named":
        return None
    if not any(name == text(key) for name, _, _ in facts.package.struct_fields(owner.name)):
        return None
    return FieldStore(owner.name, text(key), element)


def _selector_store(facts: Facts, target: Node, statement: Node) -> FieldStore | None:
    target = unparen(target)
    if target.type != "selector_expression":
        return None
    operand = target.child_by_field_name("operand")
    if operand is None or facts.package_ref(operand) is not None:
        return None
    owner = facts.type_of(operand)
    if owner is None or owner.package != LOCAL or owner.kind != "named":
        return None
    return FieldStore(owner.name, text(target.child_by_field_name("field")), statement)


def field_released(facts: Facts, store: FieldStore, release: Iterable[str]) -> bool:
    """True when code of the package may release the field (see the module doc)."""
    if store.exported:
        return True
    methods = set(release)
    for selector in field_selectors(facts.package.files, store.field):
        if _use_may_release(selector, methods):
            return True
    return False


def field_selectors(files: Iterable[FileDecls], field: str) -> Iterator[Node]:
    """Every ``x.field`` selector expression of the files."""
    needle = b"." + field.encode()
    for file in files:
        data = file.source.data
        start = data.find(needle)
        while start != -1:
            end = start + len(needle)
            following = data[end : end + 1]
            if not (following.isalnum() or following == b"_"):
                node = file.source.root.descendant_for_byte_range(start + 1, end)
                holder = parent(node) if node is not None else None
                if (
                    node is not None
                    and node.type == "field_identifier"
                    and holder is not None
                    and holder.type == "selector_expression"
                    and holder.child_by_field_name("field") == node
                ):
                    yield holder
            start = data.find(needle, end)


def _use_may_release(selector: Node, methods: set[str]) -> bool:
    node, above = outer_holder(selector)
    if above is None:
        return True
    if above.type == "selector_expression" and above.child_by_field_name("operand") == node:
        call = parent(above)
        name = text(above.child_by_field_name("field"))
        if call is not None and call.type == "call_expression":
            return name in methods
        return True  # a method value or a field of the field: followed no further
    if above.type == "binary_expression":
        return False  # `s.producer != nil`
    if above.type == "expression_list":
        statement = parent(above)
        if (
            statement is not None
            and statement.type == "assignment_statement"
            and statement.child_by_field_name("left") == above
        ):
            return False  # another store into the field
    # `s.producer = p` (a store) is not a release; anything else may be.
    return not (above.type == "assignment_statement" and above.child_by_field_name("left") == node)
