"""The LSP methods gobex answers: each a few lines over ``GobexServer``."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from lsprotocol import types

from gobex.config import CONFIG_NAMES
from gobex.docs import rule_page
from gobex.lsp import actions
from gobex.lsp.analysis import Analysis
from gobex.lsp.convert import to_offset
from gobex.lsp.document import path_of
from gobex.lsp.hover import hover
from gobex.lsp.server import GobexServer

log = logging.getLogger("gobex.lsp.handlers")

WATCHED = ("**/.gobex.toml", "**/gobex.toml", "**/go.mod", "**/*.go")
FIX_ALL_COMMAND = "gobex.fixAll"
EXPLAIN_COMMAND = "gobex.explain"
LINT_WORKSPACE_COMMAND = "gobex.lintWorkspace"


# -- lifecycle ------------------------------------------------------------------------
def initialize(ls: GobexServer, params: types.InitializeParams) -> None:
    ls.settings.set_initialization_options(params.initialization_options)


async def initialized(ls: GobexServer, params: types.InitializedParams) -> None:
    generation = ls.settings.generation
    await ls.pull_configuration()
    if ls.watches_files_dynamically:
        try:
            await ls.client_register_capability_async(watched_files_registration())
        except Exception as exc:  # the client may refuse; config reloads then need a restart
            log.warning("could not watch config files: %s", exc)
    ls.report_settings_errors()
    if ls.settings.generation != generation:
        ls.relint_all()
    ls.scanner.start()
    ls.ready.set()


def watched_files_registration() -> types.RegistrationParams:
    watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
    return types.RegistrationParams(
        registrations=[
            types.Registration(
                id="gobex-watched-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
        ]
    )


def shutdown(ls: GobexServer, params: None) -> None:
    ls.shutdown_requested = True
    ls.stop_work()


# -- documents ------------------------------------------------------------------------
def did_open(ls: GobexServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.open_document(params.text_document)


def did_change(ls: GobexServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.change_document(params)


def did_save(ls: GobexServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.save_document(params.text_document.uri)


def did_close(ls: GobexServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.close_document(params.text_document.uri)


# -- diagnostics ----------------------------------------------------------------------
def result_id(analysis: Analysis) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for finding in analysis.result.findings:
        digest.update(f"{finding.code}:{finding.start}:{finding.end}:{finding.message}".encode())
    return f"{analysis.version}-{digest.hexdigest()}"


async def document_diagnostic(
    ls: GobexServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    analysis = await ls.current(params.text_document.uri)
    if analysis is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    identifier = result_id(analysis)
    if params.previous_result_id == identifier:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=identifier)
    return types.RelatedFullDocumentDiagnosticReport(
        items=ls.to_diagnostics(analysis), result_id=identifier
    )


async def workspace_diagnostic(
    ls: GobexServer, params: types.WorkspaceDiagnosticParams
) -> types.WorkspaceDiagnosticReport:
    await ls.ready.wait()
    await ls.scanner.wait()
    reports: list[types.WorkspaceDocumentDiagnosticReport] = []
    for uri in list(ls.documents):
        analysis = await ls.current(uri)
        if analysis is not None:
            reports.append(
                types.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri,
                    version=analysis.version,
                    items=ls.to_diagnostics(analysis),
                    result_id=result_id(analysis),
                )
            )
    for uri, result in ls.scanner.results.items():
        if uri in ls.documents:
            continue
        items = ls.scanner.diagnostics_of(result)
        reports.append(
            types.WorkspaceFullDocumentDiagnosticReport(uri=uri, version=None, items=items)
        )
    return types.WorkspaceDiagnosticReport(items=reports)


# -- code actions ---------------------------------------------------------------------
async def code_action(
    ls: GobexServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    analysis = await ls.current(params.text_document.uri)
    if analysis is None:
        return None
    only = params.context.only
    style = ls.edit_style()
    found: list[types.CodeAction] = []
    for finding, diagnostic in actions.targets(analysis, params, ls.encoding):
        found.extend(
            actions.finding_actions(
                analysis, finding, diagnostic, only, style, ls.models, ls.encoding
            )
        )
    fix_all = actions.fix_all_action(analysis, only)
    if fix_all is not None and not style.lazy:
        fix_all.edit = await ls.fix_all_edit(analysis.uri, analysis.version)
    if fix_all is not None and (style.lazy or fix_all.edit is not None):
        found.append(fix_all)
    return found


async def resolve_code_action(ls: GobexServer, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if not isinstance(uri, str):
        return action
    if data.get("action") == "fixAll":
        action.edit = await ls.fix_all_edit(uri, data.get("version"))
        return action
    analysis = await ls.current(uri)
    if analysis is None:
        return action
    return actions.resolve(action, analysis, ls.edit_style(), ls.models, ls.encoding)


# -- hover ----------------------------------------------------------------------------
async def on_hover(ls: GobexServer, params: types.HoverParams) -> types.Hover | None:
    analysis = await ls.current(params.text_document.uri)
    if analysis is None:
        return None
    offset = to_offset(analysis.source.lines, params.position, ls.encoding)
    return hover(analysis, offset, ls.encoding, ls.registry)


# -- workspace ------------------------------------------------------------------------
async def did_change_configuration(
    ls: GobexServer, params: types.DidChangeConfigurationParams
) -> None:
    settings = params.settings
    if isinstance(settings, dict) and "gobex" in settings:
        ls.settings.set_workspace_configuration(settings["gobex"])
    else:
        await ls.pull_configuration()
    await ls.reload()


async def did_change_watched_files(
    ls: GobexServer, params: types.DidChangeWatchedFilesParams
) -> None:
    config_changed = False
    for change in params.changes:
        path = path_of(change.uri)
        if path is None:
            continue
        if path.name in CONFIG_NAMES or path.name == "go.mod":
            config_changed = True
        elif path.suffix == ".go":
            ls.scanner.file_changed_on_disk(path, change.type == types.FileChangeType.Deleted)
            ls.relint_directory(path.parent)
    if config_changed:
        ls.settings.files_changed()
        await ls.reload()


# -- commands -------------------------------------------------------------------------
async def fix_all_command(ls: GobexServer, *args: Any) -> bool:
    """``gobex.fixAll <uri>``: apply every safe fix of the document."""
    uri = _uri_argument(args)
    document = ls.documents.get(uri) if uri else None
    if document is None:
        return False
    edit = await ls.fix_all_edit(document.uri, document.version)
    if edit is None:
        return False
    result = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label="gobex: fix all")
    )
    return bool(result.applied)


def explain_command(ls: GobexServer, *args: Any) -> str | None:
    """``gobex.explain <CODE|name>``: the rule's page in Markdown."""
    rule = ls.registry.get(str(args[0])) if args else None
    return rule_page(rule) if rule is not None else None


