"""Go format strings (``fmt.Printf`` family): the verbs, the operand each one
formats, and where each verb sits in the source.

The parser follows ``fmt``'s own ``doPrintf``: flags, ``[n]`` explicit argument
indexes, ``*`` widths and precisions that consume an operand, ``%%`` that
consumes none. A string literal keeps a byte offset per character so that a fix
can rewrite one verb; characters that come from escape sequences (``\\x25``)
have no offset and are never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts.syntax import text

FLAGS = "#0+- "

_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
}


@dataclass(frozen=True)
class FormatString:
    """The value of a format string; `offsets[i]` is the source byte offset of
    character `i`, or None when the character is not written literally there."""

    value: str
    offsets: tuple[int | None, ...]

    def source_range(self, start: int, end: int) -> tuple[int, int] | None:
        """The source bytes of characters ``[start, end)`` when they are written
        literally and contiguously (ASCII verbs always are, outside escapes)."""
        if start >= end:
            return None
        first = self.offsets[start]
        if first is None:
            return None
        for index in range(start, end):
            offset = self.offsets[index]
            if offset is None or offset != first + (index - start):
                return None
            if ord(self.value[index]) > 0x7F:
                return None
        return first, first + (end - start)


@dataclass(frozen=True)
class Verb:
    """One ``%`` directive: `start`/`end` index the format string's value."""

    start: int
    end: int
    verb: str
    flags: str
    operand: int | None  # 0-based index of the operand it formats; None for %%
    explicit_index: str  # the ``[n]`` written right before the verb, if any
    has_width: bool
    has_precision: bool

    @property
    def plain(self) -> bool:
        """No width and no precision (flags allowed)."""
        return not self.has_width and not self.has_precision


def format_string(node: Node) -> FormatString | None:
    """A string literal's value with source offsets (None for other nodes)."""
    if node.type == "raw_string_literal":
        raw = text(node)[1:-1]
        if "\r" in raw:  # Go drops carriage returns from raw strings
            return unmapped(raw.replace("\r", ""))
        return FormatString(raw, tuple(_content_offsets(raw, node.start_byte + 1)))
    if node.type != "interpreted_string_literal":
        return None
    chars: list[str] = []
    offsets: list[int | None] = []
    for child in node.children:
        if child.type == "interpreted_string_literal_content":
            piece = text(child)
            chars.append(piece)
            offsets.extend(_content_offsets(piece, child.start_byte))
        elif child.type == "escape_sequence":
            decoded = _decode_escape(text(child))
            if decoded is None:
                return None
            chars.append(decoded)
            offsets.extend(None for _ in decoded)
    return FormatString("".join(chars), tuple(offsets))


def unmapped(value: str) -> FormatString:
    """A format string known only by value (a constant, a concatenation)."""
    return FormatString(value, tuple(None for _ in value))


def _content_offsets(piece: str, start: int) -> list[int | None]:
    offsets: list[int | None] = []
    position = start
    for ch in piece:
        offsets.append(position)
        position += len(ch.encode("utf-8", "surrogateescape"))
    return offsets


def _decode_escape(escape: str) -> str | None:
    if len(escape) < 2:
        return None
    kind = escape[1]
    if kind in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[kind]
    try:
        if kind in "xuU":
            return chr(int(escape[2:], 16))
        if kind in "01234567":
            return chr(int(escape[1:], 8))
    except ValueError:
        return None
    return None


class _Malformed(Exception):
    """The format string is one ``fmt`` would print ``%!`` errors for."""


def parse_verbs(value: str, operand_count: int) -> list[Verb] | None:
    """The verbs of a format string and the operands they format, as ``fmt``
    assigns them; None when the string is malformed (a bad ``[n]`` index, a
    verb without an operand) so that no caller guesses."""
    try:
        return _parse(value, operand_count)
    except _Malformed:
        return None


def _parse(value: str, operand_count: int) -> list[Verb]:
    verbs: list[Verb] = []
    operand = 0
    index = 0
    end = len(value)
    while index < end:
        if value[index] != "%":
            index += 1
            continue
        start = index
        index += 1
        flags = ""
        while index < end and value[index] in FLAGS:
            flags += value[index]
            index += 1
        explicit = ""
        parsed = _argument_index(value, index)
        after_index = parsed is not None
        if parsed is not None:
            operand, index, explicit = parsed
        has_width = False
        if index < end and value[index] == "*":
            index += 1
            operand += 1
            has_width = True
            after_index = False
            explicit = ""
        else:
            digits_end = _skip_digits(value, index)
            has_width = digits_end > index
            if has_width and after_index:
                raise _Malformed
            index = digits_end
        has_precision = False
        if index + 1 < end and value[index] == ".":
            index += 1
            has_precision = True
            if after_index:
                raise _Malformed
            parsed = _argument_index(value, index)
            after_index = parsed is not None
            if parsed is not None:
                operand, index, explicit = parsed
            if index < end and value[index] == "*":
                index += 1
                operand += 1
                after_index = False
                explicit = ""
            else:
                index = _skip_digits(value, index)
        if not after_index:
            parsed = _argument_index(value, index)
            if parsed is not None:
                operand, index, explicit = parsed
        if index >= end:
            raise _Malformed  # "%!(NOVERB)"
        verb = value[index]
        index += 1
        if verb == "%":
            verbs.append(Verb(start, index, verb, flags, None, "", has_width, has_precision))
            continue
        if operand >= operand_count:
            raise _Malformed  # "%!v(MISSING)"
        verbs.append(Verb(start, index, verb, flags, operand, explicit, has_width, has_precision))
        operand += 1
    return verbs


def _argument_index(value: str, index: int) -> tuple[int, int, str] | None:
    """``[n]`` at `index`: (operand, index after it, its text), or None."""
    if index >= len(value) or value[index] != "[":
        return None
    close = value.find("]", index)
    if close == -1:
        raise _Malformed
    number = value[index + 1 : close]
    if not number.isdigit() or int(number) < 1:
        raise _Malformed
    return int(number) - 1, close + 1, value[index : close + 1]


def _skip_digits(value: str, index: int) -> int:
    while index < len(value) and value[index].isdigit():
        index += 1
    return index
