"""Both position encodings (utf-16 with VS Code and Neovim 0.7, utf-8 with Neovim
0.11 and Emacs) with emoji, CJK and combining characters before and inside
flagged ranges: diagnostics, incremental edits, quick fixes and hover."""

from __future__ import annotations

from lsprotocol import types

from tests.lsp.conftest import Session
from tests.lsp.helpers import (
    apply_text_edits,
    change,
    find,
    position,
    span,
    workspace_edit_for,
)

CALL = "r.db.QueryContext(ctx, \"SELECT '😀' AS 名前, 'e\u0301'\")"
WIDE = f"""\
package repo

import (
\t"context"
\t"database/sql"
)

type Repo struct {{
\tdb *sql.DB
}}

// 名前 lists 😀 names.
func (r *Repo) 名前(ctx context.Context) (int, error) {{
\t行, err := /* 😀 e\u0301 名 */ {CALL}
\tif err != nil {{
\t\treturn 0, err
\t}}
\tn := 0
\tfor 行.Next() {{
\t\tn++
\t}}
\treturn n, nil
}}
"""


async def test_ranges_after_and_inside_wide_characters(session: Session) -> None:
    uri = session.open("wide.go", WIDE)
    (leak,) = await session.diagnostics(uri)
    assert leak.range == span(WIDE, CALL, session.encoding)
    # The start column differs between the encodings: a sanity check of the expectation.
    prefix = "\t行, err := /* 😀 e\u0301 名 */ "
    expected = len(prefix.encode("utf-8")) if session.encoding == "utf-8" else 25
    assert leak.range.start.character == expected


async def test_edits_next_to_an_emoji_land_where_the_client_means(session: Session) -> None:
    text = WIDE
    uri = session.open("wide.go", text)
    await session.diagnostics(uri)
    after_emoji = find(text, "😀") + 1
    session.edit(uri, change(text, after_emoji, after_emoji, "👍🏽x", session.encoding))
    text = text[:after_emoji] + "👍🏽x" + text[after_emoji:]
    combining = find(text, "e\u0301 名") + 2  # after the combining accent
    session.edit(uri, change(text, combining, combining + 2, "中", session.encoding))
    text = text[:combining] + "中" + text[combining + 2 :]
    (leak,) = await session.diagnostics(uri)
    assert leak.range == span(text, CALL, session.encoding)


async def test_quick_fix_and_hover_with_wide_characters(session: Session) -> None:
    uri = session.open("wide.go", WIDE)
    (leak,) = await session.diagnostics(uri)
    actions = await session.code_actions(uri, leak.range, [leak], only=["quickfix"])
    fix = await session.resolved(actions[0])
    assert fix.title == "gobex (PG001): Add `defer 行.Close()`"
    assert fix.edit is not None
    fixed = apply_text_edits(WIDE, workspace_edit_for(fix.edit, uri), session.encoding)
    assert fixed == WIDE.replace(
        "\t\treturn 0, err\n\t}\n", "\t\treturn 0, err\n\t}\n\tdefer 行.Close()\n"
    )

    inside = find(WIDE, "'😀'") + 2  # just after the emoji, inside the flagged call
    hover = await session.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(WIDE, inside, session.encoding),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert "PG001 unclosed-rows" in hover.contents.value
    before = find(WIDE, "/* 😀") + 4  # on the same line, before the flagged range
    nothing = await session.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(WIDE, before, session.encoding),
        )
    )
    assert nothing is None
