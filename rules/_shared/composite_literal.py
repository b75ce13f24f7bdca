"""Adding a keyed field to a composite literal so that the result stays gofmt-clean.

gofmt aligns the values of consecutive one-line ``Key: value,`` elements of a
multi-line literal into one column (a blank line, a comment line or an element
spanning several lines ends such a section). Adding a longer key to a section
therefore moves every value of the section right; this module computes those
edits together with the insertion.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.edits import indentation, line_ending
from gobex.facts.syntax import text
from gobex.finding import TextEdit
from gobex.source import SourceFile


@dataclass(frozen=True)
class _Element:
    node: Node
    key: Node
    value: Node


def keyed_field_names(literal_value: Node) -> set[str] | None:
    """The keys of a ``literal_value``; None when an element is not keyed."""
    names: set[str] = set()
    for element in _elements(literal_value):
        if element.type != "keyed_element":
            return None
        key: Node | None = element.named_child(0)
        if key is None:
            return None
        names.add(text(key))
    return names


def add_keyed_field(
    source: SourceFile, literal_value: Node, key: str, value: str
) -> list[TextEdit] | None:
    """Edits adding ``key: value`` as the last element of `literal_value` (the
    ``{...}`` of a composite literal), or None when the literal's layout is one
    this does not handle (unkeyed elements, several elements on one line of a
    multi-line literal, the closing brace after the last element)."""
    elements = _elements(literal_value)
    if any(e.type != "keyed_element" for e in elements):
        return None
    first_line = literal_value.start_point[0]
    last_line = literal_value.end_point[0]
    field = f"{key}: {value}"
    if first_line == last_line:
        return _add_inline(literal_value, elements, field)
    if not elements:
        close = literal_value.end_byte - 1
        indent = indentation(source, literal_value) + "\t"
        newline = line_ending(source)
        return [TextEdit(close, close, f"{indent}{field},{newline}")]
    parsed = [_parse(e) for e in elements]
    if any(p is None for p in parsed):
        return None
    items = [p for p in parsed if p is not None]
    last = items[-1]
    if last.node.end_point[0] == last_line or last.node.start_point[0] == first_line:
        return None
    if _on_shared_line(items):
        return None
    # The new element joins the section of the last one: the value column is
    # one space after the widest `Key:` of the section.
    section = _section(items)
    widest = max((len(text(e.key)) + 1 for e in section), default=0)
    column = max(widest, len(key) + 1)
    edits = []
    if section and column > widest:
        shift = " " * (column - widest)
        edits = [TextEdit(e.value.start_byte, e.value.start_byte, shift) for e in section]
    pad = " " * (column - len(key))
    newline = line_ending(source)
    end = source.lines.line_end(last.node.end_point[0])
    indent = indentation(source, last.node)
    edits.append(TextEdit(end, end, f"{newline}{indent}{key}:{pad}{value},"))
    return edits


def _add_inline(literal_value: Node, elements: list[Node], field: str) -> list[TextEdit]:
    if not elements:
        close = literal_value.end_byte - 1
        return [TextEdit(close, close, field)]
    last = elements[-1]
    following = last.next_sibling
    if following is not None and following.type == ",":
        return [TextEdit(following.end_byte, following.end_byte, f" {field}")]
    return [TextEdit(last.end_byte, last.end_byte, f", {field}")]


def _elements(literal_value: Node) -> list[Node]:
    return [c for c in literal_value.named_children if c.type != "comment"]


def _parse(element: Node) -> _Element | None:
    parts = [c for c in element.named_children if c.type != "comment"]
    if len(parts) != 2:
        return None
    return _Element(element, parts[0], parts[1])


def _on_shared_line(items: list[_Element]) -> bool:
    lines = [e.node.start_point[0] for e in items]
    return len(lines) != len(set(lines))


def _section(items: list[_Element]) -> list[_Element]:
    """The run of one-line elements on consecutive lines ending with the last one:
    the elements gofmt aligns with a new element added after it."""
    section = [items[-1]]
    if items[-1].node.start_point[0] != items[-1].node.end_point[0]:
        return []
    for element in reversed(items[:-1]):
        start, end = element.node.start_point[0], element.node.end_point[0]
        if start != end or end + 1 != section[0].node.start_point[0]:
            break
        section.insert(0, element)
    return section
