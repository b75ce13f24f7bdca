"""Document.changed: LSP content changes applied to the bytes and the tree."""

from __future__ import annotations

import pytest
from lsprotocol import types

from gobex.lsp.convert import encoding_of
from gobex.lsp.document import Document, encode
from gobex.source import SourceFile
from tests.lsp.helpers import UTF8, UTF16, position

TEXT = 'package p\n\n// 😀 e\u0301 中\nfunc f() {\r\n\tx := "👩‍👩‍👧"\r\n}\n'


def partial(
    text: str, start: int, end: int, new: str, encoding: str
) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=position(text, start, encoding), end=position(text, end, encoding)),
        text=new,
    )


@pytest.mark.parametrize("encoding", [UTF8, UTF16])
def test_changes_apply_in_order_around_wide_characters_and_crlf(encoding: str) -> None:
    document = Document.open("file:///p/f.go", None, 1, TEXT)
    text = TEXT
    family = text.index("👩")
    first = partial(text, family + 1, family + 2, "🧑", encoding)  # inside a ZWJ sequence
    text = text[: family + 1] + "🧑" + text[family + 2 :]
    crlf = text.index("\r\n")
    second = partial(text, crlf, crlf + 2, " // x\r\n", encoding)
    text = text[:crlf] + " // x\r\n" + text[crlf + 2 :]
    changed = document.changed([first, second], 2, encoding_of(encoding))
    assert changed.data == text.encode()
    assert changed.version == 2
    assert str(changed.source.root) == str(SourceFile.parse("f.go", text.encode()).root)
    assert document.data == TEXT.encode()  # the old snapshot is untouched


def test_a_whole_document_change_resets_and_later_changes_apply_to_it() -> None:
    document = Document.open("file:///p/f.go", None, 1, TEXT)
    whole = types.TextDocumentContentChangeWholeDocument(text="package q\n")
    after = partial("package q\n", 8, 9, "r", UTF16)
    changed = document.changed(
        [partial(TEXT, 0, 1, "X", UTF16), whole, after], 3, encoding_of(UTF16)
    )
    assert changed.data == b"package r\n"


def test_lone_surrogates_from_json_do_not_fail() -> None:
    assert encode("a\ud800b") == b"a\xed\xa0\x80b"
    document = Document.open("file:///p/f.go", None, 1, "package p // \ud800")
    assert document.data.startswith(b"package p")
