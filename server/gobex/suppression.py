"""``//nolint`` directives, golangci-lint compatible.

- ``//nolint`` / ``//nolint:all`` / ``//nolint:gobex`` silence every gobex rule;
  ``//nolint:CQL002,cql-allow-filtering // reason`` silences those rules
  (codes or names); names of other linters in the list are left alone.
- At the end of a line: covers that line. Alone on its line: covers the
  statement, declaration or field that starts on the next line, all of it.
  Before the ``package`` clause: covers the file.
- As in golangci-lint, there is no space between ``//`` and ``nolint``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from gobex.source import SourceFile, go_language

# `//nolint`, `//nolint:a,b`, `//nolint: a, b` (golangci-lint trims spaces around names).
_DIRECTIVE = re.compile(
    r"^//nolint(?::[ \t]*(?P<names>[^\s/,]*(?:[ \t]*,[ \t]*[^\s/,]*)*))?(?=\s|$|//)"
)
_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)
ALL_NAMES = frozenset({"all", "gobex"})

_COVERABLE_PARENTS = frozenset(
    {
        "statement_list",
        "source_file",
        "block",
        "field_declaration_list",
        "var_spec_list",
        "import_spec_list",
        "literal_value",
        "const_declaration",
        "var_declaration",
        "type_declaration",
        "interface_type",
        "expression_switch_statement",
        "type_switch_statement",
        "select_statement",
    }
)


@dataclass
class Directive:
    """One ``//nolint`` comment and the lines it covers (0-based, inclusive)."""

    comment: Node
    names: tuple[str, ...]  # as written; empty means all
    first_line: int
    last_line: int
    file_wide: bool = False
    used: set[str] = field(default_factory=set)  # rule codes it silenced

    @property
    def covers_all(self) -> bool:
        return not self.names or any(n.lower() in ALL_NAMES for n in self.names)

    def covers_line(self, line: int) -> bool:
        return self.file_wide or self.first_line <= line <= self.last_line


def is_generated(source: SourceFile) -> bool:
    """True for files carrying Go's ``// Code generated ... DO NOT EDIT.`` marker."""
    return is_generated_data(source.data)


def is_generated_data(data: bytes) -> bool:
    """`is_generated` for the bytes of a file (before it is parsed)."""
    return _GENERATED.search(data) is not None


@cache
def _comment_query() -> Query:
    return Query(go_language(), "(comment) @c")


def _comments(source: SourceFile) -> list[Node]:
    if b"//nolint" not in source.data:
        return []
    captures = QueryCursor(_comment_query()).captures(source.root)
    return sorted(captures.get("c", []), key=lambda n: n.start_byte)


def parse_directives(source: SourceFile) -> list[Directive]:
    """Every ``//nolint`` directive in the file with its coverage."""
    directives: list[Directive] = []
    package = next((c for c in source.root.named_children if c.type == "package_clause"), None)
    for comment in _comments(source):
        raw = source.text(comment)
        match = _DIRECTIVE.match(raw)
        if match is None:
            continue
        names_text = match.group("names") or ""
        names = tuple(n.strip() for n in names_text.split(",") if n.strip())
        line = comment.start_point[0]
        if package is not None and comment.end_byte <= package.start_byte:
            directives.append(Directive(comment, names, 0, source.lines.line_count, file_wide=True))
            continue
        line_start = source.lines.line_start(line)
        before = source.data[line_start : comment.start_byte]
        if before.strip():
            directives.append(Directive(comment, names, line, line))
            continue
        covered = _node_on_next_line(source, comment)
        last = _last_line(covered) if covered is not None else line + 1
        directives.append(Directive(comment, names, line, last))
    return directives


def _last_line(node: Node) -> int:
    """0-based line of the node's last character (a node may end at column 0 of
    the following line when it includes the newline)."""
    row, column = node.end_point
    if column == 0 and row > node.start_point[0]:
        return row - 1
    return row


def _node_on_next_line(source: SourceFile, comment: Node) -> Node | None:
    """The outermost statement/declaration/field starting on the line after `comment`."""
    following = comment.next_named_sibling
    while following is not None and following.type == "comment":
        following = following.next_named_sibling
    if following is None:
        return None
    # A comment before a block's first statement is the block's child; the
    # statement is inside the block's statement_list.
    while following.type == "statement_list":
        first: Node | None = following.named_child(0)
        while first is not None and first.type == "comment":
            first = first.next_named_sibling
        if first is None:
            return None
        following = first
    if following.start_point[0] != comment.end_point[0] + 1:
        return None
    node = following
    # Climb to the outermost node that starts at the same byte (the whole statement).
    while (
        node.parent is not None
        and node.parent.start_byte == node.start_byte
        and node.parent.type not in _COVERABLE_PARENTS
    ):
        node = node.parent
    return node
