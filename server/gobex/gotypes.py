"""GoType: a Go type as far as gobex can tell from syntax and the API models."""

from __future__ import annotations

from dataclasses import dataclass

# Where a named type lives (GoType.package):
BUILTIN = ""  # predeclared: error, string, int, bool, any, ...
LOCAL = "."  # declared in the package being linted
# Anything else is a model id ("database/sql", "pgx", ...) or, for packages no
# model describes, the import path.


@dataclass(frozen=True)
class GoType:
    """A type reference.

    `kind` is ``named`` for named types (``pgx.Rows``, ``*sql.DB``, ``Repo``),
    or the composite kind (``slice``, ``array``, ``map``, ``chan``, ``func``,
    ``struct``, ``interface``) with `elem` holding the element (value) type.
    `pointer` marks one level of ``*``.
    """

    package: str
    name: str
    pointer: bool = False
    kind: str = "named"
    elem: GoType | None = None

    @property
    def is_named(self) -> bool:
        return self.kind == "named"

    @property
    def is_error(self) -> bool:
        return self.kind == "named" and self.package == BUILTIN and self.name == "error"

    def deref(self) -> GoType:
        """The type without its pointer."""
        if not self.pointer:
            return self
        return GoType(self.package, self.name, False, self.kind, self.elem)

    def pointer_to(self) -> GoType:
        return GoType(self.package, self.name, True, self.kind, self.elem)

    def is_type(self, package: str, name: str) -> bool:
        """True for ``package.name`` or ``*package.name``."""
        return self.kind == "named" and self.package == package and self.name == name

    def __str__(self) -> str:
        star = "*" if self.pointer else ""
        if self.kind == "named":
            qualifier = f"{self.package}." if self.package not in (BUILTIN, LOCAL) else ""
            return f"{star}{qualifier}{self.name}"
        if self.kind in ("slice", "array"):
            return f"{star}[]{self.elem}"
        if self.kind == "map":
            return f"{star}map[...]{self.elem}"
        if self.kind == "chan":
            return f"{star}chan {self.elem}"
        return f"{star}{self.kind}"


ERROR = GoType(BUILTIN, "error")
BOOL = GoType(BUILTIN, "bool")
STRING = GoType(BUILTIN, "string")
INT = GoType(BUILTIN, "int")

PREDECLARED_TYPES = frozenset(
    {
        "any",
        "bool",
        "byte",
        "comparable",
        "complex64",
        "complex128",
        "error",
        "float32",
        "float64",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "rune",
        "string",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
    }
)


def parse_type_ref(text: str, default_package: str) -> GoType:
    """Parse a model's type reference: ``Rows``, ``*Conn``, ``pgx.Rows``,
    ``database/sql.Result``, ``[]byte``, ``[16]byte``, ``map[string]any``,
    ``chan struct{}``, ``<-chan T``, ``func(...) ...``, ``interface{}``, ``error``.

    Unqualified names that are not predeclared belong to `default_package`.
    """
    text = text.strip()
    pointer = text.startswith("*")
    text = text.lstrip("*").strip()
    result = _parse_composite(text, default_package)
    if result is None:
        result = _parse_named(text, default_package)
    return result.pointer_to() if pointer else result


def _parse_composite(text: str, default_package: str) -> GoType | None:
    if text.startswith("["):
        close = text.find("]")
        if close == -1:
            return None
        return GoType(
            BUILTIN, "", kind="slice", elem=parse_type_ref(text[close + 1 :], default_package)
        )
    if text.startswith("map["):
        close = _matching_bracket(text, 3)
        if close == -1:
            return None
        return GoType(
            BUILTIN, "", kind="map", elem=parse_type_ref(text[close + 1 :], default_package)
        )
    for prefix in ("<-chan ", "chan<- ", "chan "):
        if text.startswith(prefix):
            elem = parse_type_ref(text[len(prefix) :], default_package)
            return GoType(BUILTIN, "", kind="chan", elem=elem)
    if text == "func" or text.startswith(("func(", "func (")):
        return GoType(BUILTIN, "", kind="func")
    if text.startswith("struct{") or text.startswith("struct {"):
        return GoType(BUILTIN, "", kind="struct")
    if text.startswith("interface{") or text.startswith("interface {"):
        return GoType(BUILTIN, "", kind="interface")
    return None


def _parse_named(text: str, default_package: str) -> GoType:
    if "." in text:
        package, _, name = text.rpartition(".")
        return GoType(package, name)
    if text in PREDECLARED_TYPES:
        return GoType(BUILTIN, text)
    return GoType(default_package, text)


def _matching_bracket(text: str, open_index: int) -> int:
    """Index of the ``]`` closing the ``[`` at `open_index`, or -1."""
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] == "[":
            depth += 1
        elif text[index] == "]":
            depth -= 1
            if depth == 0:
                return index
    return -1
