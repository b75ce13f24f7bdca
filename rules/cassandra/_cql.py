"""CQL statements as the Cassandra rules read them: a small lexer and the few
questions rules ask of a statement.

The lexer knows what makes keywords not keywords: comments (``--``, ``//``,
``/* */``), string literals (``'it''s'``, ``$$...$$``) and quoted identifiers
(``"Allow"``). Parts of the text that Go code computes at run time (a formatted
value, a parameter) are *holes*: the template carries one `HOLE` character per
hole, in order, and the lexer gives each its own token, or records it inside the
string literal that holds it.

Keywords are compared upper-cased; nothing here executes or fully parses CQL:
the answers are the ones a reader gets from the token sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

HOLE = "\ue000"  # stands for a part of the text computed at run time


class Kind(StrEnum):
    WORD = "word"  # keyword or identifier (value upper-cased)
    NUMBER = "number"
    STRING = "string"  # '...' or $$...$$
    QUOTED = "quoted"  # "identifier"
    MARKER = "marker"  # ? or :name
    SYMBOL = "symbol"
    HOLE = "hole"


@dataclass(frozen=True)
class Token:
    kind: Kind
    value: str  # upper-cased for words; the symbol; the text of literals
    holes: tuple[int, ...] = ()  # holes in this token (one for HOLE; those inside a literal)


_TWO_CHAR_SYMBOLS = frozenset({"<=", ">=", "!=", "=="})
_WORD_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_WORD_CHARS = _WORD_START | frozenset("0123456789")
_NUMBER_CHARS = frozenset("0123456789.")


def tokenize(template: str) -> tuple[Token, ...]:
    """The tokens of `template`, holes numbered in order of appearance."""
    tokens: list[Token] = []
    index = 0
    hole = 0
    end = len(template)
    while index < end:
        ch = template[index]
        if ch == HOLE:
            tokens.append(Token(Kind.HOLE, HOLE, (hole,)))
            hole += 1
            index += 1
        elif ch.isspace() or ch == ";":
            index += 1
        elif template.startswith(("--", "//"), index):
            stop = template.find("\n", index)
            index, hole = _skip(template, index, end if stop == -1 else stop, hole)
        elif template.startswith("/*", index):
            stop = template.find("*/", index + 2)
            index, hole = _skip(template, index, end if stop == -1 else stop + 2, hole)
        elif ch == "'":
            index, hole, token = _quoted(template, index, "'", Kind.STRING, hole)
            tokens.append(token)
        elif ch == '"':
            index, hole, token = _quoted(template, index, '"', Kind.QUOTED, hole)
            tokens.append(token)
        elif template.startswith("$$", index):
            stop = template.find("$$", index + 2)
            stop = end if stop == -1 else stop + 2
            holes = _holes_in(template, index, stop, hole)
            tokens.append(Token(Kind.STRING, template[index:stop], holes))
            hole += len(holes)
            index = stop
        elif ch in _WORD_START:
            stop = index + 1
            while stop < end and template[stop] in _WORD_CHARS:
                stop += 1
            tokens.append(Token(Kind.WORD, template[index:stop].upper()))
            index = stop
        elif ch.isdigit():
            stop = index + 1
            while stop < end and template[stop] in _NUMBER_CHARS:
                stop += 1
            tokens.append(Token(Kind.NUMBER, template[index:stop]))
            index = stop
        elif ch == "?":
            tokens.append(Token(Kind.MARKER, "?"))
            index += 1
        elif ch == ":" and index + 1 < end and template[index + 1] in _WORD_START:
            stop = index + 2
            while stop < end and template[stop] in _WORD_CHARS:
                stop += 1
            tokens.append(Token(Kind.MARKER, template[index:stop]))
            index = stop
        else:
            pair = template[index : index + 2]
            if pair in _TWO_CHAR_SYMBOLS:
                tokens.append(Token(Kind.SYMBOL, pair))
                index += 2
            else:
                tokens.append(Token(Kind.SYMBOL, ch))
                index += 1
    return tuple(tokens)


def _skip(template: str, start: int, stop: int, hole: int) -> tuple[int, int]:
    """Skip a comment, counting the holes in it."""
    return stop, hole + template.count(HOLE, start, stop)


def _holes_in(template: str, start: int, stop: int, hole: int) -> tuple[int, ...]:
    return tuple(range(hole, hole + template.count(HOLE, start, stop)))


def _quoted(template: str, start: int, quote: str, kind: Kind, hole: int) -> tuple[int, int, Token]:
    """A '...' string or "..." identifier; a doubled quote is an escaped one."""
    index = start + 1
    end = len(template)
    while index < end:
        if template[index] == quote:
            if index + 1 < end and template[index + 1] == quote:
                index += 2
                continue
            index += 1
            break
        index += 1
    holes = _holes_in(template, start, index, hole)
    return index, hole + len(holes), Token(kind, template[start:index], holes)


class Position(StrEnum):
    """Where a hole sits in a statement."""

    VALUE = "value"  # a literal value: quoted, compared, in an IN/VALUES list, LIMIT, TTL
    NAME = "name"  # a keyspace, table or column name, or a keyword
    UNKNOWN = "unknown"


_COMPARISONS = frozenset({"=", "==", "<", ">", "<=", ">=", "!=", "+", "-"})
_VALUE_KEYWORDS = frozenset({"CONTAINS", "KEY", "LIMIT", "TTL", "TIMESTAMP", "LIKE"})
_VALUE_LISTS = frozenset({"IN", "VALUES", "TOKEN"})
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "BATCH"})
# Small node-local tables: reading them whole is how drivers and tools work.
SYSTEM_KEYSPACES = frozenset(
    {
        "SYSTEM",
        "SYSTEM_SCHEMA",
        "SYSTEM_AUTH",
        "SYSTEM_DISTRIBUTED",
        "SYSTEM_TRACES",
        "SYSTEM_VIEWS",
        "SYSTEM_VIRTUAL_SCHEMA",
    }
)


# System tables read without a keyspace (a session whose keyspace is `system`).
_SYSTEM_TABLES = frozenset({"LOCAL", "PEERS", "PEERS_V2", "SIZE_ESTIMATES"})


@dataclass(frozen=True)
class CounterUpdate:
    """``SET c = c + <operand>`` (or ``-``): `marker` is the index of the ``?`` bound
    there among the statement's markers (None for a literal number)."""

    column: str
    marker: int | None
    literal: bool


