"""Which struct field a value is written to: ``x.F = value`` or ``T{F: value}``."""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts.syntax import expression_list, parent, text


def assigned_field(value: Node) -> str | None:
    """The name of the field `value` is assigned to (the last selector of an
    assignment's target, or the key of a keyed literal element), or None."""
    holder = parent(value)
    if holder is None:
        return None
    if holder.type == "literal_element":
        element = parent(holder)
        if element is None or element.type != "keyed_element" or element.named_child_count != 2:
            return None
        key, written = element.named_children
        return text(key) if written == holder else None
    statement = parent(holder) if holder.type == "expression_list" else None
    if statement is None or statement.type != "assignment_statement":
        return None
    if statement.child_by_field_name("right") != holder:
        return None
    lefts = expression_list(statement.child_by_field_name("left"))
    rights = expression_list(holder)
    if len(lefts) != len(rights) or value not in rights:
        return None
    target = lefts[rights.index(value)]
    if target.type != "selector_expression":
        return None
    return text(target.child_by_field_name("field"))
