"""Locks: values that must not be copied, and ``Lock``/``Unlock`` calls.

A type "holds a lock" when copying a value of it copies a ``sync.Mutex``,
``RWMutex``, ``WaitGroup``, ``Once``, ``Cond``, ``Map``, ``Pool`` or an atomic
type (model tag ``nocopy``): the type itself, or a struct of the package that
holds one by value in a field or an embedded field (not behind a pointer),
however deep; or, as vet's copylocks says, a local struct type whose pointer
has ``Lock`` and ``Unlock`` methods.

A lock call is ``x.Lock()``/``x.RLock()`` on a value whose type (or embedded
type) the models tag ``lock``; its unlock is ``x.Unlock()``/``x.RUnlock()`` on
the same expression.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.package import FileDecls
from gobex.facts.syntax import call_function_parts, text
from gobex.gotypes import LOCAL, GoType

NOCOPY_TAG = "nocopy"
LOCK_TAG = "lock"
_MAX_DEPTH = 6
UNLOCKS = {"Lock": "Unlock", "RLock": "RUnlock"}


def lock_path(facts: Facts, go_type: GoType | None) -> list[str] | None:
    """How a value of `go_type` holds a lock, outermost first (``["Cache",
    "sync.Mutex"]``), or None when copying it copies no lock."""
    if go_type is None:
        return None
    return _path(facts, go_type, 0, set())


def describe(path: list[str]) -> str:
    """``Cache contains sync.Mutex``."""
    return " contains ".join(path)


def _path(facts: Facts, go_type: GoType, depth: int, seen: set[str]) -> list[str] | None:
    if go_type.pointer or go_type.kind != "named" or depth > _MAX_DEPTH:
        return None
    go_type = facts.package.underlying(go_type)
    if go_type.pointer or go_type.kind != "named":
        return None
    if go_type.package != LOCAL:
        if facts.has_tag(go_type, NOCOPY_TAG):
            model = facts.models.by_id(go_type.package)
            qualifier = model.name if model is not None else go_type.package
            return [f"{qualifier}.{go_type.name}"]
        return None
    if go_type.name in seen:
        return None
    seen.add(go_type.name)
    definition = _own_definition(facts, go_type.name) or facts.package.type_definition(go_type.name)
    if definition is None or definition[0].type != "struct_type":
        return None
    if _pointer_is_locker(facts, go_type.name):
        return [go_type.name]
    inner = _struct_path(facts, definition[0], definition[1], depth, seen)
    return [go_type.name, *inner] if inner is not None else None


def _own_definition(facts: Facts, name: str) -> tuple[Node, FileDecls] | None:
    """This file's own declaration of type `name`, when the file has build
    constraints (``fields_go_old.go`` and ``fields.go`` may both declare it, and
    the package index keeps only one)."""
    head = facts.source.data[:4096]
    if b"//go:build" not in head and b"// +build" not in head:
        return None
    for declaration in facts.source.root.named_children:
        if declaration.type != "type_declaration":
            continue
        for spec in declaration.named_children:
            if spec.type == "type_spec" and text(spec.child_by_field_name("name")) == name:
                type_node = spec.child_by_field_name("type")
                return (type_node, facts.file) if type_node is not None else None
    return None


def _struct_path(
    facts: Facts, struct: Node, file: FileDecls, depth: int, seen: set[str]
) -> list[str] | None:
    for field_list in struct.named_children:
        if field_list.type != "field_declaration_list":
            continue
        for declaration in field_list.named_children:
            if declaration.type != "field_declaration":
                continue
            type_node = declaration.child_by_field_name("type")
            if type_node is None or _embedded_pointer(declaration):
                continue
            if type_node.type == "struct_type":
                inner = _struct_path(facts, type_node, file, depth + 1, seen)
            else:
                field_type = file.resolve_type(type_node)
                inner = _path(facts, field_type, depth + 1, seen) if field_type else None
            if inner is not None:
                return inner
    return None


def _embedded_pointer(declaration: Node) -> bool:
    """``*B`` embedded: tree-sitter keeps the star as a token of the field."""
    return any(not c.is_named and c.type == "*" for c in declaration.children)


def _pointer_is_locker(facts: Facts, name: str) -> bool:
    """``func (x *T) Lock()`` and ``func (x *T) Unlock()`` are declared."""
    methods = [facts.package.methods.get((name, m)) for m in ("Lock", "Unlock")]
    for declared in methods:
        if declared is None:
            return False
        receiver = declared.node.child_by_field_name("receiver")
        if receiver is None or "*" not in text(receiver):
            return False
    return True


@dataclass(frozen=True)
class LockCall:
    """``mu.Lock()``: `target` is the text of ``mu`` (``s.mu``, or ``s`` for an
    embedded mutex), `unlock` the name of the matching unlock method."""

    call: Node
    target: str
    method: str

    @property
    def unlock(self) -> str:
        return UNLOCKS[self.method]


def lock_call(facts: Facts, call: Node) -> LockCall | None:
    """`call` as a ``Lock``/``RLock`` of a modelled lock (a ``sync.Mutex`` or
    ``RWMutex``, embedded or not)."""
    operand, name = call_function_parts(call)
    if operand is None or name not in UNLOCKS:
        return None
    callee = facts.callee(call)
    if callee is None or callee.receiver is None or not facts.has_tag(callee.receiver, LOCK_TAG):
        return None
    return LockCall(call, text(operand), name)


def is_unlock_of(call: Node, lock: LockCall) -> bool:
    """`call` is ``<target>.Unlock()`` (or ``RUnlock``) matching `lock`."""
    operand, name = call_function_parts(call)
    return operand is not None and name == lock.unlock and text(operand) == lock.target
