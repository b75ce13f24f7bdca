"""The Go language version a file is written against.

The version comes from the nearest ``go.mod``'s ``go`` directive (``toolchain`` is
ignored), unless configuration or ``--go-version`` sets it; a ``//go:build`` line
requiring ``go1.N`` overrides it for that file, as the Go toolchain does since 1.21.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_GO_DIRECTIVE = re.compile(rb"^\s*go\s+(\d+)\.(\d+)(?:\.\d+)?(?:\S*)\s*(?://.*)?$", re.MULTILINE)
_VERSION_TEXT = re.compile(r"^(?:go)?(\d+)\.(\d+)(?:\.\d+)?(?:rc\d+|beta\d+)?$")
_BUILD_LINE = re.compile(rb"^//go:build\s+(.+)$", re.MULTILINE)
_BUILD_TERM = re.compile(rb"(!?)\s*go1\.(\d+)\b")


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
    """The ``go`` directive of a go.mod file, or None."""
    match = _GO_DIRECTIVE.search(data)
    if match is None:
        return None
    return GoVersion(int(match.group(1)), int(match.group(2)))


@lru_cache(maxsize=4096)
def _go_mod_in(directory: Path) -> GoVersion | bool | None:
    """Version from ``directory/go.mod``; False when the directory has no go.mod."""
    candidate = directory / "go.mod"
    try:
        data = candidate.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return None
    return parse_go_mod(data)


def version_from_go_mod(path: Path) -> GoVersion | None:
    """The version declared by the go.mod nearest to `path` (a file or directory)."""
    try:
        directory = path.resolve()
    except OSError:
        return None
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        found = _go_mod_in(candidate)
        if found is not False:
            return found if isinstance(found, GoVersion) else None
    return None


def build_constraint_version(source: bytes) -> GoVersion | None:
    """The minimum ``go1.N`` a file's ``//go:build`` line requires, if any.

    Only the header (before ``package``) is read; negated terms are ignored.
    """
    header_end = source.find(b"\npackage ")
    header = source if header_end == -1 else source[: header_end + 1]
    match = _BUILD_LINE.search(header)
    if match is None:
        return None
    minors = [int(m.group(2)) for m in _BUILD_TERM.finditer(match.group(1)) if not m.group(1)]
    if not minors:
        return None
    return GoVersion(1, max(minors))


def effective_version(base: GoVersion | None, source: bytes) -> GoVersion | None:
    """The file's language version: `base` overridden by its build constraint.

    As go/types does: a constraint newer than the module upgrades the file; an
    older one downgrades it, but not below 1.21 (the first release that honours
    downgrades), and not at all in a module older than 1.21.
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
