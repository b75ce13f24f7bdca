"""Configuration: .gobex.toml, initializationOptions, workspace/configuration,
didChangeConfiguration, watched config files, invalid settings, lint.run."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from tests.lsp.conftest import (
    CLIENTS,
    CONFIG,
    REPO_GO,
    Session,
    clients,
    with_options,
)
from tests.lsp.helpers import change, find, wait_for

DYNAMIC_WATCHERS = [c for c in CLIENTS if c.spec.startswith(("visual", "emacs"))]


async def severities(session: Session, uri: str, wanted: types.DiagnosticSeverity) -> None:
    """Wait until the diagnostics of `uri` carry severity `wanted`."""

    async def current() -> list[types.Diagnostic]:
        if session.spec.pulls:
            return await session.diagnostics(uri)
        last = session.recorder.last(uri)
        return list(last.diagnostics) if last else []

    for _ in range(4500):
        found = await current()
        if found and all(d.severity == wanted for d in found):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"severity never became {wanted}")


@clients(CLIENTS[0], CLIENTS[2])
@with_options({"ignore": ["PG001"]})
async def test_initialization_options_apply(session: Session) -> None:
    uri = session.open("repo.go")
    assert await session.diagnostics(uri) == []


@clients(CLIENTS[0])
@with_options({"gobex": {"docsUrl": "https://example.com/rules/{code}-{name}"}})
async def test_docs_url_base_is_configurable(session: Session) -> None:
    uri = session.open("repo.go")
    (leak,) = await session.diagnostics(uri)
    assert leak.code_description is not None
    assert leak.code_description.href == "https://example.com/rules/PG001-unclosed-rows"


async def test_changed_editor_settings_apply_to_open_documents(session: Session) -> None:
    uri = session.open("repo.go")
    (leak,) = await session.diagnostics(uri)
    assert leak.severity == types.DiagnosticSeverity.Error
    settings = {"severity": {"PG001": "warning"}}
    if session.spec.configuration:  # the server asks (workspace/configuration)
        session.client.set_configuration(settings, section="gobex")
        payload = None
    else:  # the client pushes the settings with the notification
        payload = {"gobex": settings}
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings=payload)
    )
    await severities(session, uri, types.DiagnosticSeverity.Warning)


@clients(CLIENTS[0], CLIENTS[1])  # answers workspace/configuration, or not
@with_options({"debounceMs": -5, "select": 7, "bogus": 1, "lint": {"run": "sometimes"}})
async def test_invalid_settings_one_warning_and_defaults(session: Session) -> None:
    uri = session.open("repo.go")
    assert [d.code for d in await session.diagnostics(uri)] == ["PG001"]
    (message,) = await wait_for(lambda: session.client.messages, what="window/showMessage")
    assert message.type == types.MessageType.Warning
    for key in ("debounce-ms", "select", "bogus", "lint-run"):
        assert f"`{key}`" in message.message
    await session.diagnostics(uri)
    assert len(session.client.messages) == 1


async def test_config_file_change_is_picked_up(session: Session) -> None:
    uri = session.open("repo.go")
    assert [d.code for d in await session.diagnostics(uri)] == ["PG001"]
    if session.spec in DYNAMIC_WATCHERS:
        (registration,) = await wait_for(
            lambda: session.recorder.registrations, what="the watcher registration"
        )
        assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        patterns = {w["globPattern"] for w in registration.register_options["watchers"]}
        assert {"**/.gobex.toml", "**/gobex.toml", "**/go.mod", "**/*.go"} == patterns
    config = session.root / ".gobex.toml"
    config.write_text(CONFIG.replace('select = ["PG001", "IDM001"]', 'select = ["IDM001"]'))
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=session.uri(".gobex.toml"), type=types.FileChangeType.Changed)
            ]
        )
    )

    async def cleared() -> bool:
        if session.spec.pulls:
            return await session.diagnostics(uri) == []
        last = session.recorder.last(uri)
        return last is not None and last.version == 1 and list(last.diagnostics) == []

    for _ in range(4500):
        if await cleared():
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the config change was not applied")
    if session.spec not in DYNAMIC_WATCHERS:  # registering would be a protocol error
        assert session.recorder.registrations == []


@clients(CLIENTS[0], CLIENTS[3])
@with_options({"lint": {"run": "onSave"}})
async def test_lint_on_save_only(session: Session) -> None:
    text = REPO_GO
    uri = session.open("repo.go", text)
    assert [d.code for d in await session.diagnostics(uri, 1)] == ["PG001"]
    at = find(text, "\tvar names")
    session.edit(uri, change(text, at, at, "\tdefer rows.Close()\n", session.encoding))
    await asyncio.sleep(0.5)
    assert {p.version for p in session.recorder.published[uri]} == {1}
    session.client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert await session.diagnostics(uri, 2) == []


@clients(CLIENTS[0], CLIENTS[2])
@with_options({"enable": False})
async def test_disabled_server_reports_nothing(session: Session) -> None:
    uri = session.open("repo.go")
    assert await session.diagnostics(uri) == []
