"""LineIndex: byte offset <-> (line, UTF-16 column) <-> (line, UTF-8 column) <-> character column.

The oracle in these tests is Python's own codecs: a line's text is its bytes
decoded with ``surrogateescape`` (every invalid byte is one character and one
UTF-16 unit), a UTF-16 column is the length of the prefix encoded as UTF-16, a
character column the prefix's length in code points.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gobex.lineindex import Encoding, LineIndex

ENCODINGS = (Encoding.UTF8, Encoding.UTF16, Encoding.CHARS)

# Text that stresses columns: ASCII, Latin, CJK, emoji (surrogate pairs in UTF-16),
# combining marks, a ZWJ sequence, BOM, NUL, tabs and every kind of line break.
PIECES = [
    "a",
    "func",
    " ",
    "\t",
    "é",
    "e\u0301",  # e + combining acute: two code points, one grapheme
    "世界",
    "😀",
    "👩\u200d💻",  # ZWJ sequence: three code points, five UTF-16 units
    "\U0001f1eb\U0001f1f7",  # flag: two regional indicators
    "\ufeff",  # BOM
    "\x00",
    "\n",
    "\r\n",
    "\r",
    "\r\r\n",
    "\u2028",  # LINE SEPARATOR: not a line break for Go or for gobex
    "\U0001d518",  # MATHEMATICAL FRAKTUR CAPITAL U: 4 bytes, 2 UTF-16 units
]

texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join) | st.text(max_size=60)
# Arbitrary bytes, biased to bytes that make UTF-8 invalid or break lines.
raw_bytes = st.binary(max_size=80) | st.lists(
    st.sampled_from(
        [b"\n", b"\r", b"\r\n", b"\xff", b"\xc3", b"\xa9", b"\xe2\x82", b"\xf0\x9f\x98", b"a"]
    ),
    max_size=40,
).map(b"".join)
documents = texts.map(lambda t: t.encode("utf-8")) | raw_bytes


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def utf16_len(text: str) -> int:
    # Lone surrogates (escaped invalid bytes) are one unit each, like any BMP character.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def expected_lines(data: bytes) -> list[tuple[int, int]]:
    """(start, end of text) of every line: lines end at \\n; a \\r before it is not text."""
    lines = []
    start = 0
    while True:
        newline = data.find(b"\n", start)
        if newline == -1:
            lines.append((start, len(data)))
            return lines
        end = newline
        if end > start and data[end - 1 : end] == b"\r":
            end -= 1
        lines.append((start, end))
        start = newline + 1


def char_boundaries(data: bytes, start: int, end: int) -> list[int]:
    """Byte offsets of the character boundaries of data[start:end], both ends included."""
    offsets = [start]
    position = start
    for ch in decode(data[start:end]):
        position += len(ch.encode("utf-8", "surrogateescape"))
        offsets.append(position)
    assert position == end
    return offsets


def expected_column(data: bytes, start: int, offset: int, encoding: Encoding) -> int:
    prefix = data[start:offset]
    if encoding is Encoding.UTF8:
        return len(prefix)
    text = decode(prefix)
    return utf16_len(text) if encoding is Encoding.UTF16 else len(text)


@settings(max_examples=300, deadline=None)
@given(documents)
@example(b"")
@example(b"\n")
@example(b"\r\n\r\n")
@example(b"\r")
@example(b"\xef\xbb\xbfpackage main\n")
@example("a😀b\r\nc世\u0301d\n".encode())
@example(b"\xff\xfe\x00\n\xc3")
def test_lines_and_round_trips(data: bytes) -> None:
    index = LineIndex(data)
    lines = expected_lines(data)
    assert index.line_count == len(lines) == data.count(b"\n") + 1
    for number, (start, end) in enumerate(lines):
        assert index.line_start(number) == start
        assert index.line_end(number) == end
        assert index.line_bytes(number) == data[start:end]
        assert index.line_text(number) == decode(data[start:end])
        for offset in char_boundaries(data, start, end):
            assert index.line_of(offset) == number
            positions = {}
            for encoding in ENCODINGS:
                line, column = index.position(offset, encoding)
                assert (line, column) == (number, expected_column(data, start, offset, encoding))
                # offset -> position -> offset is the identity at every character boundary.
                assert index.offset(line, column, encoding) == offset
                positions[encoding] = column
            # The three column systems name the same place.
            assert positions[Encoding.UTF8] == offset - start
            chars, utf16 = positions[Encoding.CHARS], positions[Encoding.UTF16]
            assert chars <= utf16 <= positions[Encoding.UTF8]
    # Joining the lines gives back the document with \r\n turned into \n.
    joined = b"\n".join(index.line_bytes(n) for n in range(index.line_count))
    assert joined == data.replace(b"\r\n", b"\n")


@settings(max_examples=200, deadline=None)
@given(documents)
@example(b"ab\r\ncd")
def test_offsets_in_line_terminators_clamp_to_the_line_end(data: bytes) -> None:
    """Offsets of a line's ``\\r\\n`` stay on that line and convert back to its end."""
    index = LineIndex(data)
    for number, (_, end) in enumerate(expected_lines(data)):
        terminator_end = index.line_start(number + 1) if number + 1 < index.line_count else end
        for offset in range(end, terminator_end):
            for encoding in ENCODINGS:
                line, column = index.position(offset, encoding)
                assert line == number
                assert index.offset(line, column, encoding) == end


