"""API models: what gobex knows of each library, loaded from ``gobex/rules/models/*.toml``.

A model describes one Go package (all its import paths: major versions, old
and new module paths) as data: its functions, package variables and types, the
methods of each type with their results, which parameter takes a context,
which calls release a value (``Close``, ``Release``, ``Stop``...) and which take
ownership of an argument. Adding a library is adding a file; see
``rules/models/README.md`` for the format.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from gobex.gotypes import BUILTIN, GoType, parse_type_ref


class ModelError(ValueError):
    """A model file is malformed (a bug in gobex's data, reported with the file name)."""


@dataclass(frozen=True)
class FuncSpec:
    """A function or method of a modelled package."""

    name: str
    returns: tuple[GoType, ...] = ()
    context: int | None = None  # index of the context.Context parameter
    context_variant: str | None = None  # the method to use instead when a ctx is in scope
    consumes: tuple[int, ...] = ()  # arguments whose ownership the call takes (it closes them)
    tags: frozenset[str] = frozenset()

    @property
    def returns_error(self) -> bool:
        return bool(self.returns) and self.returns[-1].is_error

    def result_index(self, predicate_tag: str, model: ModelSet) -> int | None:
        """Index of the first result whose type carries `predicate_tag`."""
        for index, result in enumerate(self.returns):
            spec = model.type_spec(result)
            if spec is not None and predicate_tag in spec.tags:
                return index
        return None


@dataclass(frozen=True)
class TypeSpec:
    """A type of a modelled package."""

    package: str  # model id
    name: str
    kind: str = "struct"  # struct | interface | other
    tags: frozenset[str] = frozenset()
    release: tuple[str, ...] = ()  # method paths that release the value ("Close", "Body.Close")
    transfer: tuple[str, ...] = ()  # methods that hand ownership elsewhere ("Hijack")
    embeds: tuple[GoType, ...] = ()
    fields: Mapping[str, GoType] = field(default_factory=dict)
    methods: Mapping[str, FuncSpec] = field(default_factory=dict)

    @property
    def go_type(self) -> GoType:
        return GoType(self.package, self.name)


@dataclass(frozen=True)
class Model:
    """One modelled Go package."""

    id: str
    paths: tuple[str, ...]
    name: str  # the package clause name (what an unaliased import is called)
    functions: Mapping[str, FuncSpec]
    variables: Mapping[str, GoType]
    types: Mapping[str, TypeSpec]
    sources: tuple[str, ...] = ()


_MODEL_KEYS = {"id", "name", "paths", "summary", "sources", "functions", "vars", "types"}
_FUNC_KEYS = {"returns", "context", "context_variant", "consumes", "tags", "doc"}
_TYPE_KEYS = {"kind", "tags", "release", "transfer", "embeds", "fields", "methods", "doc"}


def _check_keys(where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ModelError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _str_list(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ModelError(f"{where}: expected a list of strings")
    return tuple(value)


def _func_spec(where: str, name: str, table: Any, package: str) -> FuncSpec:
    if not isinstance(table, dict):
        raise ModelError(f"{where}: expected a table")
    _check_keys(where, table, _FUNC_KEYS)
    context = table.get("context")
    if context is not None and not isinstance(context, int):
        raise ModelError(f"{where}.context: expected a parameter index")
    consumes = table.get("consumes", [])
    if not isinstance(consumes, list) or not all(isinstance(i, int) for i in consumes):
        raise ModelError(f"{where}.consumes: expected a list of parameter indexes")
    variant = table.get("context_variant")
    if variant is not None and not isinstance(variant, str):
        raise ModelError(f"{where}.context_variant: expected a method name")
    return FuncSpec(
        name=name,
        returns=tuple(
            parse_type_ref(t, package)
            for t in _str_list(f"{where}.returns", table.get("returns", []))
        ),
        context=context,
        context_variant=variant,
        consumes=tuple(consumes),
        tags=frozenset(_str_list(f"{where}.tags", table.get("tags", []))),
    )


def _type_spec(where: str, name: str, table: Any, package: str) -> TypeSpec:
    if not isinstance(table, dict):
        raise ModelError(f"{where}: expected a table")
    _check_keys(where, table, _TYPE_KEYS)
    fields = table.get("fields", {})
    methods = table.get("methods", {})
    if not isinstance(fields, dict) or not isinstance(methods, dict):
        raise ModelError(f"{where}: fields and methods must be tables")
    kind = table.get("kind", "struct")
    if kind not in ("struct", "interface", "other"):
        raise ModelError(f"{where}.kind: expected struct, interface or other")
    return TypeSpec(
        package=package,
        name=name,
        kind=kind,
        tags=frozenset(_str_list(f"{where}.tags", table.get("tags", []))),
        release=_str_list(f"{where}.release", table.get("release", [])),
        transfer=_str_list(f"{where}.transfer", table.get("transfer", [])),
        embeds=tuple(
            parse_type_ref(t, package)
            for t in _str_list(f"{where}.embeds", table.get("embeds", []))
        ),
        fields={str(k): parse_type_ref(str(v), package) for k, v in fields.items()},
        methods={
            str(k): _func_spec(f"{where}.methods.{k}", str(k), v, package)
            for k, v in methods.items()
        },
    )


def parse_model(where: str, data: Mapping[str, Any]) -> Model:
    """Build a Model from a parsed TOML table; `where` names the file in errors."""
    _check_keys(where, data, _MODEL_KEYS)
    model_id = data.get("id")
    if not isinstance(model_id, str) or not model_id:
        raise ModelError(f"{where}: `id` is required")
    paths = _str_list(f"{where}.paths", data.get("paths", []))
    if not paths:
        raise ModelError(f"{where}: `paths` must list at least one import path")
    functions = data.get("functions", {})
    variables = data.get("vars", {})
    types = data.get("types", {})
    if not all(isinstance(t, dict) for t in (functions, variables, types)):
        raise ModelError(f"{where}: functions, vars and types must be tables")
    name = data.get("name", model_id.rsplit("/", 1)[-1])
    if not isinstance(name, str) or not name.isidentifier():
        raise ModelError(f"{where}.name: expected the Go package name")
    return Model(
        id=model_id,
        paths=paths,
        name=name,
        functions={
            k: _func_spec(f"{where}.functions.{k}", k, v, model_id) for k, v in functions.items()
        },
        variables={k: parse_type_ref(str(v), model_id) for k, v in variables.items()},
        types={k: _type_spec(f"{where}.types.{k}", k, v, model_id) for k, v in types.items()},
        sources=_str_list(f"{where}.sources", data.get("sources", [])),
    )


class ModelSet:
    """All models, indexed by id and by import path."""

    def __init__(self, models: Iterable[Model]) -> None:
        self._by_id: dict[str, Model] = {}
        self._by_path: dict[str, Model] = {}
        self._tagged: dict[str, frozenset[str]] = {}
        for model in models:
            if model.id in self._by_id:
                raise ModelError(f"duplicate model id {model.id!r}")
            self._by_id[model.id] = model
            for path in model.paths:
                if path in self._by_path:
                    raise ModelError(f"import path {path!r} is in two models")
                self._by_path[path] = model

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(self._by_id.values())

    def names_with_tag(self, tag: str) -> frozenset[str]:
        """Names of the functions and methods of every model tagged `tag` (a cheap
        test before resolving what a call calls)."""
        found = self._tagged.get(tag)
        if found is None:
            found = frozenset(
                name
                for model in self._by_id.values()
                for specs in (model.functions, *(t.methods for t in model.types.values()))
                for name, spec in specs.items()
                if tag in spec.tags
            )
            self._tagged[tag] = found
        return found

    def by_id(self, model_id: str) -> Model | None:
        return self._by_id.get(model_id)

    def by_path(self, import_path: str) -> Model | None:
        return self._by_path.get(import_path)

    def paths_of(self, model_id: str) -> tuple[str, ...]:
        model = self._by_id.get(model_id)
        return model.paths if model is not None else (model_id,)

    def package_id(self, import_path: str) -> str:
        """The model id for an import path, or the path itself when unmodelled."""
        model = self._by_path.get(import_path)
        return model.id if model is not None else import_path

    def type_spec(self, go_type: GoType) -> TypeSpec | None:
        if go_type.kind != "named" or go_type.package == BUILTIN:
            return None
        model = self._by_id.get(go_type.package)
        if model is None:
            return None
        return model.types.get(go_type.name)

    def function(self, model_id: str, name: str) -> FuncSpec | None:
        model = self._by_id.get(model_id)
        return model.functions.get(name) if model is not None else None

    def variable(self, model_id: str, name: str) -> GoType | None:
        model = self._by_id.get(model_id)
        return model.variables.get(name) if model is not None else None

    def method(self, go_type: GoType, name: str) -> FuncSpec | None:
        """A method of a modelled type, looking through embedded types."""
        seen: set[tuple[str, str]] = set()
        pending = [go_type]
        while pending:
            current = pending.pop()
            key = (current.package, current.name)
            if key in seen:
                continue
            seen.add(key)
            spec = self.type_spec(current)
            if spec is None:
                continue
            found = spec.methods.get(name)
            if found is not None:
                return found
            pending.extend(spec.embeds)
        return None

    def field_type(self, go_type: GoType, name: str) -> GoType | None:
        spec = self.type_spec(go_type)
        if spec is None:
            return None
        found = spec.fields.get(name)
        if found is not None:
            return found
        for embedded in spec.embeds:
            found = self.field_type(embedded, name)
            if found is not None:
                return found
        return None

    def has_tag(self, go_type: GoType | None, tag: str) -> bool:
        if go_type is None:
            return False
        spec = self.type_spec(go_type)
        return spec is not None and tag in spec.tags


def _load_dir() -> list[Model]:
    models = []
    directory = resources.files("gobex.rules") / "models"
    for entry in sorted(directory.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        where = f"models/{entry.name}"
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ModelError(f"{where}: {exc}") from exc
        models.append(parse_model(where, data))
    return models


@cache
def builtin_models() -> ModelSet:
    """The models shipped with gobex (loaded once per process)."""
    return ModelSet(_load_dir())
