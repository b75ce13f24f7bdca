"""Code actions: quick fix (resolved lazily or eagerly), suppression and the
unused-suppression fix (IDM001), fix-all, `context.only`, commands."""

from __future__ import annotations

from lsprotocol import types

from tests.lsp.conftest import (
    CLIENTS,
    REPO_GO,
    REPO_GO_FIXED,
    Session,
    clients,
)
from tests.lsp.helpers import apply_text_edits, span, wait_for, workspace_edit_for

CALL_LINE = '\trows, err := r.db.QueryContext(ctx, "SELECT name FROM users")'
FIX_TITLE = "gobex (PG001): Add `defer rows.Close()`"
SUPPRESS_TITLE = "gobex (PG001): Suppress PG001 on this line"
LAZY = [c for c in CLIENTS if c.lazy]

TWO_LEAKS = REPO_GO + (
    "\nfunc (r *Repo) Count(ctx context.Context) (int, error) {\n"
    '\trows, err := r.db.QueryContext(ctx, "SELECT 1")\n'
    "\tif err != nil {\n\t\treturn 0, err\n\t}\n"
    "\tn := 0\n\tfor rows.Next() {\n\t\tn++\n\t}\n\treturn n, rows.Err()\n}\n"
)


async def open_with_leak(session: Session, text: str = REPO_GO) -> tuple[str, types.Diagnostic]:
    uri = session.open("repo.go", text)
    diagnostics = await session.diagnostics(uri)
    return uri, diagnostics[0]


async def test_quick_fix_is_preferred_and_fixes_the_leak(session: Session) -> None:
    uri, leak = await open_with_leak(session)
    actions = await session.code_actions(uri, leak.range, [leak])
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.title for a in quick] == [FIX_TITLE, SUPPRESS_TITLE]
    assert quick[0].is_preferred
    assert not quick[1].is_preferred
    assert list(quick[0].diagnostics or []) == [leak]
    fix = await session.resolved(quick[0])
    assert fix.edit is not None
    fixed = session.apply(uri, REPO_GO, workspace_edit_for(fix.edit, uri))
    assert fixed == REPO_GO_FIXED
    assert await session.diagnostics(uri) == []


async def test_suppress_then_the_unused_suppression_is_reported_and_removed(
    session: Session,
) -> None:
    uri, leak = await open_with_leak(session)
    actions = await session.code_actions(uri, leak.range, [leak], only=["quickfix"])
    suppress = await session.resolved(next(a for a in actions if a.title == SUPPRESS_TITLE))
    assert suppress.edit is not None
    text = session.apply(uri, REPO_GO, workspace_edit_for(suppress.edit, uri))
    assert text == REPO_GO.replace(CALL_LINE, CALL_LINE + " //nolint:PG001")
    assert await session.diagnostics(uri) == []

    # Close the rows by hand: the //nolint now silences nothing (IDM001).
    closed = text.replace("\tvar names", "\tdefer rows.Close()\n\tvar names")
    session.replace_all(uri, closed)
    (unused,) = await session.diagnostics(uri)
    assert unused.code == "IDM001"
    assert unused.severity == types.DiagnosticSeverity.Information
    assert list(unused.tags or []) == [types.DiagnosticTag.Unnecessary]
    assert unused.range == span(closed, "//nolint:PG001", session.encoding)
    actions = await session.code_actions(uri, unused.range, [unused], only=["quickfix"])
    assert [a.title for a in actions] == ["gobex (IDM001): Remove the unused //nolint"]
    remove = await session.resolved(actions[0])
    assert remove.edit is not None
    text = session.apply(uri, closed, workspace_edit_for(remove.edit, uri))
    assert text == REPO_GO_FIXED
    assert await session.diagnostics(uri) == []


async def test_suppression_extends_an_existing_nolint_or_keeps_a_comment_as_reason(
    session: Session,
) -> None:
    for trailing, expected in [
        (" //nolint:errcheck", " //nolint:errcheck,PG001"),
        (" // the caller closes them", " //nolint:PG001 // the caller closes them"),
    ]:
        text = REPO_GO.replace(CALL_LINE, CALL_LINE + trailing)
        uri = session.open("repo.go", text)
        (leak,) = await session.diagnostics(uri)
        actions = await session.code_actions(uri, leak.range, [leak], only=["quickfix"])
        suppress = await session.resolved(next(a for a in actions if a.title == SUPPRESS_TITLE))
        assert suppress.edit is not None
        edited = apply_text_edits(text, workspace_edit_for(suppress.edit, uri), session.encoding)
        assert edited == REPO_GO.replace(CALL_LINE, CALL_LINE + expected)
        session.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )


