"""``GobexServer``: the language server's state and its lint scheduling.

Every open document is linted on open and (after a short debounce) on change;
each lint runs on one analysis thread, off the event loop, against an immutable
snapshot of the document. A lint whose document changed meanwhile is dropped,
and diagnostics are never published for a version older than the last one
published. Clients that pull diagnostics get them on request instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from gobex import __version__
from gobex.lineindex import Encoding
from gobex.lsp.actions import EditStyle, replacement_edit, workspace_edit
from gobex.lsp.analysis import Analysis, DocumentLinter
from gobex.lsp.convert import diagnostics, encoding_of, skipped_diagnostic
from gobex.lsp.document import Document, path_of
from gobex.lsp.protocol import GobexProtocol
from gobex.lsp.scan import WorkspaceScanner
from gobex.lsp.settings import Effective, LintRun, SettingsStore
from gobex.models import ModelSet, builtin_models
from gobex.registry import Registry, default_registry

log = logging.getLogger("gobex.lsp.server")

T = TypeVar("T")


class GobexServer(LanguageServer):
    """The state of one gobex language server session."""

    protocol: GobexProtocol

    def __init__(self, models: ModelSet | None = None, registry: Registry | None = None) -> None:
        super().__init__(
            "gobex",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=GobexProtocol,
        )
        self.models = models or builtin_models()
        self.registry = registry or default_registry()
        self.settings = SettingsStore(self.models, self.registry)
        self.documents: dict[str, Document] = {}
        self.analyses: dict[str, Analysis] = {}
        self.published: dict[str, int | None] = {}
        self.linter = DocumentLinter(self.models)
        self.scanner = WorkspaceScanner(self)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gobex-analysis")
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._logged_failures: set[tuple[str, str, str]] = set()
        self.shutdown_requested = False
        self.ready = asyncio.Event()  # set once `initialized` is handled (settings, scan started)

    # -- client capabilities --------------------------------------------------------
    @property
    def encoding(self) -> Encoding:
        return encoding_of(self.workspace.position_encoding)

    @property
    def pulls_diagnostics(self) -> bool:
        document = self.client_capabilities.text_document
        return document is not None and document.diagnostic is not None

    @property
    def resolves_edits(self) -> bool:
        """The client resolves code actions lazily (and keeps their `data`)."""
        document = self.client_capabilities.text_document
        action = document.code_action if document is not None else None
        if action is None or not action.data_support or action.resolve_support is None:
            return False
        return "edit" in action.resolve_support.properties

    @property
    def has_configuration(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace is not None and workspace.configuration)

    @property
    def has_progress(self) -> bool:
        window = self.client_capabilities.window
        return bool(window is not None and window.work_done_progress)

    @property
    def refreshes_diagnostics(self) -> bool:
        workspace = self.client_capabilities.workspace
        diagnostics = workspace.diagnostics if workspace is not None else None
        return bool(diagnostics is not None and diagnostics.refresh_support)

    def edit_style(self) -> EditStyle:
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace is not None else None
        versioned = bool(edit is not None and edit.document_changes)
        return EditStyle(lazy=self.resolves_edits, document_changes=versioned)

    @property
    def watches_files_dynamically(self) -> bool:
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        return bool(watched is not None and watched.dynamic_registration)

    # -- work off the event loop ----------------------------------------------------
    async def in_analysis_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function` on the analysis thread (one job at a time, in order)."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, function, *args)

    def spawn(self, work: Awaitable[None], name: str) -> asyncio.Task[None]:
        async def guarded() -> None:
            try:
                await work
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s failed", name)

        return asyncio.ensure_future(guarded())

    # -- documents ------------------------------------------------------------------
    def effective(self, document: Document) -> Effective:
        return self.effective_for(document.path)

    def effective_for(self, path: Path | None) -> Effective:
        """The engine and settings for a file; reports settings problems the first
        time they are seen (one warning per change of settings)."""
        effective = self.settings.for_path(path)
        self.report_settings_errors()
        return effective

    def open_document(self, item: types.TextDocumentItem) -> None:
        path = path_of(item.uri)
        version = self.settings.module_version(path)
        self.documents[item.uri] = Document.open(item.uri, path, item.version, item.text, version)
        self.published.pop(item.uri, None)
        self.schedule(item.uri, 0)

    def change_document(self, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = self.documents.get(uri)
        if document is None:
            log.warning("change to a document that is not open: %s", uri)
            return
        document = document.changed(
            params.content_changes, params.text_document.version, self.encoding
        )
        self.documents[uri] = document
        server = self.effective(document).server
        if server.lint_run is LintRun.ON_TYPE:
            self.schedule(uri, server.debounce_ms)

    def save_document(self, uri: str) -> None:
        document = self.documents.get(uri)
        if document is not None and self.effective(document).server.lint_run is LintRun.ON_SAVE:
            self.schedule(uri, 0)

    def close_document(self, uri: str) -> None:
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()
        document = self.documents.pop(uri, None)
        self.analyses.pop(uri, None)
        self.published.pop(uri, None)
        self.linter.forget(uri)
        if not self.pulls_diagnostics:
            self.send_diagnostics(uri, [], None)
        if document is not None and document.path is not None:
            self.scanner.file_closed(uri, document.path)

    # -- linting --------------------------------------------------------------------
    def schedule(self, uri: str, delay_ms: int) -> None:
        """Lint `uri` after `delay_ms`; a newer request for the same document replaces it."""
        previous = self._pending.pop(uri, None)
        if previous is not None and not previous.done():
            previous.cancel()
        self._pending[uri] = self.spawn(self._lint_later(uri, delay_ms), f"lint {uri}")

    async def _lint_later(self, uri: str, delay_ms: int) -> None:
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)
        await self.lint(uri)

    async def lint(self, uri: str) -> Analysis | None:
        """Lint the document's current version; None when it changed meanwhile."""
        document = self.documents.get(uri)
        if document is None:
            return None
        effective = self.effective(document)
        generation = self.settings.generation
        if not effective.server.enable:
            self.analyses.pop(uri, None)
            if not self.pulls_diagnostics:
                self.send_diagnostics(uri, [], document.version)
            return None
        open_documents = {
            d.path: d for d in self.documents.values() if d.path is not None and d.uri != uri
        }
        analysis = await self.in_analysis_thread(
            self.linter.lint, document, effective, generation, open_documents
        )
        if self.documents.get(uri) is not document or generation != self.settings.generation:
            return None  # stale: a newer version (or new settings) will be linted
        previous = self.analyses.get(uri)
        self.analyses[uri] = analysis
        self._log_failures(analysis)
        if not self.pulls_diagnostics:
            self.publish(analysis)
        if previous is not None and analysis.skeleton_changed:
            self._relint_neighbours(document)
        return analysis

    async def current(self, uri: str) -> Analysis | None:
        """The analysis of the document as it is now (linting it if needed)."""
        for _ in range(10):
            document = self.documents.get(uri)
            if document is None:
                return None
            analysis = self.analyses.get(uri)
            if analysis is not None and (
                analysis.source is document.source
                and analysis.generation == self.settings.generation
            ):
                return analysis
            if analysis is not None and self.effective(document).server.lint_run is (
                LintRun.ON_SAVE
            ):
                return analysis
            fresh = await self.lint(uri)
            if fresh is not None:
                return fresh
        return self.analyses.get(uri)

    def _relint_neighbours(self, document: Document) -> None:
        """Other open files of the same directory may depend on this one's declarations."""
        if document.path is None:
            return
        directory = document.path.parent
        for other in list(self.documents.values()):
            if other.uri != document.uri and other.path and other.path.parent == directory:
                self.schedule(other.uri, self.effective(other).server.debounce_ms)

    def relint_directory(self, directory: Path) -> None:
        """A file of `directory` changed on disk: its open neighbours may see it."""
        for document in list(self.documents.values()):
            if document.path is not None and document.path.parent == directory:
                self.schedule(document.uri, 0)

    def relint_all(self) -> None:
        """Settings or the files around the open documents changed: lint them again."""
        for uri, document in list(self.documents.items()):
            self.documents[uri] = document.with_module_version(
                self.settings.module_version(document.path)
            )
            self.schedule(uri, 0)
        if self.pulls_diagnostics and self.refreshes_diagnostics:
            self.workspace_diagnostic_refresh(None)

    def _log_failures(self, analysis: Analysis) -> None:
        for failure in analysis.result.failures:
            key = (failure.code, failure.path, failure.error)
            if key in self._logged_failures:
                continue
            self._logged_failures.add(key)
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Warning,
                    message=(
                        f"gobex: rule {failure.code} failed on {failure.path}:{failure.line} "
                        f"and was skipped: {failure.error}\n{failure.traceback}"
                    ),
                )
            )

    async def fix_all_edit(self, uri: str, version: Any) -> types.WorkspaceEdit | None:
        """One edit applying every safe fix of the document (at `version`, if given)."""
        document = self.documents.get(uri)
        if document is None or (version is not None and document.version != version):
            return None
        open_documents = {
            d.path: d for d in self.documents.values() if d.path is not None and d.uri != uri
        }
        fixed = await self.in_analysis_thread(
            self.linter.fixed, document, self.effective(document), open_documents
        )
        if self.documents.get(uri) is not document:
            return None
        edits = replacement_edit(document.source, fixed, self.encoding)
        if not edits:
            return None
        return workspace_edit(uri, document.version, edits, self.edit_style())

    # -- diagnostics ----------------------------------------------------------------
    def to_diagnostics(self, analysis: Analysis) -> list[types.Diagnostic]:
        if analysis.too_large and analysis.result.skipped:
            return [skipped_diagnostic(analysis.result.skipped)]
        return diagnostics(
            analysis.result.findings,
            analysis.source.lines,
            self.encoding,
            analysis.uri,
            analysis.version,
            self.registry,
            analysis.effective.server.docs_url,
        )

    def publish(self, analysis: Analysis) -> None:
        last = self.published.get(analysis.uri)
        if analysis.version is not None and last is not None and analysis.version < last:
            return
        self.published[analysis.uri] = analysis.version
        self.send_diagnostics(analysis.uri, self.to_diagnostics(analysis), analysis.version)

    def send_diagnostics(
        self, uri: str, items: list[types.Diagnostic], version: int | None
    ) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=version)
        )

    # -- settings -------------------------------------------------------------------
    def report_settings_errors(self) -> None:
        errors = self.settings.take_errors()
        if errors:
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Warning,
                    message="gobex: invalid settings (defaults used): " + "; ".join(errors),
                )
            )

    async def pull_configuration(self) -> None:
        """Ask the client for the ``gobex`` section (when it can answer)."""
        if not self.has_configuration:
            return
        try:
            answer = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="gobex")])
            )
        except Exception as exc:  # the client may fail the request; keep the old settings
            log.warning("workspace/configuration failed: %s", exc)
            return
        self.settings.set_workspace_configuration(answer[0] if answer else None)

    async def reload(self) -> None:
        """Settings changed: report problems, lint open documents and the workspace again."""
        self.report_settings_errors()
        self.relint_all()
        await self.scanner.restart()

    def stop_work(self) -> None:
        """Shutdown: cancel pending lints and the workspace scan."""
        for task in self._pending.values():
            task.cancel()
        self._pending.clear()
        self.scanner.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
