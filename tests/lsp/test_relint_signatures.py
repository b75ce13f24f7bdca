"""The partial re-lint after edits of signatures, and after an undo: the results
are those of a fresh parse and full lint, and the cheap path is taken.

An edit inside a function's or method's signature (name, receiver, parameters,
results) changes file-level facts, but only for the declarations that name the
function, look its name up, or read its declaration (gobex.lsp.relint): those
are re-checked, the rest kept. Editing back to an earlier text reuses the
results remembered for it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from gobex.config import Config
from gobex.engine import Engine
from gobex.facts import PackageIndex
from gobex.lsp.analysis import DocumentLinter
from gobex.lsp.convert import encoding_of
from gobex.lsp.document import Document
from gobex.lsp.relint import Mode, Relint, Relinter
from gobex.lsp.settings import Effective, ServerSettings
from gobex.source import SourceFile
from tests.lsp.helpers import UTF8, position
from tests.lsp.test_relint_property import FIXTURES, same

ENGINE = Engine(Config(preview=True))
EFFECTIVE = Effective(ENGINE, ServerSettings(), None)
WITH_BODY = ("function_declaration", "method_declaration")
SNIPPETS = ["x", "_", " int", ", y string", "*", "error", "(", ")", "[]", "ctx context.Context, "]


def signature_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the signatures (after ``func``, before the body)."""
    data = text.encode("utf-8")
    source = SourceFile.parse("f.go", data)
    spans = []
    for node in source.root.named_children:
        body = node.child_by_field_name("body")
        if node.type in WITH_BODY and body is not None:
            start = len(data[: node.start_byte + 4].decode("utf-8", "replace"))
            end = len(data[: body.start_byte].decode("utf-8", "replace"))
            spans.append((start, end))
    return spans


def replay(path: Path, steps: list[tuple[float, float, int, str]]) -> dict[Mode, int]:
    text = path.read_text(encoding="utf-8")
    document = Document.open("file:///signatures/f.go", None, 1, text)
    linter = DocumentLinter(ENGINE.models)
    linter.lint(document, EFFECTIVE, 0, {})
    modes: dict[Mode, int] = {}
    for version, (which, where, delete, insert) in enumerate(steps, start=2):
        spans = signature_spans(text)
        if not spans:
            break
        start, end = spans[int(which * len(spans)) % len(spans)]
        at = start + int(where * (end - start))
        cut = min(end, at + delete)
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=position(text, at, UTF8), end=position(text, cut, UTF8)),
            text=insert,
        )
        text = text[:at] + insert + text[cut:]
        document = document.changed([change], version, encoding_of(UTF8))
        analysis = linter.lint(document, EFFECTIVE, 0, {})
        modes[analysis.mode] = modes.get(analysis.mode, 0) + 1
        same(analysis.result, ENGINE.lint(SourceFile.parse(document.source.path, text.encode())))
    return modes


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    path=st.sampled_from(FIXTURES),
    steps=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.floats(min_value=0, max_value=1),
            st.integers(min_value=0, max_value=3),
            st.sampled_from(SNIPPETS),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_signature_edits_equal_a_fresh_lint(
    path: Path, steps: list[tuple[float, float, int, str]]
) -> None:
    replay(path, steps)


CALLER = """\
package p

import "fmt"

func load(id int) (string, error) {
\tif id < 0 {
\t\treturn "", fmt.Errorf("bad id %d", id)
\t}
\treturn fmt.Sprint(id), nil
}

func other() int {
\treturn 1
}

func show(id int) {
\tload(id)
}
"""


def test_a_signature_edit_is_relinted_partially_and_an_undo_for_free() -> None:
    """Changing `load`'s results to no error makes the dropped error in `show` go
    away (a partial re-lint: `show` names `load`); typing the old text back reuses
    the results remembered for it (no declaration is checked again)."""
    relinter = Relinter()

    def lint(source: SourceFile) -> Relint:
        package = PackageIndex.of([source], ENGINE.models)
        relint = relinter.lint(ENGINE, source, package, None, ())
        same(relint.result, ENGINE.lint(source))
        return relint

    source = SourceFile.parse("p.go", CALLER.encode())
    first = lint(source)
    assert [f.code for f in first.result.findings] == ["ERR003"]
    signature = "(string, error)"
    edited = source.with_text(CALLER.replace(signature, "string", 1).encode())
    analysis = lint(edited)
    assert analysis.mode is Mode.PARTIAL
    assert analysis.skeleton_changed
    assert analysis.result.findings == ()
    undone = lint(source.with_text(CALLER.encode()))
    assert undone.mode is Mode.PARTIAL
    assert undone.rechecked == 0
    assert [f.code for f in undone.result.findings] == ["ERR003"]


WRITER = """\
package p

import "io"

type counter struct{ n int }

func (c *counter) Write(p []byte) (int, error) {
\tc.n += len(p)
\treturn len(p), nil
}

func measure(c *counter, s string) int {
\tio.WriteString(c, s)
\treturn c.n
}
"""


def test_editing_a_method_found_through_facts_rechecks_its_readers() -> None:
    """`io.WriteString(c, s)` fails only when c's Write does: making Write fail
    reports the dropped error in `measure`, which never names Write."""
    document = Document.open("file:///signatures/w.go", None, 1, WRITER)
    linter = DocumentLinter(ENGINE.models)
    assert linter.lint(document, EFFECTIVE, 0, {}).result.findings == ()
    at = WRITER.index("return len(p), nil") + len("return len(p), ")
    edit = types.TextDocumentContentChangePartial(
        range=types.Range(start=position(WRITER, at, UTF8), end=position(WRITER, at + 3, UTF8)),
        text="io.EOF",
    )
    document = document.changed([edit], 2, encoding_of(UTF8))
    analysis = linter.lint(document, EFFECTIVE, 0, {})
    assert analysis.mode is Mode.PARTIAL
    assert [f.code for f in analysis.result.findings] == ["ERR003"]
    same(analysis.result, ENGINE.lint(document.source))
