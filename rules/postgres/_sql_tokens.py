"""A small SQL tokenizer: enough to find keywords outside comments and strings.

`tokenize` splits SQL (or CQL: pass ``line_comments=("--", "//")``) into
tokens, skipping comments and keeping string literals, quoted identifiers and
dollar-quoted bodies whole, so that ``SELECT *`` inside a comment or a string
does not count. `HOLE` stands for a value not known statically (see
`_sql.SqlText.sketch`) and comes out as a ``hole`` token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HOLE = "\x00"


@dataclass(frozen=True)
class Token:
    """A SQL token: `kind` is ``word`` (keywords and names), ``number``,
    ``string`` ('...', E'...', $$...$$), ``quoted`` ("name"), ``param`` ($1, ?,
    :name), ``hole`` (a value not known statically) or ``symbol``; `depth` is
    the parenthesis depth it sits at."""

    kind: str
    text: str
    depth: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokenize(sql: str, *, line_comments: Sequence[str] = ("--",)) -> list[Token]:
    """The tokens of `sql`, comments dropped. Never fails: an unterminated
    string or comment runs to the end of the text."""
    tokens: list[Token] = []
    depth = 0
    index = 0
    end = len(sql)
    while index < end:
        ch = sql[index]
        if ch.isspace():
            index += 1
            continue
        if any(sql.startswith(marker, index) for marker in line_comments):
            newline = sql.find("\n", index)
            index = end if newline == -1 else newline + 1
            continue
        if sql.startswith("/*", index):
            index = _block_comment_end(sql, index)
            continue
        if ch == HOLE:
            tokens.append(Token("hole", ch, depth))
            index += 1
            continue
        if ch == "'" or (ch in "eE" and sql.startswith("'", index + 1)):
            start = index
            escapes = ch != "'"
            index = _quoted_end(sql, index + (2 if escapes else 1), "'", escapes)
            tokens.append(Token("string", sql[start:index], depth))
            continue
        if ch == '"':
            start = index
            index = _quoted_end(sql, index + 1, '"', False)
            tokens.append(Token("quoted", sql[start:index], depth))
            continue
        if ch == "$":
            dollar = _dollar_quote(sql, index)
            if dollar is not None:
                tokens.append(Token("string", sql[index:dollar], depth))
                index = dollar
                continue
            digits = _word_end(sql, index + 1)
            if digits > index + 1:
                tokens.append(Token("param", sql[index:digits], depth))
                index = digits
                continue
        if ch == "?":
            tokens.append(Token("param", ch, depth))
            index += 1
            continue
        if _named_parameter(sql, index, tokens):
            stop = _word_end(sql, index + 1)
            tokens.append(Token("param", sql[index:stop], depth))
            index = stop
            continue
        if ch.isdigit():
            stop = _word_end(sql, index)
            tokens.append(Token("number", sql[index:stop], depth))
            index = stop
            continue
        if ch.isalpha() or ch == "_":
            stop = _word_end(sql, index)
            tokens.append(Token("word", sql[index:stop], depth))
            index = stop
            continue
        if ch == ")":
            depth = max(0, depth - 1)
        tokens.append(Token("symbol", ch, depth))
        if ch == "(":
            depth += 1
        index += 1
    return tokens


def _named_parameter(sql: str, index: int, tokens: Sequence[Token]) -> bool:
    """``:name`` (sqlx named queries); not the second colon of a ``::type`` cast."""
    if sql[index] != ":" or index + 1 >= len(sql):
        return False
    if not (sql[index + 1].isalpha() or sql[index + 1] == "_"):
        return False
    return not (tokens and tokens[-1].text == ":")


def _word_end(sql: str, index: int) -> int:
    while index < len(sql) and (sql[index].isalnum() or sql[index] in "_$"):
        index += 1
    return index


def _block_comment_end(sql: str, index: int) -> int:
    """PostgreSQL block comments nest."""
    level = 0
    while index < len(sql):
        if sql.startswith("/*", index):
            level += 1
            index += 2
        elif sql.startswith("*/", index):
            level -= 1
            index += 2
            if level == 0:
                return index
        else:
            index += 1
    return index


def _quoted_end(sql: str, index: int, quote: str, backslash: bool) -> int:
    while index < len(sql):
        ch = sql[index]
        if backslash and ch == "\\":
            index += 2
            continue
        if ch == quote:
            if sql.startswith(quote, index + 1):
                index += 2  # a doubled quote is the quote character
                continue
            return index + 1
        index += 1
    return index


def _dollar_quote(sql: str, index: int) -> int | None:
    """The end of ``$tag$ ... $tag$`` starting at `index`, or None."""
    close = index + 1
    while close < len(sql) and (sql[close].isalnum() or sql[close] == "_"):
        close += 1
    if close >= len(sql) or sql[close] != "$":
        return None
    tag = sql[index : close + 1]
    if tag[1:-1][:1].isdigit():
        return None  # `$1$`: not a tag
    body_end = sql.find(tag, close + 1)
    return len(sql) if body_end == -1 else body_end + len(tag)


def statement_keyword(tokens: Sequence[Token]) -> str | None:
    """The first keyword of the text (``SELECT``, ``LISTEN``...), upper-cased."""
    for token in tokens:
        if token.kind == "word":
            return token.upper
        if token.kind != "symbol" or token.text not in "(;":
            return None
    return None


def star_selects(tokens: Sequence[Token]) -> list[Token]:
    """``SELECT`` tokens of the outermost query (not of subqueries, CTEs or
    ``EXISTS (...)``) whose select list starts with ``*`` or ``t.*``."""
    found: list[Token] = []
    for index, token in enumerate(tokens):
        if token.kind != "word" or token.upper != "SELECT" or token.depth != 0:
            continue
        position = index + 1
        position = _skip_distinct(tokens, position)
        star = position < len(tokens) and tokens[position].text == "*"
        qualified_star = (
            position + 2 < len(tokens)
            and tokens[position].kind in ("word", "quoted")
            and tokens[position + 1].text == "."
            and tokens[position + 2].text == "*"
        )
        if star or qualified_star:
            found.append(token)
    return found


def _skip_distinct(tokens: Sequence[Token], position: int) -> int:
    if position < len(tokens) and tokens[position].upper in ("ALL", "DISTINCT"):
        distinct = tokens[position].upper == "DISTINCT"
        position += 1
        if distinct and position < len(tokens) and tokens[position].upper == "ON":
            position += 1
            if position < len(tokens) and tokens[position].text == "(":
                level = tokens[position].depth
                position += 1
                while position < len(tokens) and not (
                    tokens[position].text == ")" and tokens[position].depth == level
                ):
                    position += 1
                position += 1
    return position