@settings(max_examples=200, deadline=None)
@given(documents)
def test_position_is_monotonic_and_total(data: bytes) -> None:
    """Every byte offset (even inside a character, or out of range) has a position,
    and positions never go backwards as offsets grow."""
    index = LineIndex(data)
    for encoding in ENCODINGS:
        previous = (-1, -1)
        for offset in range(-2, len(data) + 3):
            position = index.position(offset, encoding)
            assert position >= previous
            previous = position
            back = index.offset(*position, encoding)
            assert 0 <= back <= len(data)
        assert index.position(len(data) + 10, encoding) == index.position(len(data), encoding)
        assert index.position(-5, encoding) == (0, 0)


@settings(max_examples=200, deadline=None)
@given(documents, st.integers(-3, 12), st.integers(-3, 200))
def test_offset_of_any_position_is_a_character_boundary(
    data: bytes, line: int, column: int
) -> None:
    """Columns past the end clamp to the line's end; columns inside a character
    (a UTF-8 continuation byte, the second half of a surrogate pair) resolve to
    the start of that character; lines out of range clamp to the document."""
    index = LineIndex(data)
    for encoding in ENCODINGS:
        offset = index.offset(line, column, encoding)
        if line < 0:
            assert offset == 0
            continue
        if line >= index.line_count:
            assert offset == len(data)
            continue
        start, end = index.line_start(line), index.line_end(line)
        assert offset in char_boundaries(data, start, end)
        # The character that holds `column` starts at `offset`: its column is <= the
        # one asked for, and the next boundary's column (if any) is past it.
        reached = index.position(offset, encoding)[1]
        assert reached <= max(column, 0)
        if offset < end:
            following = char_boundaries(data, offset, end)[1]
            assert index.position(following, encoding)[1] > max(column, 0) or column <= 0


@pytest.mark.parametrize(
    ("text", "utf16", "chars"),
    [
        ("x", 1, 1),
        ("é", 1, 1),
        ("世", 1, 1),
        ("😀", 2, 1),
        ("e\u0301", 2, 2),
        ("👩\u200d💻", 5, 3),
        ("\ufeff", 1, 1),
    ],
)
def test_column_width_of_one_character(text: str, utf16: int, chars: int) -> None:
    data = f"a{text}b".encode()
    index = LineIndex(data)
    b_offset = data.index(b"b")
    assert index.position(b_offset, Encoding.UTF8) == (0, 1 + len(text.encode()))
    assert index.position(b_offset, Encoding.UTF16) == (0, 1 + utf16)
    assert index.position(b_offset, Encoding.CHARS) == (0, 1 + chars)


def test_column_inside_a_surrogate_pair_resolves_to_the_emoji() -> None:
    data = "a😀b".encode()
    index = LineIndex(data)
    # UTF-16 column 2 is between the two halves of the pair.
    assert index.offset(0, 2, Encoding.UTF16) == 1
    assert index.offset(0, 3, Encoding.UTF16) == 5


def test_utf8_column_inside_a_character_resolves_to_its_start() -> None:
    data = "a世b".encode()  # 世 is 3 bytes at offsets 1..3
    index = LineIndex(data)
    assert index.offset(0, 2, Encoding.UTF8) == 1
    assert index.offset(0, 3, Encoding.UTF8) == 1
    assert index.offset(0, 4, Encoding.UTF8) == 4


def test_lone_carriage_return_is_not_a_line_break() -> None:
    """Like tree-sitter's rows and Go's scanner, only \\n ends a line."""
    data = b"a\rb\nc"
    index = LineIndex(data)
    assert index.line_count == 2
    assert index.position(2, Encoding.UTF16) == (0, 2)
    assert index.line_text(0) == "a\rb"


def test_invalid_bytes_count_as_one_unit_each() -> None:
    data = b"\xff\xfex"
    index = LineIndex(data)
    assert index.position(2, Encoding.UTF16) == (0, 2)
    assert index.position(2, Encoding.CHARS) == (0, 2)
    assert index.offset(0, 1, Encoding.UTF16) == 1


def test_huge_line_conversions() -> None:
    data = ("x" * 200_000 + "😀" + "y" * 10).encode()
    index = LineIndex(data)
    emoji_end = 200_004
    assert index.position(emoji_end, Encoding.UTF16) == (0, 200_002)
    assert index.position(emoji_end, Encoding.CHARS) == (0, 200_001)
    assert index.offset(0, 200_002, Encoding.UTF16) == emoji_end
    assert index.offset(0, 200_001, Encoding.CHARS) == emoji_end
