"""Engine values -> LSP values. Columns come from the SourceFile's LineIndex only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from lsprotocol import types

from gobex.docs import rule_url
from gobex.finding import Finding, Severity, TextEdit
from gobex.lineindex import Encoding, LineIndex
from gobex.registry import Registry

SOURCE = "gobex"
UNUSED_NOLINT = "IDM001"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def encoding_of(kind: str | None) -> Encoding:
    """The LineIndex encoding for a negotiated LSP position encoding."""
    return Encoding.UTF8 if kind == types.PositionEncodingKind.Utf8 else Encoding.UTF16


def position(lines: LineIndex, offset: int, encoding: Encoding) -> types.Position:
    line, character = lines.position(offset, encoding)
    return types.Position(line=line, character=character)


def to_range(lines: LineIndex, start: int, end: int, encoding: Encoding) -> types.Range:
    return types.Range(start=position(lines, start, encoding), end=position(lines, end, encoding))


def to_offset(lines: LineIndex, pos: types.Position, encoding: Encoding) -> int:
    return lines.offset(pos.line, pos.character, encoding)


def text_edits(
    lines: LineIndex, edits: Iterable[TextEdit], encoding: Encoding
) -> list[types.TextEdit]:
    """Byte-range edits of one document as LSP edits (all against the same text)."""
    return [
        types.TextEdit(range=to_range(lines, e.start, e.end, encoding), new_text=e.text)
        for e in sorted(edits, key=lambda e: (e.start, e.end))
    ]


def finding_key(finding: Finding) -> list[Any]:
    """What identifies a finding of one document version in a diagnostic's `data`."""
    return [finding.code, finding.start, finding.end]


def diagnostic(
    finding: Finding,
    lines: LineIndex,
    encoding: Encoding,
    uri: str,
    version: int | None,
    registry: Registry,
    docs_url: str,
) -> types.Diagnostic:
    """One finding as an LSP diagnostic; `data` names the finding and its fixes so a
    code action (or its resolve) can find them again for that document version."""
    rule = registry.by_code.get(finding.code)
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=to_range(lines, r.start, r.end, encoding)),
            message=r.message,
        )
        for r in finding.related
        if r.path is None
    ]
    tags = [types.DiagnosticTag.Unnecessary] if finding.code == UNUSED_NOLINT else None
    return types.Diagnostic(
        range=to_range(lines, finding.start, finding.end, encoding),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=(
            types.CodeDescription(href=rule_url(rule, docs_url)) if rule is not None else None
        ),
        source=SOURCE,
        related_information=related or None,
        tags=tags,
        data={
            "uri": uri,
            "version": version,
            "finding": finding_key(finding),
            "name": finding.name,
            "fixes": [fix.title for fix in finding.fixes],
        },
    )


def diagnostics(
    findings: Sequence[Finding],
    lines: LineIndex,
    encoding: Encoding,
    uri: str,
    version: int | None,
    registry: Registry,
    docs_url: str,
) -> list[types.Diagnostic]:
    return [diagnostic(f, lines, encoding, uri, version, registry, docs_url) for f in findings]


def skipped_diagnostic(reason: str) -> types.Diagnostic:
    """The one diagnostic a file that is not analysed gets (e.g. over the size limit)."""
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        ),
        message=f"gobex did not analyse this file: {reason}",
        severity=types.DiagnosticSeverity.Information,
        source=SOURCE,
    )
