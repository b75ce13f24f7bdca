"""The Go language version a file is written against.

The version comes from the nearest ``go.mod``'s ``go`` directive (``toolchain`` is
ignored), unless configuration or ``--go-version`` sets it; a ``//go:build`` line
requiring ``go1.N`` overrides it for that file, as the Go toolchain does since 1.21.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_GO_DIRECTIVE = re.compile(
    rb"^[ \t]*go[ \t]+(\d+)\.(\d+)(?:\.\d+)?(?:\S*)[ \t\r]*(?://.*)?$", re.MULTILINE
)
_VERSION_TEXT = re.compile(r"^(?:go)?(\d+)\.(\d+)(?:\.\d+)?(?:rc\d+|beta\d+)?$")
_BUILD_TOKEN = re.compile(rb"\s*(?:(&&|\|\||[()!])|([A-Za-z0-9_.]+))")
_GO_TAG = re.compile(rb"go1(?:\.(\d+))?")
_BOM = b"\xef\xbb\xbf"
# A go.mod without a `go` line means Go 1.16 (the go command's rule since 1.17).
GO_MOD_DEFAULT = (1, 16)
_MAX_NESTING = 64


@dataclass(frozen=True, order=True)
class GoVersion:
    """A Go language version, ``major.minor``."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> GoVersion:
        """Parse ``1.22``, ``go1.22`` or ``1.22.3``; raise ValueError otherwise."""
        match = _VERSION_TEXT.match(text.strip())
        if match is None:
            raise ValueError(f"not a Go version: {text!r} (expected e.g. 1.22)")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    def at_least(self, minor: int) -> bool:
        """True when this is Go 1.`minor` or newer."""
        return (self.major, self.minor) >= (1, minor)


