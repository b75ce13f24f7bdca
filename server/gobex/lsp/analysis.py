"""Linting one open document with its package around it.

Runs on the server's analysis thread only (one lint at a time), so the caches
here need no locks. The package context of a buffer is its directory's other
``.go`` files of the same package: open buffers as the editor has them, the
rest as on disk (parsed once per modification time).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gobex.engine import Engine, LintResult
from gobex.facts import PackageIndex
from gobex.facts.imports import Imports
from gobex.facts.package import FileDecls
from gobex.finding import Finding
from gobex.fixer import fix_until_stable
from gobex.lsp.document import Document
from gobex.lsp.relint import Mode, Relinter
from gobex.lsp.settings import Effective
from gobex.models import ModelSet
from gobex.source import SourceFile
from gobex.suppression import is_generated_data
from gobex.workspace import package_name

log = logging.getLogger("gobex.lsp.analysis")

_DiskKey = tuple[int, int]  # (mtime_ns, size)


@dataclass(frozen=True)
class Analysis:
    """The lint of one document version."""

    uri: str
    version: int | None
    source: SourceFile
    result: LintResult
    effective: Effective
    generation: int  # settings generation it was computed with
    mode: Mode
    skeleton_changed: bool  # file-level declarations changed since the previous lint
    too_large: bool

    @property
    def engine(self) -> Engine:
        return self.effective.engine


class PackageFiles:
    """Parsed sibling files, cached by path and (mtime, size)."""

    def __init__(self, models: ModelSet) -> None:
        self._models = models
        self._disk: dict[Path, tuple[_DiskKey, FileDecls, str]] = {}
        self._paths: dict[Path, dict[str, Path]] = {}  # directory -> file name -> path
        # (directory, package name) -> (stamp of the siblings, their index)
        self._indexes: dict[tuple[Path, str], tuple[tuple[object, ...], PackageIndex]] = {}

    def context(
        self,
        source: SourceFile,
        path: Path | None,
        open_documents: Mapping[Path, Document],
        models: ModelSet,
        max_size: int,
    ) -> tuple[PackageIndex, tuple[object, ...]]:
        """The package index for `source` and a stamp that changes when any of the
        sibling files it was built from changes. Siblings over `max_size` bytes on
        disk are left out, as `gobex check` leaves them out."""
        current = FileDecls(source, Imports(source.root, models))
        if path is None:
            return PackageIndex([current]), ()
        name = package_name(source)
        siblings, stamp = self._siblings(path, name, open_documents, models, max_size)
        cached = self._indexes.get((path.parent, name))
        if cached is None or cached[0] != stamp:
            cached = (stamp, PackageIndex(siblings))
            self._indexes[(path.parent, name)] = cached
        return PackageIndex.overlay(current, cached[1]), stamp

    def _siblings(
        self,
        path: Path,
        name: str,
        open_documents: Mapping[Path, Document],
        models: ModelSet,
        max_size: int,
    ) -> tuple[list[FileDecls], tuple[object, ...]]:
        """The other files of the package (open buffers first-hand) and their stamp."""
        siblings: list[FileDecls] = []
        stamp: list[object] = []
        for sibling in self._sibling_paths(path):
            document = open_documents.get(sibling)
            if document is not None:
                decls = FileDecls(document.source, Imports(document.source.root, models))
                sibling_name = package_name(document.source)
                stamp.append((sibling, "open", document.version, id(document.source)))
            else:
                loaded = self._load(sibling, max_size)
                if loaded is None:
                    continue
                key, decls, sibling_name = loaded
                stamp.append((sibling, key))
            if sibling_name == name:
                siblings.append(decls)
        return siblings, tuple(stamp)

    def _sibling_paths(self, path: Path) -> list[Path]:
        directory = path.parent
        try:
            entries = os.scandir(directory)
        except OSError:
            return []
        with entries:
            names = sorted(
                entry.name
                for entry in entries
                if entry.name.endswith(".go") and entry.name != path.name and entry.is_file()
            )
        # The same Path objects every time: built, hashed and compared once.
        paths = self._paths.setdefault(directory, {})
        return [paths.get(name) or paths.setdefault(name, directory / name) for name in names]

    def _load(self, path: Path, max_size: int) -> tuple[_DiskKey, FileDecls, str] | None:
        try:
            stat = path.stat()
        except OSError:
            self._disk.pop(path, None)
            return None
        if stat.st_size > max_size:
            self._disk.pop(path, None)
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._disk.get(path)
        if cached is not None and cached[0] == key:
            return cached
        try:
            data = path.read_bytes()
        except OSError:
            return None
        # A generated sibling is read for its declarations only (as `gobex check` does).
        parse = SourceFile.parse_declarations if is_generated_data(data) else SourceFile.parse
        source = parse(str(path), data)
        entry = (key, FileDecls(source, Imports(source.root, self._models)), package_name(source))
        self._disk[path] = entry
        return entry


class DocumentLinter:
    """Lints open documents, re-checking only what each edit can change."""

    def __init__(self, models: ModelSet) -> None:
        self._models = models
        self._packages = PackageFiles(models)
        self._relinters: dict[str, Relinter] = {}

    def forget(self, uri: str) -> None:
        self._relinters.pop(uri, None)

    def fixed(
        self,
        document: Document,
        effective: Effective,
        open_documents: Mapping[Path, Document],
    ) -> bytes:
        """The document's text after every safe fix, applied until none is left."""
        engine = effective.engine

        def findings(current: SourceFile) -> Sequence[Finding]:
            package, _ = self._packages.context(
                current, document.path, open_documents, engine.models, engine.config.max_file_size
            )
            return engine.lint(current, package, document.path).findings

        return fix_until_stable(document.source, findings, engine.models).data

    def lint(
        self,
        document: Document,
        effective: Effective,
        generation: int,
        open_documents: Mapping[Path, Document],
    ) -> Analysis:
        engine = effective.engine
        source = document.source
        package, stamp = self._packages.context(
            source, document.path, open_documents, engine.models, engine.config.max_file_size
        )
        relinter = self._relinters.setdefault(document.uri, Relinter())
        relint = relinter.lint(engine, source, package, document.path, stamp)
        too_large = len(source.data) > engine.config.max_file_size
        log.debug(
            "%s v%s: %s lint, %d units re-checked, %d findings",
            document.uri,
            document.version,
            relint.mode,
            relint.rechecked,
            len(relint.result.findings),
        )
        return Analysis(
            document.uri,
            document.version,
            source,
            relint.result,
            effective,
            generation,
            relint.mode,
            relint.skeleton_changed,
            too_large,
        )
