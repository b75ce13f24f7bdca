"""Pull diagnostics: result ids, unchanged reports, no pushes, refresh requests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from tests.lsp.conftest import (
    CLIENTS,
    CONFIG_FOR_SERVER,
    REPO_GO,
    Session,
    clients,
    initialize_params,
)
from tests.lsp.helpers import change, find, wait_for

NEOVIM_011 = next(c for c in CLIENTS if c.spec == "neovim@0.11.0")


async def pull(
    session: Session, uri: str, previous: str | None = None
) -> types.DocumentDiagnosticReport:
    return await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous
        )
    )


@clients(NEOVIM_011)
async def test_unchanged_reports_and_no_pushes(session: Session) -> None:
    text = REPO_GO
    uri = session.open("repo.go", text)
    first = await pull(session, uri)
    assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
    assert [d.code for d in first.items] == ["PG001"]
    assert first.result_id
    again = await pull(session, uri, first.result_id)
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    assert again.result_id == first.result_id
    at = find(text, "\tvar names")
    session.edit(uri, change(text, at, at, "\tdefer rows.Close()\n", session.encoding))
    fixed = await pull(session, uri, first.result_id)
    assert isinstance(fixed, types.RelatedFullDocumentDiagnosticReport)
    assert list(fixed.items) == []
    assert fixed.result_id != first.result_id
    assert session.recorder.published == {}


def pulling_vscode() -> types.ClientCapabilities:
    """VS Code's recorded capabilities plus pull diagnostics with refresh, as VS Code
    1.67+ sends them."""
    capabilities = client_capabilities("visual-studio-code")
    assert capabilities.text_document is not None and capabilities.workspace is not None
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(
        dynamic_registration=True, related_document_support=False
    )
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True
    )
    return capabilities


@pytest_lsp.fixture(config=CONFIG_FOR_SERVER)
async def refreshing(lsp_client: LanguageClient, workspace: Path):
    params = initialize_params(CLIENTS[0], workspace)
    params.capabilities = pulling_vscode()
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_settings_changes_ask_pulling_clients_to_refresh(
    refreshing: LanguageClient, workspace: Path
) -> None:
    spec = replace(CLIENTS[0], pulls=True)
    session = Session(refreshing, spec, workspace)
    uri = session.open("repo.go")
    assert [d.code for d in await session.diagnostics(uri)] == ["PG001"]
    scans = await wait_for(
        lambda: refreshing.diagnostic_refresh_count, what="refresh after the scan"
    )
    refreshing.set_configuration({"ignore": ["PG001"]}, section="gobex")
    refreshing.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_for(
        lambda: refreshing.diagnostic_refresh_count > scans,
        what="refresh after the settings change",
    )
    assert await session.diagnostics(uri) == []
    assert session.recorder.published == {}
