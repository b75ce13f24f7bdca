"""Findings -> LSP diagnostics: every field, related locations, tags."""

from __future__ import annotations

from lsprotocol import types

from gobex.finding import Finding, Fix, Related, Severity, TextEdit
from gobex.lineindex import Encoding, LineIndex
from gobex.lsp.convert import diagnostic
from gobex.registry import default_registry

TEXT = "package p\n\nfunc f() {\n\tp := sarama.NewAsyncProducer(nil, cfg) // 😀\n}\n".encode()


def test_related_locations_severity_and_data() -> None:
    lines = LineIndex(TEXT)
    start = TEXT.index(b"sarama")
    finding = Finding(
        code="PG001",
        name="unclosed-rows",
        start=start,
        end=start + 6,
        message="m",
        severity=Severity.WARNING,
        fixes=(Fix("first", (TextEdit(0, 0, "x"),)), Fix("second", ())),
        related=(Related(0, 7, "declared here"), Related(1, 2, "elsewhere", path="/other.go")),
    )
    found = diagnostic(
        finding, lines, Encoding.UTF16, "file:///p/f.go", 7, default_registry(), "https://x/{code}"
    )
    assert found.severity == types.DiagnosticSeverity.Warning
    assert found.range == types.Range(
        start=types.Position(line=3, character=6), end=types.Position(line=3, character=12)
    )
    assert found.code_description == types.CodeDescription(href="https://x/PG001")
    assert found.tags is None
    (related,) = found.related_information or []  # only same-file locations have ranges here
    assert related.message == "declared here"
    assert related.location.uri == "file:///p/f.go"
    assert related.location.range.end == types.Position(line=0, character=7)
    assert found.data == {
        "uri": "file:///p/f.go",
        "version": 7,
        "finding": ["PG001", start, start + 6],
        "name": "unclosed-rows",
        "fixes": ["first", "second"],
    }


def test_unused_nolint_is_tagged_unnecessary() -> None:
    finding = Finding("IDM001", "unused-nolint", 0, 7, "unused", Severity.INFO)
    found = diagnostic(
        finding,
        LineIndex(TEXT),
        Encoding.UTF8,
        "file:///f.go",
        None,
        default_registry(),
        "https://x/{code}",
    )
    assert found.tags == [types.DiagnosticTag.Unnecessary]
    assert found.severity == types.DiagnosticSeverity.Information
