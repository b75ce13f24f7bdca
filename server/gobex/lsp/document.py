"""An open buffer: its URI, version and SourceFile, and how LSP content changes edit it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from gobex.goversion import GoVersion
from gobex.lineindex import Encoding, LineIndex
from gobex.source import SourceFile, TextChange

ContentChange = types.TextDocumentContentChangeEvent


def encode(text: str) -> bytes:
    """UTF-8 bytes of text from the client; lone surrogates (which JSON allows)
    are kept as their CESU bytes rather than failing."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def path_of(uri: str) -> Path | None:
    """The file-system path of a ``file:`` URI, else None."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


@dataclass(frozen=True)
class Document:
    """One open document at one version. Immutable: edits return a new Document, so
    a lint running on another thread always sees a consistent snapshot."""

    uri: str
    path: Path | None  # None for non-file URIs (untitled buffers)
    version: int | None
    source: SourceFile

    @classmethod
    def open(
        cls,
        uri: str,
        path: Path | None,
        version: int | None,
        text: str,
        module_go_version: GoVersion | None = None,
    ) -> Document:
        data = encode(text)
        display = str(path) if path is not None else uri
        return cls(uri, path, version, SourceFile.parse(display, data, module_go_version))

    @property
    def data(self) -> bytes:
        return self.source.data

    def changed(
        self, changes: Sequence[ContentChange], version: int | None, encoding: Encoding
    ) -> Document:
        """The document after `changes`, applied in order as the LSP specifies.

        Range changes become byte-range edits of the tree (an incremental reparse);
        a whole-document change replaces the tree.
        """
        source = self.source
        pending: list[TextChange] = []
        data = source.data
        lines = source.lines
        for change in changes:
            if isinstance(change, types.TextDocumentContentChangeWholeDocument):
                if pending:
                    source = source.edit(pending)
                    pending = []
                source = source.with_text(encode(change.text))
                data, lines = source.data, source.lines
                continue
            start = lines.offset(change.range.start.line, change.range.start.character, encoding)
            end = lines.offset(change.range.end.line, change.range.end.character, encoding)
            start, end = min(start, end), max(start, end)
            text = encode(change.text)
            pending.append(TextChange(start, end, text))
            if len(changes) > 1:
                data = data[:start] + text + data[end:]
                lines = LineIndex(data)
        if pending:
            source = source.edit(pending)
        return Document(self.uri, self.path, version, source)

    def with_module_version(self, module_go_version: GoVersion | None) -> Document:
        """The same text parsed for another module Go version (config or go.mod changed)."""
        if module_go_version == self.source.module_go_version:
            return self
        source = SourceFile.parse(self.source.path, self.source.data, module_go_version)
        return Document(self.uri, self.path, self.version, source)