async def test_fix_all_fixes_every_leak_in_one_edit(session: Session) -> None:
    uri = session.open("repo.go", TWO_LEAKS)
    leaks = await session.diagnostics(uri)
    assert [d.code for d in leaks] == ["PG001", "PG001"]
    whole = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
    )
    actions = await session.code_actions(uri, whole, [], only=["source.fixAll"])
    assert [(a.title, a.kind) for a in actions] == [
        ("gobex: Fix all auto-fixable problems", "source.fixAll.gobex")
    ]
    fix_all = await session.resolved(actions[0])
    assert fix_all.edit is not None
    edits = workspace_edit_for(fix_all.edit, uri)
    assert len(edits) == 1
    fixed = session.apply(uri, TWO_LEAKS, edits)
    assert fixed == TWO_LEAKS.replace(
        "\t\treturn nil, err\n\t}\n", "\t\treturn nil, err\n\t}\n\tdefer rows.Close()\n"
    ).replace("\t\treturn 0, err\n\t}\n", "\t\treturn 0, err\n\t}\n\tdefer rows.Close()\n")
    assert await session.diagnostics(uri) == []


@clients(CLIENTS[0], CLIENTS[3])  # lazy and eager
async def test_context_only_is_respected(session: Session) -> None:
    uri, leak = await open_with_leak(session)
    source = await session.code_actions(uri, leak.range, [leak], only=["source"])
    assert [a.kind for a in source] == ["source.fixAll.gobex"]
    quick = await session.code_actions(uri, leak.range, [leak], only=["quickfix"])
    assert {a.kind for a in quick} == {types.CodeActionKind.QuickFix}
    refactor = await session.code_actions(uri, leak.range, [leak], only=["refactor"])
    assert refactor == []


@clients(CLIENTS[0], CLIENTS[3])
async def test_actions_without_context_diagnostics_use_the_range(session: Session) -> None:
    """Some clients send no diagnostics in the context: the range decides."""
    uri, leak = await open_with_leak(session)
    actions = await session.code_actions(uri, leak.range, [], only=["quickfix"])
    assert [a.title for a in actions] == [FIX_TITLE, SUPPRESS_TITLE]
    elsewhere = types.Range(
        start=types.Position(line=1, character=0), end=types.Position(line=1, character=0)
    )
    assert await session.code_actions(uri, elsewhere, [], only=["quickfix"]) == []


@clients(*LAZY)
async def test_an_action_resolved_after_the_document_changed_has_no_edit(
    session: Session,
) -> None:
    uri, leak = await open_with_leak(session)
    (action, *_) = await session.code_actions(uri, leak.range, [leak], only=["quickfix"])
    session.replace_all(uri, REPO_GO.replace("users", "people"))
    await session.diagnostics(uri)
    resolved = await session.client.code_action_resolve_async(action)
    assert resolved.edit is None


@clients(CLIENTS[0], CLIENTS[1])  # documentChanges, changes
async def test_fix_all_command_applies_through_the_client(session: Session) -> None:
    uri = session.open("repo.go", TWO_LEAKS)
    await session.diagnostics(uri)
    applied = await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="gobex.fixAll", arguments=[uri])
    )
    assert applied is True
    (edit,) = await wait_for(lambda: session.recorder.applied, what="workspace/applyEdit")
    fixed = apply_text_edits(TWO_LEAKS, workspace_edit_for(edit, uri), session.encoding)
    assert fixed.count("defer rows.Close()") == 2


@clients(CLIENTS[0])
async def test_explain_command_returns_the_rule_page(session: Session) -> None:
    page = await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="gobex.explain", arguments=["unclosed-rows"])
    )
    assert isinstance(page, str)
    assert page.startswith("# PG001 unclosed-rows")
    for section in ("## What it does", "## Why is this bad", "## Example", "## Use instead"):
        assert section in page
    unknown = await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="gobex.explain", arguments=["XYZ999"])
    )
    assert unknown is None