@dataclass(frozen=True)
class Statement:
    """One CQL statement (or batch) as tokens."""

    tokens: tuple[Token, ...]

    @classmethod
    def parse(cls, template: str) -> Statement:
        return cls(tokenize(template))

    @property
    def kind(self) -> str:
        """The first keyword: SELECT, INSERT, UPDATE, DELETE, CREATE...; BATCH for
        ``BEGIN [UNLOGGED|COUNTER] BATCH``; "" when the text starts with a hole."""
        first = self.tokens[0] if self.tokens else None
        if first is None or first.kind != Kind.WORD:
            return ""
        return "BATCH" if first.value == "BEGIN" else first.value

    @property
    def is_write(self) -> bool:
        return self.kind in _WRITES

    def has_words(self, *sequence: str) -> bool:
        """The keywords appear one after the other."""
        width = len(sequence)
        for index in range(len(self.tokens) - width + 1):
            window = self.tokens[index : index + width]
            if all(
                t.kind == Kind.WORD and t.value == w for t, w in zip(window, sequence, strict=True)
            ):
                return True
        return False

    def word_index(self, word: str) -> int | None:
        return next(
            (i for i, t in enumerate(self.tokens) if t.kind == Kind.WORD and t.value == word),
            None,
        )

    @property
    def allow_filtering(self) -> bool:
        return self.has_words("ALLOW", "FILTERING")

    @property
    def has_where(self) -> bool:
        return self.word_index("WHERE") is not None

    @property
    def has_limit(self) -> bool:
        return self.word_index("LIMIT") is not None

    @property
    def selects_star(self) -> bool:
        """``SELECT *`` (also after DISTINCT or JSON); not ``count(*)``."""
        if self.kind != "SELECT":
            return False
        for token in self.tokens[1:4]:
            if token.kind == Kind.WORD and token.value in ("DISTINCT", "JSON"):
                continue
            return token.kind == Kind.SYMBOL and token.value == "*"
        return False

    @property
    def table(self) -> tuple[str | None, str] | None:
        """(keyspace, table) after FROM, upper-cased when unquoted; None when a hole
        or nothing readable is there."""
        names = self._from_names()
        if names is None:
            return None
        if len(names) == 1:
            return None, names[0]
        if len(names) == 2:
            return names[0], names[1]
        return None

    @property
    def known_after_table(self) -> bool:
        """Nothing after the table name of FROM is computed at run time (so a
        missing WHERE or LIMIT is really missing)."""
        start = self.word_index("FROM")
        if start is None:
            return False
        index = start + 1
        tokens = self.tokens
        # The name: words, quoted names or holes joined by dots.
        while index < len(tokens) and tokens[index].kind in (Kind.WORD, Kind.QUOTED, Kind.HOLE):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            index += 1
            if following is None or following.kind != Kind.SYMBOL or following.value != ".":
                break
            index += 1
        return not any(t.holes for t in tokens[index:])

    def _from_names(self) -> list[str] | None:
        start = self.word_index("FROM")
        if start is None:
            return None
        names: list[str] = []
        index = start + 1
        while index < len(self.tokens):
            token = self.tokens[index]
            if token.kind == Kind.WORD:
                names.append(token.value)
            elif token.kind == Kind.QUOTED and not token.holes:
                names.append(token.value[1:-1])
            else:
                return None
            following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
            if following is None or following.kind != Kind.SYMBOL or following.value != ".":
                break
            index += 2
        return names

    @property
    def reads_system_table(self) -> bool:
        table = self.table
        if table is None:
            return False
        keyspace, name = table
        if keyspace is None:
            return name.upper() in _SYSTEM_TABLES
        return keyspace.upper() in SYSTEM_KEYSPACES

    @property
    def conditional(self) -> bool:
        """A lightweight transaction: ``IF NOT EXISTS``, ``IF EXISTS`` or ``IF <cond>``
        on an INSERT, UPDATE, DELETE or in a batch."""
        return self.is_write and self.word_index("IF") is not None

    def counter_updates(self) -> list[CounterUpdate]:
        """``SET c = c + ?`` / ``c = c - 1`` assignments of an UPDATE (or in a batch)."""
        found: list[CounterUpdate] = []
        tokens = self.tokens
        markers = 0
        for index, token in enumerate(tokens):
            if token.kind == Kind.MARKER:
                markers += 1
            if not (
                token.kind == Kind.SYMBOL
                and token.value == "="
                and index > 0
                and index + 3 < len(tokens)
            ):
                continue
            column, same, operator, operand = (
                tokens[index - 1],
                tokens[index + 1],
                tokens[index + 2],
                tokens[index + 3],
            )
            if (
                column.kind == Kind.WORD
                and same.kind == Kind.WORD
                and column.value == same.value
                and operator.kind == Kind.SYMBOL
                and operator.value in ("+", "-")
                and self._in_set_clause(index)
            ):
                if operand.kind == Kind.NUMBER:
                    found.append(CounterUpdate(column.value, None, True))
                elif operand.kind == Kind.MARKER and operand.value == "?":
                    found.append(CounterUpdate(column.value, markers, False))
        return found

    def _in_set_clause(self, index: int) -> bool:
        """The token at `index` comes after a SET and before the next WHERE/IF."""
        for token in reversed(self.tokens[:index]):
            if token.kind != Kind.WORD:
                continue
            if token.value == "SET":
                return True
            if token.value in ("WHERE", "IF", "SELECT", "INSERT", "DELETE"):
                return False
        return False

    def hole_positions(self) -> dict[int, Position]:
        """Where each hole sits: in a value position (a literal would go there), in a
        name position, or unknown."""
        positions: dict[int, Position] = {}
        opened: list[str] = []  # the word before each open parenthesis or bracket
        tokens = self.tokens
        for index, token in enumerate(tokens):
            if token.kind == Kind.STRING:
                for hole in token.holes:
                    positions[hole] = Position.VALUE
                continue
            if token.kind == Kind.QUOTED:
                for hole in token.holes:
                    positions[hole] = Position.NAME
                continue
            if token.kind == Kind.SYMBOL and token.value in ("(", "[", "{"):
                before = tokens[index - 1] if index > 0 else None
                if token.value != "(":
                    opened.append("COLLECTION")
                elif before is not None and before.kind == Kind.WORD:
                    opened.append(before.value)
                else:
                    opened.append("")
                continue
            if token.kind == Kind.SYMBOL and token.value in (")", "]", "}"):
                if opened:
                    opened.pop()
                continue
            if token.kind != Kind.HOLE:
                continue
            previous = tokens[index - 1] if index > 0 else None
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            positions[token.holes[0]] = _position(previous, following, opened)
        return positions


def _position(previous: Token | None, following: Token | None, opened: list[str]) -> Position:
    if following is not None and following.kind == Kind.SYMBOL and following.value == ".":
        return Position.NAME
    if previous is None:
        return Position.UNKNOWN
    if previous.kind == Kind.SYMBOL:
        if previous.value in _COMPARISONS:
            return Position.VALUE
        if previous.value in ("(", ",") and opened:
            holder = opened[-1]
            if holder in _VALUE_LISTS or holder == "COLLECTION":
                return Position.VALUE
            return Position.NAME
        if previous.value == ".":
            return Position.NAME
        return Position.UNKNOWN
    if previous.kind == Kind.WORD:
        if previous.value in _VALUE_KEYWORDS:
            return Position.VALUE
        return Position.NAME
    return Position.UNKNOWN
