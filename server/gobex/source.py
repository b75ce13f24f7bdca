"""SourceFile: the bytes of one Go file, its syntax tree, line index and Go version."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import tree_sitter
import tree_sitter_go

from gobex.goversion import GoVersion, effective_version
from gobex.lineindex import Encoding, LineIndex

_BLANK = re.compile(rb"[^\n]")


def _blocks(root: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """In source order: the bodies of the top-level functions and methods, and the
    outermost composite literal values in top-level variable declarations."""
    for node in root.children:
        if node.type in ("function_declaration", "method_declaration"):
            body = node.child_by_field_name("body")
            if body is not None:
                yield body
        elif node.type == "var_declaration":
            pending = [node]
            while pending:
                current = pending.pop()
                if current.type == "literal_value":
                    yield current
                    continue
                pending.extend(reversed(current.children))


@cache
def go_language() -> tree_sitter.Language:
    """The tree-sitter Go grammar (loaded once per process)."""
    return tree_sitter.Language(tree_sitter_go.language())


def _parse(data: bytes, old_tree: tree_sitter.Tree | None = None) -> tree_sitter.Tree:
    parser = tree_sitter.Parser(go_language())
    if old_tree is None:
        return parser.parse(data)
    return parser.parse(data, old_tree)


@dataclass(frozen=True)
class TextChange:
    """Replace bytes ``[start, end)`` of a document with `text` (UTF-8 bytes)."""

    start: int
    end: int
    text: bytes


def _point(data: bytes, offset: int) -> tuple[int, int]:
    """tree-sitter's (row, byte column) of `offset` (rows break at ``\\n`` only)."""
    return data.count(b"\n", 0, offset), offset - (data.rfind(b"\n", 0, offset) + 1)


def _point_after(data: bytes, start_point: tuple[int, int], inserted: bytes) -> tuple[int, int]:
    newlines = inserted.count(b"\n")
    if newlines == 0:
        return start_point[0], start_point[1] + len(inserted)
    return start_point[0] + newlines, len(inserted) - inserted.rfind(b"\n") - 1


@dataclass(frozen=True)
class SourceFile:
    """One Go file as the engine sees it. Immutable: `edit` returns a new SourceFile.

    `path` is the path shown to users (as given on the command line, or the
    document's file path in the editor). `go_version` is the effective language
    version of this file (module version overridden by ``//go:build``), or None
    when unknown, in which case version-gated rules assume the newest Go.
    """

    path: str
    data: bytes
    tree: tree_sitter.Tree = field(repr=False, compare=False)
    lines: LineIndex = field(repr=False, compare=False)
    go_version: GoVersion | None = None
    module_go_version: GoVersion | None = field(default=None, repr=False)

    @classmethod
    def parse(
        cls, path: str, data: bytes, module_go_version: GoVersion | None = None
    ) -> SourceFile:
        """Parse `data` (any bytes: invalid UTF-8, NUL bytes and BOMs are tolerated)."""
        return cls(
            path=path,
            data=data,
            tree=_parse(data),
            lines=LineIndex(data),
            go_version=effective_version(module_go_version, data),
            module_go_version=module_go_version,
        )

    @classmethod
    def parse_declarations(
        cls, path: str, data: bytes, module_go_version: GoVersion | None = None
    ) -> SourceFile:
        """Parse a file read only for what it declares (a generated file beside the
        files being linted): its function and method bodies and the contents of
        the composite literals its package variables are initialised with are
        blanked first (every byte but newlines made a space), so the tree it keeps
        holds the declarations alone, each at its real position and with its
        type. Generated tables (x/text/unicode/norm: 4 MB) no longer fill a
        worker's memory."""
        tree = _parse(data)
        parts: list[bytes] = []
        done = 0
        for block in _blocks(tree.root_node):
            inner_start, inner_end = block.start_byte + 1, block.end_byte - 1
            if inner_end - inner_start < 1:
                continue
            parts += [data[done:inner_start], _BLANK.sub(b" ", data[inner_start:inner_end])]
            done = inner_end
        if done:
            data = b"".join([*parts, data[done:]])
        return cls.parse(path, data, module_go_version)

    @property
    def root(self) -> tree_sitter.Node:
        return self.tree.root_node

    def text(self, node: tree_sitter.Node) -> str:
        """The source text of `node`."""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "surrogateescape")

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "surrogateescape")

    def edit(self, changes: list[TextChange]) -> SourceFile:
        """Apply `changes` in order (each against the result of the previous one).

        The old tree is edited and handed to the parser, so only the changed
        region is re-parsed. The result is the tree a fresh parse gives, except
        that tree-sitter may recover from a syntax error differently when it
        reuses the old tree (seen with py-tree-sitter alone, in about 1 of 150
        random multi-edit sequences with errors); the language server lints the
        tree it holds, as editors highlight theirs.
        """
        data = self.data
        tree = self.tree.copy()
        for number, change in enumerate(changes):
            start = max(0, min(change.start, len(data)))
            end = max(start, min(change.end, len(data)))
            if number == 0:
                start_point = self.lines.position(start, Encoding.UTF8)
                old_end_point = self.lines.position(end, Encoding.UTF8)
            else:
                # No line index per change: many changes at once stay linear.
                start_point, old_end_point = _point(data, start), _point(data, end)
            new_data = data[:start] + change.text + data[end:]
            tree.edit(
                start_byte=start,
                old_end_byte=end,
                new_end_byte=start + len(change.text),
                start_point=start_point,
                old_end_point=old_end_point,
                new_end_point=_point_after(data, start_point, change.text),
            )
            data = new_data
        new_tree = _parse(data, tree)
        return SourceFile(
            path=self.path,
            data=data,
            tree=new_tree,
            lines=LineIndex(data),
            go_version=effective_version(self.module_go_version, data),
            module_go_version=self.module_go_version,
        )

    def with_text(self, data: bytes) -> SourceFile:
        """A fresh parse of new contents, keeping path and module version."""
        return SourceFile.parse(self.path, data, self.module_go_version)
