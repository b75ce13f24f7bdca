"""Package-level declarations of the files of one package directory.

Types, functions, methods and package variables are collected from every file
of the package the engine was given (all files of a directory in the CLI, the
open buffer plus its siblings on disk in the editor). Type syntax is resolved
against the imports of the file that declares it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, TypeVar

from tree_sitter import Node

from gobex.facts.imports import Imports
from gobex.facts.syntax import expression_list, receiver_type_name, text
from gobex.gotypes import BUILTIN, LOCAL, PREDECLARED_TYPES, GoType
from gobex.models import ModelSet
from gobex.source import SourceFile

MAX_TYPE_DEPTH = 64
K = TypeVar("K")


@dataclass(frozen=True)
class FileDecls:
    """A file of the package with its imports."""

    source: SourceFile
    imports: Imports

    def resolve_type(self, node: Node | None) -> GoType | None:
        return resolve_type_node(node, self.imports)


@dataclass(frozen=True)
class Declared:
    """A package-level declaration: its syntax node and the file that holds it."""

    name: str
    node: Node  # type_spec, function_declaration, method_declaration, var_spec, const_spec
    file: FileDecls
    index: int = 0  # position among the names of a var/const spec


def resolve_type_node(node: Node | None, imports: Imports, depth: int = 0) -> GoType | None:
    """The GoType a piece of type syntax denotes, in the file whose imports are given.

    Types nested deeper than `MAX_TYPE_DEPTH` (``[][][]...int``) are unknown."""
    if node is None or depth > MAX_TYPE_DEPTH:
        return None
    kind = node.type
    if kind == "type_identifier":
        name = text(node)
        if name in PREDECLARED_TYPES:
            return GoType(BUILTIN, name)
        return GoType(LOCAL, name)
    if kind == "qualified_type":
        package = imports.package_of(text(node.child_by_field_name("package")))
        if package is None:
            return None
        return GoType(package, text(node.child_by_field_name("name")))
    if kind == "pointer_type":
        inner = resolve_type_node(node.named_child(0), imports, depth + 1)
        return inner.pointer_to() if inner is not None else None
    if kind in ("slice_type", "array_type", "implicit_length_array_type"):
        return GoType(
            BUILTIN,
            "",
            kind="slice",
            elem=resolve_type_node(node.child_by_field_name("element"), imports, depth + 1),
        )
    if kind == "map_type":
        return GoType(
            BUILTIN,
            "",
            kind="map",
            elem=resolve_type_node(node.child_by_field_name("value"), imports, depth + 1),
        )
    if kind == "channel_type":
        return GoType(
            BUILTIN,
            "",
            kind="chan",
            elem=resolve_type_node(node.child_by_field_name("value"), imports, depth + 1),
        )
    if kind == "function_type":
        return GoType(BUILTIN, "", kind="func")
    if kind == "struct_type":
        return GoType(BUILTIN, "", kind="struct")
    if kind == "interface_type":
        return GoType(BUILTIN, "", kind="interface")
    if kind == "generic_type":
        return resolve_type_node(node.child_by_field_name("type"), imports, depth + 1)
    if kind in ("parenthesized_type", "type_elem"):
        return resolve_type_node(node.named_child(0), imports, depth + 1)
    return None


class Recorder(Protocol):
    """Told what a rule's check reads of the package's functions and methods (see
    `PackageIndex.recorder`)."""

    def declaration(self, node: Node, file: FileDecls) -> None:
        """A function or method declaration was handed out."""

    def name(self, name: str) -> None:
        """A function or method of this name was looked up (found or not)."""


def _name_of(key: object) -> str:
    return key[1] if isinstance(key, tuple) else str(key)  # methods: (receiver, name)


class _Declarations(dict[K, Declared]):
    """A table of function or method declarations that tells its index's recorder
    which of them are read (looked up, tested or listed)."""

    def __init__(self, index: PackageIndex) -> None:
        super().__init__()
        self._index = index

    def get(self, key: K, default: Any = None) -> Any:
        found = dict.get(self, key)
        recorder = self._index.recorder
        if recorder is not None:
            recorder.name(_name_of(key))
            if found is not None:
                recorder.declaration(found.node, found.file)
        return default if found is None else found

    def __getitem__(self, key: K) -> Declared:
        recorder = self._index.recorder
        if recorder is not None:
            recorder.name(_name_of(key))
        found = dict.__getitem__(self, key)
        if recorder is not None:
            recorder.declaration(found.node, found.file)
        return found

    def __contains__(self, key: object) -> bool:
        recorder = self._index.recorder
        if recorder is not None:
            recorder.name(_name_of(key))
        return dict.__contains__(self, key)

    def _all_read(self) -> None:
        recorder = self._index.recorder
        if recorder is not None:
            for key, found in dict.items(self):
                recorder.name(_name_of(key))
                recorder.declaration(found.node, found.file)

    def values(self) -> Any:
        self._all_read()
        return dict.values(self)

    def items(self) -> Any:
        self._all_read()
        return dict.items(self)

    def keys(self) -> Any:
        self._all_read()
        return dict.keys(self)

    def __iter__(self) -> Any:
        self._all_read()
        return dict.__iter__(self)


class PackageIndex:
    """Package-level names of one Go package.

    `recorder`, when set, is told every function and method declaration handed out
    and every such name looked up (by `functions`, `methods`, `method`, and Facts'
    callees): the language server learns from it which other declarations a
    finding may depend on.
    """

    def __init__(self, files: Iterable[FileDecls]) -> None:
        self.recorder: Recorder | None = None
        self.files: tuple[FileDecls, ...] = tuple(files)
        self.types: dict[str, Declared] = {}
        self.functions: dict[str, Declared] = _Declarations(self)
        self.methods: dict[tuple[str, str], Declared] = _Declarations(self)
        self.variables: dict[str, Declared] = {}
        self.constants: dict[str, Declared] = {}
        for file in self.files:
            self._collect(file)

    @classmethod
    def of(cls, sources: Sequence[SourceFile], models: ModelSet) -> PackageIndex:
        return cls(FileDecls(s, Imports(s.root, models)) for s in sources)

    @classmethod
    def overlay(cls, first: FileDecls, rest: PackageIndex) -> PackageIndex:
        """The index of `first` followed by the files of `rest`, equal to
        ``PackageIndex([first, *rest.files])`` but built from `rest`'s tables (the
        language server re-indexes only the edited file of a large package)."""
        own = cls([first])
        index = cls([])
        index.files = (first, *rest.files)
        # `first`'s entries, then `rest`'s others, in that order (as `__init__` would
        # collect them), copied a whole table at a time.
        _merge(index.types, own.types, rest.types)
        _merge(index.functions, own.functions, rest.functions)
        _merge(index.methods, own.methods, rest.methods)
        _merge(index.variables, own.variables, rest.variables)
        _merge(index.constants, own.constants, rest.constants)
        return index

    def _collect(self, file: FileDecls) -> None:
        for decl in file.source.root.named_children:
            kind = decl.type
            if kind == "function_declaration":
                self.functions.setdefault(
                    text(decl.child_by_field_name("name")),
                    Declared(text(decl.child_by_field_name("name")), decl, file),
                )
            elif kind == "method_declaration":
                receiver = receiver_type_name(decl)
                name = text(decl.child_by_field_name("name"))
                if receiver:
                    self.methods.setdefault((receiver, name), Declared(name, decl, file))
            elif kind == "type_declaration":
                for spec in decl.named_children:
                    if spec.type in ("type_spec", "type_alias"):
                        name = text(spec.child_by_field_name("name"))
                        self.types.setdefault(name, Declared(name, spec, file))
            elif kind in ("var_declaration", "const_declaration"):
                table = self.variables if kind == "var_declaration" else self.constants
                for spec in _specs(decl):
                    for index, ident in enumerate(spec.children_by_field_name("name")):
                        table.setdefault(text(ident), Declared(text(ident), spec, file, index))

    def has_method_named(self, name: str) -> bool:
        """Whether some type of the package declares a method `name` (a lookup of
        that name, for the recorder)."""
        if self.recorder is not None:
            self.recorder.name(name)
        return name in self._method_names

    @cached_property
    def _method_names(self) -> frozenset[str]:
        return frozenset(name for _, name in dict.keys(self.methods))

    @cached_property
    def import_paths(self) -> frozenset[str]:
        """Every import path of every file of the package."""
        paths: set[str] = set()
        for file in self.files:
            paths |= file.imports.paths
        return frozenset(paths)

    # -- types ----------------------------------------------------------------
    def type_definition(self, name: str) -> tuple[Node, FileDecls] | None:
        """The type syntax a local type name is defined as (following aliases once)."""
        declared = self.types.get(name)
        if declared is None:
            return None
        type_node = declared.node.child_by_field_name("type")
        if type_node is None:
            return None
        return type_node, declared.file

    def underlying(self, go_type: GoType, depth: int = 0) -> GoType:
        """For a local named type defined as another type, that type (e.g. aliases)."""
        if depth > 8 or go_type.package != LOCAL or go_type.kind != "named":
            return go_type
        found = self.type_definition(go_type.name)
        if found is None:
            return go_type
        type_node, file = found
        if type_node.type in ("struct_type", "interface_type"):
            return go_type
        resolved = file.resolve_type(type_node)
        if resolved is None or resolved.kind != "named":
            return go_type
        result = self.underlying(resolved, depth + 1)
        return result.pointer_to() if go_type.pointer else result

    def struct_fields(self, name: str) -> list[tuple[str | None, Node, FileDecls]]:
        """(field name or None for embedded, type node, file) of a local struct type."""
        found = self.type_definition(name)
        if found is None or found[0].type != "struct_type":
            return []
        type_node, file = found
        fields: list[tuple[str | None, Node, FileDecls]] = []
        for field_list in type_node.named_children:
            if field_list.type != "field_declaration_list":
                continue
            for declaration in field_list.named_children:
                if declaration.type != "field_declaration":
                    continue
                field_type = declaration.child_by_field_name("type")
                if field_type is None:
                    continue
                names = declaration.children_by_field_name("name")
                if not names:
                    fields.append((None, field_type, file))
                for ident in names:
                    fields.append((text(ident), field_type, file))
        return fields

    def field_type(
        self, go_type: GoType, field: str, models: ModelSet, depth: int = 0
    ) -> GoType | None:
        """Type of `field` of a local struct type (searching embedded structs)."""
        if depth > 6 or go_type.kind != "named":
            return None
        if go_type.package != LOCAL:
            return models.field_type(go_type.deref(), field)
        for name, type_node, file in self.struct_fields(go_type.name):
            if name == field:
                return file.resolve_type(type_node)
        for name, type_node, file in self.struct_fields(go_type.name):
            if name is None:
                embedded = file.resolve_type(type_node)
                if embedded is not None:
                    found = self.field_type(embedded, field, models, depth + 1)
                    if found is not None:
                        return found
        return None

    def method(self, go_type: GoType, name: str, depth: int = 0) -> tuple[Node, FileDecls] | None:
        """The declaration of a method of a local type: a method_declaration, or the
        method_elem of a local interface type; embedded structs are searched."""
        if depth > 6 or go_type.kind != "named" or go_type.package != LOCAL:
            return None
        declared = self.methods.get((go_type.name, name))
        if declared is not None:
            return declared.node, declared.file
        found = self.type_definition(go_type.name)
        if found is None:
            return None
        type_node, file = found
        if type_node.type == "interface_type":
            for elem in type_node.named_children:
                if elem.type == "method_elem" and text(elem.child_by_field_name("name")) == name:
                    return elem, file
            for elem in type_node.named_children:
                if elem.type == "type_elem":
                    embedded = file.resolve_type(elem.named_child(0))
                    if embedded is not None:
                        nested = self.method(embedded, name, depth + 1)
                        if nested is not None:
                            return nested
        for field_name, field_type, field_file in self.struct_fields(go_type.name):
            if field_name is None:
                embedded = field_file.resolve_type(field_type)
                if embedded is not None:
                    nested = self.method(embedded.deref(), name, depth + 1)
                    if nested is not None:
                        return nested
        return None

    def embedded_types(self, go_type: GoType) -> list[GoType]:
        """Types embedded in a local struct or interface type."""
        if go_type.package != LOCAL or go_type.kind != "named":
            return []
        result = []
        for name, type_node, file in self.struct_fields(go_type.name):
            if name is None:
                resolved = file.resolve_type(type_node)
                if resolved is not None:
                    result.append(resolved)
        found = self.type_definition(go_type.name)
        if found is not None and found[0].type == "interface_type":
            for elem in found[0].named_children:
                if elem.type == "type_elem":
                    resolved = found[1].resolve_type(elem.named_child(0))
                    if resolved is not None:
                        result.append(resolved)
        return result


def _merge(table: dict[K, Declared], mine: dict[K, Declared], theirs: dict[K, Declared]) -> None:
    """`mine`'s entries, then those of `theirs` with other keys (C-level copies)."""
    dict.update(table, mine)
    dict.update(table, theirs)
    dict.update(table, mine)


def signature_results(node: Node, file: FileDecls) -> tuple[GoType | None, ...]:
    """Result types of a function/method declaration or interface method_elem."""
    result = node.child_by_field_name("result")
    if result is None:
        return ()
    if result.type != "parameter_list":
        return (file.resolve_type(result),)
    types: list[GoType | None] = []
    for param in result.named_children:
        if param.type != "parameter_declaration":
            continue
        resolved = file.resolve_type(param.child_by_field_name("type"))
        count = max(1, len(param.children_by_field_name("name")))
        types.extend([resolved] * count)
    return tuple(types)


def _specs(declaration: Node) -> list[Node]:
    specs: list[Node] = []
    for child in declaration.named_children:
        if child.type in ("var_spec", "const_spec"):
            specs.append(child)
        elif child.type == "var_spec_list":
            specs.extend(c for c in child.named_children if c.type == "var_spec")
    return specs


def spec_value(declared: Declared) -> Node | None:
    """The initializer of a package-level var/const (for single-valued specs)."""
    values = expression_list(declared.node.child_by_field_name("value"))
    names = declared.node.children_by_field_name("name")
    if len(values) == len(names) and declared.index < len(values):
        return values[declared.index]
    return None
