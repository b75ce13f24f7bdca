"""Open, incremental change, diagnostics (push and pull), versions, close."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from tests.lsp.conftest import CLIENTS, PUSH_CLIENTS, REPO_GO, Session, clients, with_options
from tests.lsp.helpers import change, find, span, wait_for

CALL = 'r.db.QueryContext(ctx, "SELECT name FROM users")'
DEFER = "\tdefer rows.Close()\n"


def summary(diagnostics: list[types.Diagnostic]) -> list[tuple[Any, ...]]:
    """What must agree between two documents with the same text."""
    return [
        (
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.code,
            d.message,
            d.severity,
            tuple(d.data["finding"]),
            tuple(d.data["fixes"]),
        )
        for d in diagnostics
    ]


async def test_initialize_advertises_what_the_client_can_use(session: Session) -> None:
    result = session.client.initialize_result.capabilities  # type: ignore[attr-defined]
    assert result.position_encoding == session.encoding
    sync = result.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert sync.open_close
    actions = result.code_action_provider
    assert isinstance(actions, types.CodeActionOptions)
    assert actions.resolve_provider
    assert set(actions.code_action_kinds or ()) == {"quickfix", "source.fixAll.gobex"}
    assert result.hover_provider
    assert (result.diagnostic_provider is not None) == session.spec.pulls
    commands = result.execute_command_provider
    assert commands is not None
    assert set(commands.commands) == {"gobex.fixAll", "gobex.explain", "gobex.lintWorkspace"}


async def test_open_reports_the_leak_with_every_field(session: Session) -> None:
    uri = session.open("repo.go")
    diagnostics = await session.diagnostics(uri)
    assert len(diagnostics) == 1
    (leak,) = diagnostics
    assert leak.range == span(REPO_GO, CALL, session.encoding)
    assert leak.range.start == types.Position(line=12, character=14)
    assert leak.code == "PG001"
    assert leak.source == "gobex"
    assert leak.message == "rows from QueryContext are never closed"
    assert leak.severity == types.DiagnosticSeverity.Error
    assert leak.code_description is not None
    assert leak.code_description.href.endswith("/PG001.md")
    assert leak.data["fixes"] == ["Add `defer rows.Close()`"]
    assert leak.data["uri"] == uri
    assert leak.data["version"] == 1


async def test_typing_the_fix_clears_the_leak_and_deleting_it_brings_it_back(
    session: Session,
) -> None:
    text = REPO_GO
    uri = session.open("repo.go", text)
    assert [d.code for d in await session.diagnostics(uri)] == ["PG001"]
    at = find(text, "\tvar names")
    for char in DEFER:  # one didChange per keystroke
        session.edit(uri, change(text, at, at, char, session.encoding))
        text = text[:at] + char + text[at:]
        at += 1
    assert await session.diagnostics(uri) == []
    start = find(text, DEFER)
    session.edit(uri, change(text, start, start + len(DEFER), "", session.encoding))
    text = text[:start] + text[start + len(DEFER) :]
    assert text == REPO_GO
    (leak,) = await session.diagnostics(uri)
    assert leak.range == span(text, CALL, session.encoding)


async def test_many_incremental_edits_match_a_fresh_open_of_the_final_text(
    session: Session,
) -> None:
    text = REPO_GO
    uri = session.open("repo.go", text)
    await session.diagnostics(uri)
    steps = [
        # (needle, occurrence, delete, insert)
        ("func (r *Repo)", 0, 0, "// Names 😀 lists 名前.\n"),
        ('"SELECT name', 0, 0, "/* é */ "),
        ("rows, err :=", 0, 4, "rs"),  # rename the variable: rows -> rs (the use sites differ)
        ("for rows.Next()", 0, 0, "rs.Close()\n\t"),
        ("var n string", 0, 0, "\n\n"),
        ("\treturn names", 0, 0, '\t_ = "👩‍👩‍👧"\n'),
        (
            "\nfunc (r *Repo)",
            0,
            0,
            "\nfunc (r *Repo) Other(ctx context.Context) {\n"
            '\trows, _ := r.db.QueryContext(ctx, "SELECT 1")\n\t_ = rows\n}\n',
        ),
    ]
    for needle, occurrence, delete, insert in steps:
        at = find(text, needle, occurrence)
        session.edit(uri, change(text, at, at + delete, insert, session.encoding))
        text = text[:at] + insert + text[at + delete :]
    # Split one edit into several content changes of a single didChange.
    first, second = find(text, "SELECT name"), find(text, "SELECT 1")
    session.edit(
        uri,
        change(text, first, first + 6, "select", session.encoding),
        change(
            text[:first] + "select" + text[first + 6 :], second, second, "/* x */", session.encoding
        ),
    )
    text = text[:first] + "select" + text[first + 6 :]
    text = text[:second] + "/* x */" + text[second:]
    edited = await session.diagnostics(uri)

    fresh = session.open("fresh/repo.go", text)  # another directory: the same package context
    expected = await session.diagnostics(fresh)
    assert summary(edited) == summary(expected)
    # `rs` is closed now; the rows of the new method Other leak.
    (leak,) = edited
    assert leak.code == "PG001"
    assert leak.range == span(text, 'r.db.QueryContext(ctx, "/* x */SELECT 1")', session.encoding)


@clients(CLIENTS[0], CLIENTS[2])
async def test_a_whole_document_change_replaces_the_text(session: Session) -> None:
    uri = session.open("repo.go")
    await session.diagnostics(uri)
    fixed = REPO_GO.replace("\tvar names", DEFER + "\tvar names")
    session.replace_all(uri, fixed)
    assert await session.diagnostics(uri) == []
    session.replace_all(uri, REPO_GO)
    assert [d.code for d in await session.diagnostics(uri)] == ["PG001"]


def close(session: Session, uri: str) -> None:
    session.client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


@clients(*PUSH_CLIENTS)
async def test_published_versions_never_go_back(session: Session) -> None:
    text = REPO_GO
    uri = session.open("repo.go", text)
    at = find(text, "\tvar names")
    for _ in range(30):
        session.edit(uri, change(text, at, at, " ", session.encoding))
        text = text[:at] + " " + text[at:]
    await session.diagnostics(uri, 31)
    versions = [p.version for p in session.recorder.published[uri]]
    assert versions == sorted(versions)
    assert versions[-1] == 31


@clients(CLIENTS[0], CLIENTS[3])
@with_options({"workspaceScan": False})
async def test_close_clears_the_diagnostics(session: Session) -> None:
    uri = session.open("repo.go")
    assert await session.diagnostics(uri)
    close(session, uri)
    await wait_for(lambda: session.recorder.last(uri).version is None, what="the clearing publish")
    assert list(session.recorder.last(uri).diagnostics) == []


@clients(CLIENTS[0], CLIENTS[1])
async def test_close_hands_the_file_back_to_the_workspace_scan(session: Session) -> None:
    """With the scan on (the default), a closed file shows its findings on disk."""
    text = REPO_GO
    uri = session.open("repo.go", text)
    await session.diagnostics(uri)
    fixed = text.replace("\tvar names", DEFER + "\tvar names")
    session.replace_all(uri, fixed)
    assert await session.diagnostics(uri) == []  # the buffer is fixed, the disk is not
    published = len(session.recorder.published[uri])
    close(session, uri)

    def disk_findings() -> list[types.PublishDiagnosticsParams]:
        after = session.recorder.published[uri][published:]
        return [p for p in after if p.version is None and p.diagnostics]

    (disk,) = await wait_for(disk_findings, what="the disk's diagnostics after close")
    assert [d.code for d in disk.diagnostics] == ["PG001"]
    assert disk.diagnostics[0].range == span(REPO_GO, CALL, session.encoding)
    cleared = session.recorder.published[uri][published]
    assert cleared.version is None
    assert list(cleared.diagnostics) == []
