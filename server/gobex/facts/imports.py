"""The import block of a file: which local name refers to which package."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from gobex.models import ModelSet

_MAJOR_SUFFIX = re.compile(r"^v\d+$")
_GOPKG_SUFFIX = re.compile(r"\.v\d+$")


def default_package_name(path: str, models: ModelSet) -> str:
    """The name an unaliased import of `path` is known by.

    Models know the real package name; otherwise Go conventions are applied:
    the last element, skipping a major-version element (``pgx/v5`` -> ``pgx``),
    without ``.vN`` (gopkg.in), a ``go-`` prefix or a ``-go``/``.go`` suffix.
    """
    model = models.by_path(path)
    if model is not None:
        return model.name
    parts = path.split("/")
    last = parts[-1]
    if _MAJOR_SUFFIX.match(last) and len(parts) > 1:
        last = parts[-2]
    last = _GOPKG_SUFFIX.sub("", last)
    for prefix in ("go-",):
        if last.startswith(prefix) and len(last) > len(prefix):
            last = last[len(prefix) :]
    for suffix in ("-go", ".go"):
        if last.endswith(suffix) and len(last) > len(suffix):
            last = last[: -len(suffix)]
    return last.replace("-", "").replace(".", "")


@dataclass(frozen=True)
class ImportSpec:
    """One import: its local `name` ("." for dot imports, "_" for blank ones)."""

    name: str
    path: str
    node: Node
    explicit: bool  # the import names the package itself (`sq "database/sql"`)


class Imports:
    """Imports of one file, by local name and by path."""

    def __init__(self, root: Node, models: ModelSet) -> None:
        self.specs: list[ImportSpec] = []
        self.declarations: list[Node] = []
        for child in root.named_children:
            if child.type != "import_declaration":
                continue
            self.declarations.append(child)
            for spec in _import_specs(child):
                path_node = spec.child_by_field_name("path")
                if path_node is None:
                    continue
                path = _string_value(path_node)
                if not path:
                    continue
                name_node = spec.child_by_field_name("name")
                if name_node is None:
                    name, explicit = default_package_name(path, models), False
                elif name_node.type == "dot":
                    name, explicit = ".", True
                else:
                    name = (name_node.text or b"").decode("utf-8", "replace")
                    explicit = True
                self.specs.append(ImportSpec(name, path, spec, explicit))
        self._by_name = {s.name: s.path for s in self.specs if s.name not in (".", "_")}
        self._paths = {s.path for s in self.specs}
        self._dot_paths = tuple(s.path for s in self.specs if s.name == ".")
        self._models = models

    def path_of(self, name: str) -> str | None:
        """The import path a local package name refers to."""
        return self._by_name.get(name)

    def package_of(self, name: str) -> str | None:
        """The model id (or unmodelled import path) a local package name refers to."""
        path = self._by_name.get(name)
        return None if path is None else self._models.package_id(path)

    @property
    def dot_packages(self) -> tuple[str, ...]:
        """Model ids (or paths) imported with ``.``."""
        return tuple(self._models.package_id(p) for p in self._dot_paths)

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(self._paths)

    def imports_path(self, path: str) -> bool:
        return path in self._paths

    def name_for(self, package: str) -> str | None:
        """The local name under which a model id (or path) is imported, if it is
        (``.`` only when it is imported with no name)."""
        dotted = False
        for spec in self.specs:
            if spec.name == "_":
                continue
            if spec.path == package or self._models.package_id(spec.path) == package:
                if spec.name != ".":
                    return spec.name
                dotted = True
        return "." if dotted else None

    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)


def _import_specs(declaration: Node) -> list[Node]:
    specs = []
    for child in declaration.named_children:
        if child.type == "import_spec":
            specs.append(child)
        elif child.type == "import_spec_list":
            specs.extend(c for c in child.named_children if c.type == "import_spec")
    return specs


def _string_value(node: Node) -> str:
    raw = (node.text or b"").decode("utf-8", "replace")
    if len(raw) >= 2 and raw[0] in '"`' and raw[-1] == raw[0]:
        return raw[1:-1]
    return raw
