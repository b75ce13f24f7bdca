"""Byte offsets <-> line/column positions: the one place where columns are computed.

tree-sitter speaks bytes; the LSP speaks UTF-16 or UTF-8 code units (negotiated);
the CLI prints characters. Every conversion goes through `LineIndex`.

Bytes that are not valid UTF-8 count as one character and one UTF-16 unit each
(they are decoded with ``surrogateescape``), so no input can make a conversion fail.
"""

from __future__ import annotations

import bisect
from enum import StrEnum
from itertools import accumulate, count
from operator import add


class Encoding(StrEnum):
    """How a column is counted."""

    UTF8 = "utf-8"
    UTF16 = "utf-16"
    CHARS = "chars"  # Unicode code points (the CLI's columns)


def _char_start(data: bytes, floor: int, offset: int) -> int:
    """`offset`, moved back to the start of the UTF-8 character it falls inside of
    (not below `floor`). Offsets at a character boundary, and offsets inside
    invalid sequences (whose bytes are characters of their own), stay put."""
    for back in (1, 2, 3):
        lead = offset - back
        if lead < floor:
            break
        byte = data[lead]
        if byte < 0x80:
            break
        if byte >= 0xC0:
            width = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            if lead + width > offset:
                try:
                    data[lead : lead + width].decode("utf-8")
                except UnicodeDecodeError:
                    break
                return lead
            break
    return offset


def _units(text: str, encoding: Encoding) -> int:
    if encoding is Encoding.CHARS:
        return len(text)
    if encoding is Encoding.UTF16:
        # Surrogate-escaped bytes (U+DC80..U+DCFF) count as one unit, like any BMP char.
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogateescape"))


class LineIndex:
    """Line starts of a byte string, with conversions between offsets and positions.

    Lines end at ``\\n``; a ``\\r`` before it belongs to the line's end, not its text.
    """

    __slots__ = ("_data", "_starts")

    def __init__(self, data: bytes) -> None:
        self._data = data
        # Line k starts after the k lines before it and their newlines (C-level loops).
        lengths = map(len, data.split(b"\n")[:-1])
        self._starts: list[int] = [0, *map(add, accumulate(lengths), count(1))]

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        """Byte offset where 0-based `line` starts (clamped to the document)."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self._data)
        return self._starts[line]

    def line_end(self, line: int) -> int:
        """Byte offset of the end of `line`'s text, before ``\\r\\n`` or ``\\n``."""
        if line + 1 < len(self._starts):
            end = self._starts[line + 1] - 1
            if end > self._starts[line] and self._data[end - 1 : end] == b"\r":
                end -= 1
            return end
        return len(self._data)

    def line_bytes(self, line: int) -> bytes:
        return self._data[self.line_start(line) : self.line_end(line)]

    def line_text(self, line: int) -> str:
        return self.line_bytes(line).decode("utf-8", "surrogateescape")

    def line_of(self, offset: int) -> int:
        """0-based line holding byte `offset`."""
        offset = max(0, min(offset, len(self._data)))
        return bisect.bisect_right(self._starts, offset) - 1

    def position(self, offset: int, encoding: Encoding) -> tuple[int, int]:
        """0-based (line, column) of byte `offset`, the column counted in `encoding`."""
        offset = max(0, min(offset, len(self._data)))
        line = self.line_of(offset)
        start = self._starts[line]
        if encoding is Encoding.UTF8:
            return line, offset - start
        raw = self._data[start:offset]
        if raw.isascii():
            return line, len(raw)
        # An offset inside a character counts as that character's start.
        raw = raw[: _char_start(self._data, start, offset) - start]
        return line, _units(raw.decode("utf-8", "surrogateescape"), encoding)

    def offset(self, line: int, column: int, encoding: Encoding) -> int:
        """Byte offset of 0-based (line, column); columns past the line's end clamp to it.

        A column that falls inside a multi-byte character (or between the two
        halves of a UTF-16 surrogate pair) resolves to the start of that character.
        """
        if line >= len(self._starts):
            return len(self._data)
        if line < 0:
            return 0
        start = self._starts[line]
        end = self.line_end(line)
        if column <= 0:
            return start
        if encoding is Encoding.UTF8 or self._data[start : start + column].isascii():
            # The first `column` bytes are ASCII (one unit each in every encoding).
            return _char_start(self._data, start, min(start + column, end))
        text = self._data[start:end].decode("utf-8", "surrogateescape")
        units = 0
        consumed = 0
        for ch in text:
            width = 2 if encoding is Encoding.UTF16 and ord(ch) > 0xFFFF else 1
            if units + width > column:
                break
            units += width
            consumed += 1
        return start + len(text[:consumed].encode("utf-8", "surrogateescape"))