async def lint_workspace_command(ls: GobexServer, *args: Any) -> dict[str, Any]:
    """``gobex.lintWorkspace``: scan every workspace folder again; the counts."""
    ls.scanner.start()
    summary = await ls.scanner.wait()
    if summary is None:
        return {"files": 0, "findings": 0, "cancelled": False}
    return {"files": summary.files, "findings": summary.findings, "cancelled": summary.cancelled}


def _uri_argument(args: tuple[Any, ...]) -> str | None:
    if not args:
        return None
    first = args[0]
    if isinstance(first, dict):
        first = first.get("uri")
    return first if isinstance(first, str) else None


def register(ls: GobexServer) -> None:
    """Attach every handler to `ls`."""
    ls.feature(types.INITIALIZE)(initialize)
    ls.feature(types.INITIALIZED)(initialized)
    ls.feature(types.SHUTDOWN)(shutdown)
    ls.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    ls.feature(types.TEXT_DOCUMENT_DID_SAVE)(did_save)
    ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    ls.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="gobex", inter_file_dependencies=True, workspace_diagnostics=True
        ),
    )(document_diagnostic)
    ls.feature(types.WORKSPACE_DIAGNOSTIC)(workspace_diagnostic)
    ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL],
            resolve_provider=True,
        ),
    )(code_action)
    ls.feature(types.CODE_ACTION_RESOLVE)(resolve_code_action)
    ls.feature(types.TEXT_DOCUMENT_HOVER)(on_hover)
    ls.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(did_change_watched_files)
    ls.command(FIX_ALL_COMMAND)(fix_all_command)
    ls.command(EXPLAIN_COMMAND)(explain_command)
    ls.command(LINT_WORKSPACE_COMMAND)(lint_workspace_command)
