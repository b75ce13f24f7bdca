"""The workspace scan: lint every Go file of each workspace folder in the background.

So that the Problems panel lists the whole project, not only open files. Runs
one directory at a time on the analysis thread (open documents' lints slip in
between), reports ``$/progress`` with a percentage and file counts, and stops
when the client cancels it. Open documents always win over the disk: they are
not scanned (their buffers serve as package context for their neighbours) and
their diagnostics come from the buffer.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path

from gobex.engine import Engine, LintResult
from gobex.facts import PackageIndex
from gobex.goversion import GoVersion
from gobex.lsp.convert import diagnostics
from gobex.lsp.document import Document, path_of
from gobex.lsp.settings import Effective
from gobex.source import SourceFile
from gobex.workspace import group_by_directory, iter_go_files, package_name

if TYPE_CHECKING:
    from gobex.lsp.server import GobexServer

log = logging.getLogger("gobex.lsp.scan")


@dataclass(frozen=True)
class DiskResult:
    """The lint of one file as it is on disk."""

    uri: str
    path: Path
    source: SourceFile
    result: LintResult
    effective: Effective


@dataclass(frozen=True)
class ScanSummary:
    files: int
    findings: int
    cancelled: bool


def lint_files(
    engine: Engine,
    files: Sequence[Path],
    targets: frozenset[Path] | None,
    module_version: GoVersion | None,
    open_documents: Mapping[Path, Document],
) -> list[tuple[Path, SourceFile, LintResult]]:
    """Lint the files of one directory that are not open (all, or those in
    `targets`), each with its package's other files as context (analysis thread)."""
    sources: dict[Path, SourceFile] = {}
    for file in files:
        document = open_documents.get(file)
        if document is not None:
            sources[file] = document.source
            continue
        try:
            sources[file] = SourceFile.parse(str(file), file.read_bytes(), module_version)
        except OSError as exc:
            log.info("cannot read %s: %s", file, exc)
    by_package: dict[str, list[SourceFile]] = {}
    for source in sources.values():
        by_package.setdefault(package_name(source), []).append(source)
    indexes = {name: PackageIndex.of(group, engine.models) for name, group in by_package.items()}
    results = []
    for file, source in sources.items():
        if file in open_documents or (targets is not None and file not in targets):
            continue
        package = indexes[package_name(source)]
        results.append((file, source, engine.lint(source, package, file)))
    return results