def parse_go_mod(data: bytes) -> GoVersion | None:
    """The ``go`` directive of a go.mod file, or None when it has none."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    match = _GO_DIRECTIVE.search(data)
    if match is None:
        return None
    return GoVersion(int(match.group(1)), int(match.group(2)))


# go.mod versions by directory, with the (mtime, size) they were read at: a
# long-running server sees a go.mod that appears, changes or goes away.
_GO_MOD_CACHE: dict[Path, tuple[tuple[int, int] | None, GoVersion | bool | None]] = {}
_GO_MOD_CACHE_LIMIT = 4096


def _go_mod_in(directory: Path) -> GoVersion | bool | None:
    """Version from ``directory/go.mod``; False when the directory has no go.mod,
    None when it cannot be read."""
    candidate = directory / "go.mod"
    try:
        stat = candidate.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return None
    signature = (stat.st_mtime_ns, stat.st_size)
    cached = _GO_MOD_CACHE.get(directory)
    if cached is not None and cached[0] == signature:
        return cached[1]
    try:
        data = candidate.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False
    except OSError:
        return None
    found = parse_go_mod(data) or GoVersion(*GO_MOD_DEFAULT)
    if len(_GO_MOD_CACHE) >= _GO_MOD_CACHE_LIMIT:
        _GO_MOD_CACHE.clear()
    _GO_MOD_CACHE[directory] = (signature, found)
    return found


def version_from_go_mod(path: Path) -> GoVersion | None:
    """The version declared by the go.mod nearest to `path` (a file or directory).

    A go.mod without a ``go`` line means Go 1.16, as the go command assumes.
    None when no go.mod is found (or the nearest one cannot be read).
    """
    try:
        directory = path.resolve()
    except (OSError, RuntimeError):
        return None
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        found = _go_mod_in(candidate)
        if found is not False:
            return found if isinstance(found, GoVersion) else None
    return None


def build_constraint_version(source: bytes) -> GoVersion | None:
    """The minimum Go version a file's ``//go:build`` line implies, if any.

    As go/parser does, only comments before the package clause are read (the
    last ``//go:build`` line among them counts). As go/build/constraint's
    GoVersion does, ``go1.21 && linux`` implies 1.21, ``go1.21 || linux``
    implies nothing (the file builds without 1.21), ``go1.18 || go1.21``
    implies 1.18, and negated terms (``!go1.22``) imply nothing.
    A malformed expression implies nothing.
    """
    expression = _build_line(source)
    if expression is None:
        return None
    minor = _min_version(expression)
    if minor is None or minor < 0:
        return None
    return GoVersion(1, minor)


def _build_line(source: bytes) -> bytes | None:
    """The expression of the last ``//go:build`` comment before ``package``."""
    position = len(_BOM) if source.startswith(_BOM) else 0
    length = len(source)
    found: bytes | None = None
    while position < length:
        byte = source[position]
        if byte in b" \t\r\n\f\v":
            position += 1
        elif source.startswith(b"//", position):
            end = source.find(b"\n", position)
            end = length if end == -1 else end
            line = source[position:end].rstrip()
            if line.startswith(b"//go:build") and (
                len(line) > len(b"//go:build") and line[len(b"//go:build")] in b" \t"
            ):
                found = line[len(b"//go:build") :].strip()
            position = end
        elif source.startswith(b"/*", position):
            end = source.find(b"*/", position + 2)
            if end == -1:
                return found
            position = end + 2
        else:
            break
    return found


def _min_version(expression: bytes) -> int | None:
    """go/build/constraint's minVersion of a constraint expression: the minor
    version it implies (-1 for none), or None when the expression is malformed."""
    tokens: list[bytes] = []
    position = 0
    stripped = expression.rstrip()
    while position < len(stripped):
        match = _BUILD_TOKEN.match(stripped, position)
        if match is None:
            return None
        tokens.append(match.group(1) or match.group(2))
        position = match.end()
    parser = _ConstraintParser(tokens)
    try:
        value = parser.parse_or(+1, 0)
    except ValueError:
        return None
    if parser.index != len(tokens):
        return None
    return value


class _ConstraintParser:
    """Recursive descent over ``||``, ``&&``, ``!``, parentheses and tags, computing
    the implied minimum version on the fly (``sign`` flips under ``!``)."""

    def __init__(self, tokens: list[bytes]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> bytes | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def parse_or(self, sign: int, depth: int) -> int:
        value = self.parse_and(sign, depth)
        while self.peek() == b"||":
            self.index += 1
            other = self.parse_and(sign, depth)
            value = min(value, other) if sign > 0 else max(value, other)
        return value

    def parse_and(self, sign: int, depth: int) -> int:
        value = self.parse_not(sign, depth)
        while self.peek() == b"&&":
            self.index += 1
            other = self.parse_not(sign, depth)
            value = max(value, other) if sign > 0 else min(value, other)
        return value

    def parse_not(self, sign: int, depth: int) -> int:
        if depth > _MAX_NESTING:
            raise ValueError("constraint nested too deeply")
        token = self.peek()
        if token == b"!":
            self.index += 1
            return self.parse_not(-sign, depth + 1)
        if token == b"(":
            self.index += 1
            value = self.parse_or(sign, depth + 1)
            if self.peek() != b")":
                raise ValueError("missing )")
            self.index += 1
            return value
        if token is None or token in (b")", b"&&", b"||"):
            raise ValueError("missing operand")
        self.index += 1
        if sign < 0:
            return -1  # !tag implies nothing
        match = _GO_TAG.fullmatch(token)
        if match is None:
            return -1
        return int(match.group(1)) if match.group(1) is not None else 0


def effective_version(base: GoVersion | None, source: bytes) -> GoVersion | None:
    """The file's language version: `base` overridden by its build constraint.

    As go/types does: a constraint newer than the module upgrades the file; an
    older one downgrades it, but not below 1.21 (the first release that honours
    downgrades), and not at all in a module older than 1.21. When the module's
    version is unknown, the constraint's version is the file's (rule fixtures
    set their Go version this way).
    """
    required = build_constraint_version(source)
    if required is None:
        return base
    if base is None or required >= base:
        return required
    go121 = GoVersion(1, 21)
    if base < go121:
        return base
    return max(required, go121)
