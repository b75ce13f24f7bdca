"""Client-side helpers for the LSP tests, independent of the server's code.

Positions are computed here from Python strings (UTF-8 bytes or UTF-16 code
units counted directly), so a test compares the server's conversions against an
independent one rather than against itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

from lsprotocol import types

UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16


def units(text: str, encoding: str) -> int:
    """Length of `text` in the code units of `encoding`."""
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def position(text: str, index: int, encoding: str) -> types.Position:
    """The LSP position of character `index` of `text`."""
    before = text[:index]
    line = before.count("\n")
    start = before.rfind("\n") + 1
    return types.Position(line=line, character=units(text[start:index], encoding))


def offset(text: str, pos: types.Position, encoding: str) -> int:
    """The character index of an LSP position in `text`."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    count = 0
    for index, char in enumerate(line):
        if count >= pos.character:
            return start + index
        count += units(char, encoding)
    return start + len(line)


def find(text: str, needle: str, occurrence: int = 0) -> int:
    """Character index of the `occurrence`-th `needle` in `text`."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return index


def span(text: str, needle: str, encoding: str, occurrence: int = 0) -> types.Range:
    start = find(text, needle, occurrence)
    return types.Range(
        start=position(text, start, encoding), end=position(text, start + len(needle), encoding)
    )


def apply_text_edits(text: str, edits: Sequence[types.TextEdit], encoding: str) -> str:
    """Apply LSP text edits (all relative to `text`), as an editor would."""
    resolved = sorted(
        (
            (offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new in resolved:
        text = text[:start] + new + text[end:]
    return text


def workspace_edit_for(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    """The edits a WorkspaceEdit makes to `uri` (changes or documentChanges)."""
    found: list[types.TextEdit] = []
    if edit.changes:
        found.extend(edit.changes.get(uri, []))
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            found.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    return found


def change(text: str, start: int, end: int, new: str, encoding: str) -> dict[str, Any]:
    """An incremental content change replacing characters [start, end) of `text`."""
    return {
        "range": types.Range(
            start=position(text, start, encoding), end=position(text, end, encoding)
        ),
        "text": new,
    }


async def wait_for(
    predicate: Callable[[], Any], timeout: float = 90.0, what: str = "condition"
) -> Any:
    """Poll until `predicate()` is truthy (and return it); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)