class WorkspaceScanner:
    """The scan's state: the results per file and the running task."""

    def __init__(self, server: GobexServer) -> None:
        self.server = server
        self.results: dict[str, DiskResult] = {}
        self._published: set[str] = set()
        self._task: asyncio.Task[ScanSummary] | None = None
        self._cancelled = False

    # -- control --------------------------------------------------------------------
    def start(self) -> None:
        self.cancel()
        self._cancelled = False
        self._task = asyncio.ensure_future(self._run())

    async def restart(self) -> None:
        self.start()

    def cancel(self) -> None:
        self._cancelled = True
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def wait(self) -> ScanSummary | None:
        """The summary of the current scan once it is done (None: never started)."""
        task = self._task
        if task is None:
            return None
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            return ScanSummary(len(self.results), self._count(), True)

    # -- what to scan ---------------------------------------------------------------
    def folders(self) -> list[Path]:
        workspace = self.server.workspace
        paths = []
        for folder in workspace.folders.values():
            path = path_of(folder.uri)
            if path is not None:
                paths.append(path)
        if not paths and workspace.root_path:
            paths.append(Path(workspace.root_path))
        return paths

    def _plan(self) -> list[list[Path]]:
        groups: list[list[Path]] = []
        for folder in self.folders():
            effective = self.server.effective_for(folder / "_.go")
            if not effective.server.workspace_scan or not effective.server.enable:
                continue
            files = list(iter_go_files([folder], effective.engine.config))
            groups.extend(group_by_directory(files))
        return groups

    # -- the scan -------------------------------------------------------------------
    async def _run(self) -> ScanSummary:
        groups = self._plan()
        total = sum(len(group) for group in groups)
        token: str | None = None
        if total and self.server.has_progress:
            token = f"gobex-scan-{uuid.uuid4()}"
            try:
                # Shielded: a restart cancels this task, but the request itself must
                # stay alive until the client answers, or pygls reports the answer to
                # a cancelled future as "Error in server: CANCELLED" to the user.
                await asyncio.shield(self.server.work_done_progress.create_async(token))
            except Exception as exc:
                log.info("no progress for the scan: %s", exc)
                token = None
        progress = self.server.work_done_progress
        if token is not None:
            progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title="gobex: linting the workspace",
                    message=f"0/{total} files",
                    percentage=0,
                    cancellable=True,
                ),
            )
        seen: set[str] = set()
        done = 0  # files of the plan handled (open ones are skipped)
        linted = 0  # files linted from the disk
        cancelled = False
        try:
            for group in groups:
                if self._cancelled or (token is not None and _cancelled(self.server, token)):
                    cancelled = True
                    break
                linted += await self._lint_group(group, seen)
                done += len(group)
                if token is not None:
                    progress.report(
                        token,
                        types.WorkDoneProgressReport(
                            message=f"{done}/{total} files",
                            percentage=done * 100 // total,
                            cancellable=True,
                        ),
                    )
            if not cancelled:
                for uri in [u for u in self.results if u not in seen]:
                    self._forget(uri)
        except asyncio.CancelledError:
            cancelled = True
            raise
        finally:
            if token is not None:
                message = "cancelled" if cancelled else f"{done} files, {self._count()} findings"
                progress.end(token, types.WorkDoneProgressEnd(message=message))
            if self.server.pulls_diagnostics and self.server.refreshes_diagnostics:
                self.server.workspace_diagnostic_refresh(None)
        return ScanSummary(linted, self._count(), cancelled)

    async def _lint_group(
        self,
        group: list[Path],
        seen: set[str] | None = None,
        targets: frozenset[Path] | None = None,
    ) -> int:
        """Lint a directory's files (or `targets` among them) from disk; how many."""
        effective = self.server.effective_for(group[0])
        version = self.server.settings.module_version(group[0])
        open_documents = {d.path: d for d in self.server.documents.values() if d.path is not None}
        linted = await self.server.in_analysis_thread(
            lint_files, effective.engine, group, targets, version, open_documents
        )
        for path, source, result in linted:
            uri = from_fs_path(str(path)) or path.as_uri()
            if seen is not None:
                seen.add(uri)
            self._store(DiskResult(uri, path, source, result, effective))
        return len(linted)

    def _store(self, result: DiskResult) -> None:
        self.results[result.uri] = result
        if result.uri in self.server.documents or self.server.pulls_diagnostics:
            return
        if not result.result.findings and result.uri not in self._published:
            return
        items = self.diagnostics_of(result)
        if items:
            self._published.add(result.uri)
        else:
            self._published.discard(result.uri)
        self.server.send_diagnostics(result.uri, items, None)

    def diagnostics_of(self, result: DiskResult) -> list[types.Diagnostic]:
        return diagnostics(
            result.result.findings,
            result.source.lines,
            self.server.encoding,
            result.uri,
            None,
            self.server.registry,
            result.effective.server.docs_url,
        )

    def _forget(self, uri: str) -> None:
        self.results.pop(uri, None)
        if uri in self._published and uri not in self.server.documents:
            self._published.discard(uri)
            self.server.send_diagnostics(uri, [], None)

    def _count(self) -> int:
        return sum(len(r.result.findings) for r in self.results.values())

    # -- events ---------------------------------------------------------------------
    def _covers(self, path: Path) -> bool:
        for folder in self.folders():
            if path.is_relative_to(folder):
                effective = self.server.effective_for(path)
                return effective.server.workspace_scan and effective.server.enable
        return False

    def file_closed(self, uri: str, path: Path) -> None:
        """A closed file's diagnostics come from the disk again (when scanning)."""
        self._published.discard(uri)
        self.relint_file(path)

    def file_changed_on_disk(self, path: Path, deleted: bool) -> None:
        uri = from_fs_path(str(path)) or path.as_uri()
        if deleted:
            self._forget(uri)
            return
        if uri not in self.server.documents:
            self.relint_file(path)

    def relint_file(self, path: Path) -> None:
        """Lint one file from disk, with its directory as package context."""
        if not self._covers(path) or not path.is_file():
            return
        config = self.server.effective_for(path).engine.config
        directory = sorted(
            p for p in path.parent.glob("*.go") if p.is_file() and not config.is_excluded(p)
        )
        if path not in directory:
            return

        async def work() -> None:
            await self._lint_group(directory, targets=frozenset({path}))

        self.server.spawn(work(), f"scan {path}")


def _cancelled(server: GobexServer, token: str) -> bool:
    future = server.work_done_progress.tokens.get(token)
    return future is not None and future.cancelled()
