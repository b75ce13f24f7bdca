"""The edit behind "Suppress CODE on this line": add or extend a ``//nolint:CODE``.

- The line already ends with ``//nolint:A,B``: it becomes ``//nolint:A,B,CODE``.
- It ends with another ``// comment``: ``//nolint:CODE // comment`` (the comment
  becomes the reason, as golangci-lint reads it).
- Otherwise `` //nolint:CODE`` is appended. When the line's end lies inside a
  multi-line string or comment, the directive goes on its own line above the
  statement instead (which covers the whole statement).
"""

from __future__ import annotations

import re
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from gobex.edits import indentation, line_ending
from gobex.facts.flow import statement_of
from gobex.finding import Finding, TextEdit
from gobex.source import SourceFile, go_language

_NOLINT = re.compile(r"^//nolint(?::(?P<names>[^\s/]*(?:\s*,\s*[^\s/]+)*))?(?=\s|$|//)")
_MULTILINE = frozenset({"raw_string_literal", "interpreted_string_literal", "comment"})


@cache
def _comment_query() -> Query:
    return Query(go_language(), "(comment) @comment")


def suppress_edit(source: SourceFile, finding: Finding) -> TextEdit | None:
    """The edit that silences `finding` with a ``//nolint``; None when a blanket
    ``//nolint`` is already there."""
    lines = source.lines
    line = lines.line_of(finding.start)
    start, end = lines.line_start(line), lines.line_end(line)
    if _inside_multiline(source, end):
        return _directive_above(source, finding)
    trailing = _trailing_comment(source, start, end)
    if trailing is None:
        return TextEdit(end, end, f" //nolint:{finding.code}")
    text = source.text(trailing)
    match = _NOLINT.match(text)
    if match is None:
        return TextEdit(trailing.start_byte, trailing.start_byte, f"//nolint:{finding.code} ")
    names = match.group("names")
    if not names:
        return None
    at = trailing.start_byte + match.end("names")
    return TextEdit(at, at, f",{finding.code}")


def _trailing_comment(source: SourceFile, start: int, end: int) -> Node | None:
    """The ``//`` comment that ends the line, when code comes before it."""
    cursor = QueryCursor(_comment_query())
    cursor.set_byte_range(start, end)
    for node in cursor.captures(source.root).get("comment", []):
        if node.end_byte != end or not source.text(node).startswith("//"):
            continue
        if source.data[start : node.start_byte].strip():
            return node
    return None


def _inside_multiline(source: SourceFile, offset: int) -> bool:
    node: Node | None = source.root.descendant_for_byte_range(offset, offset)
    while node is not None:
        if node.type in _MULTILINE and node.start_byte < offset < node.end_byte:
            return True
        node = node.parent
    return False


def _directive_above(source: SourceFile, finding: Finding) -> TextEdit:
    node = source.root.descendant_for_byte_range(finding.start, finding.end) or source.root
    statement = statement_of(node)
    line = statement.start_point[0]
    at = source.lines.line_start(line)
    return TextEdit(
        at, at, f"{indentation(source, statement)}//nolint:{finding.code}{line_ending(source)}"
    )
