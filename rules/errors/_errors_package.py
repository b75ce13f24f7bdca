"""How a fix can call ``errors.Is`` at some point of a file.

The standard library's ``errors`` is used under the name the file imports it
by (an alias is kept). A file that imports ``github.com/pkg/errors`` as its
``errors`` already has ``Is``: pkg/errors has forwarded ``Is``/``As``/``Unwrap``
to the standard library since v0.9.0, and the module is archived at v0.9.1, so
every version fetched today has it. Otherwise ``errors`` is imported, unless
that name is taken: another package imported as ``errors``
(``k8s.io/apimachinery/pkg/api/errors``), a package-level declaration, or a
local variable visible at that point. Then no fix is offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gobex.facts import Facts

STDLIB = "errors"
PKG_ERRORS = "github.com/pkg/errors"


@dataclass(frozen=True)
class ErrorsPackage:
    """The qualifier to write (``errors``, ``stderrors``) and the imports to add."""

    name: str
    imports: tuple[str, ...] = ()


def errors_package(facts: Facts, at: Node) -> ErrorsPackage | None:
    """How to refer to a package with ``errors.Is`` at `at`, or None when no name works."""
    specs = facts.imports.specs
    chosen = next((s.name for s in specs if s.path == STDLIB), None)
    if chosen is None:
        chosen = next((s.name for s in specs if s.path == PKG_ERRORS), None)
    if chosen is not None:
        if chosen in (".", "_") or _shadowed(facts, chosen, at):
            return None
        return ErrorsPackage(chosen)
    if STDLIB in facts.imports.names() or _declared_in_package(facts, STDLIB):
        return None
    if _shadowed(facts, STDLIB, at):
        return None
    return ErrorsPackage(STDLIB, (STDLIB,))


def _declared_in_package(facts: Facts, name: str) -> bool:
    package = facts.package
    return any(
        name in table
        for table in (package.functions, package.variables, package.constants, package.types)
    )


def _shadowed(facts: Facts, name: str, at: Node) -> bool:
    """A local variable called `name` is visible at `at`."""
    for binding in facts.resolution(at).bindings:
        if binding.name != name or binding.ident.start_byte > at.start_byte:
            continue
        scope = binding.scope
        if scope.start_byte <= at.start_byte and at.end_byte <= scope.end_byte:
            return True
    return False
