"""Code actions: a quick fix per fix, "Suppress CODE on this line", and fix-all.

Clients that resolve code actions lazily get actions with `data` and no edit;
the edit is computed by ``codeAction/resolve``. Others (Emacs/Eglot keeps no
`data`) get the edit at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from gobex.finding import Finding, TextEdit
from gobex.fixer import fix_edits
from gobex.lineindex import Encoding
from gobex.lsp.analysis import Analysis
from gobex.lsp.convert import SOURCE, UNUSED_NOLINT, finding_key, text_edits, to_range
from gobex.lsp.suppress import suppress_edit
from gobex.models import ModelSet
from gobex.source import SourceFile

FIX_ALL = "source.fixAll.gobex"
FIX_ALL_TITLE = "gobex: Fix all auto-fixable problems"


@dataclass(frozen=True)
class EditStyle:
    """How the client wants edits: lazily resolved or not, versioned or not."""

    lazy: bool
    document_changes: bool


def kind_allowed(kind: str, only: Sequence[str] | None) -> bool:
    """`kind` is requested by `only` (kinds are hierarchical: ``source`` admits
    ``source.fixAll.gobex``)."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def workspace_edit(
    uri: str, version: int | None, edits: list[types.TextEdit], style: EditStyle
) -> types.WorkspaceEdit:
    if style.document_changes:
        document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        change = types.TextDocumentEdit(text_document=document, edits=list(edits))
        return types.WorkspaceEdit(document_changes=[change])
    return types.WorkspaceEdit(changes={uri: list(edits)})


def targets(
    analysis: Analysis, params: types.CodeActionParams, encoding: Encoding
) -> list[tuple[Finding, types.Diagnostic | None]]:
    """The findings the request is about: those of the context's gobex diagnostics
    or, when the context names none, those intersecting the range."""
    findings = analysis.result.findings
    by_key = {tuple(finding_key(f)): f for f in findings}
    lines = analysis.source.lines
    chosen: list[tuple[Finding, types.Diagnostic | None]] = []
    named = [d for d in params.context.diagnostics if d.source == SOURCE]
    for diag in named:
        found = None
        data = diag.data if isinstance(diag.data, Mapping) else {}
        key = data.get("finding")
        if data.get("version") == analysis.version and isinstance(key, list):
            found = by_key.get(tuple(key))
        if found is None:
            found = next(
                (
                    f
                    for f in findings
                    if f.code == diag.code
                    and to_range(lines, f.start, f.end, encoding) == diag.range
                ),
                None,
            )
        if found is not None and all(found is not f for f, _ in chosen):
            chosen.append((found, diag))
    if named:
        return chosen
    start = lines.offset(params.range.start.line, params.range.start.character, encoding)
    end = lines.offset(params.range.end.line, params.range.end.character, encoding)
    return [(f, None) for f in findings if f.start <= end and start <= f.end]


def _data(analysis: Analysis, action: str, finding: Finding | None, index: int = 0) -> Any:
    return {
        "uri": analysis.uri,
        "version": analysis.version,
        "action": action,
        "finding": finding_key(finding) if finding is not None else None,
        "fix": index,
    }


def finding_actions(
    analysis: Analysis,
    finding: Finding,
    diagnostic: types.Diagnostic | None,
    only: Sequence[str] | None,
    style: EditStyle,
    models: ModelSet,
    encoding: Encoding,
) -> list[types.CodeAction]:
    """Quick fixes for one finding (the first safe one preferred), then its suppression."""
    if not kind_allowed(types.CodeActionKind.QuickFix, only):
        return []
    actions: list[types.CodeAction] = []
    preferred = finding.preferred_fix()
    related = [diagnostic] if diagnostic is not None else None
    for index, fix in enumerate(finding.fixes):
        action = types.CodeAction(
            title=f"gobex ({finding.code}): {fix.title}",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=related,
            is_preferred=fix is preferred,
            data=_data(analysis, "fix", finding, index),
        )
        if not style.lazy:
            resolve(action, analysis, style, models, encoding)
        actions.append(action)
    if finding.code != UNUSED_NOLINT and suppress_edit(analysis.source, finding) is not None:
        action = types.CodeAction(
            title=f"gobex ({finding.code}): Suppress {finding.code} on this line",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=related,
            data=_data(analysis, "suppress", finding),
        )
        if not style.lazy:
            resolve(action, analysis, style, models, encoding)
        actions.append(action)
    return actions


def fix_all_action(analysis: Analysis, only: Sequence[str] | None) -> types.CodeAction | None:
    """The fix-all action (without its edit), when the document has a safe fix."""
    if not kind_allowed(FIX_ALL, only):
        return None
    if not any(f.preferred_fix() is not None for f in analysis.result.findings):
        return None
    return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, data=_data(analysis, "fixAll", None))


def resolve(
    action: types.CodeAction,
    analysis: Analysis,
    style: EditStyle,
    models: ModelSet,
    encoding: Encoding,
) -> types.CodeAction:
    """Fill in the edit of a quick fix or suppression action (in place). An action
    made for another version of the document is returned without an edit."""
    data = action.data if isinstance(action.data, Mapping) else {}
    if data.get("version") != analysis.version or data.get("uri") != analysis.uri:
        return action
    key = data.get("finding")
    finding = next(
        (f for f in analysis.result.findings if isinstance(key, list) and finding_key(f) == key),
        None,
    )
    if finding is None:
        return action
    source = analysis.source
    edits: list[TextEdit]
    if data.get("action") == "suppress":
        edit = suppress_edit(source, finding)
        edits = [edit] if edit is not None else []
    else:
        index = data.get("fix", 0)
        if not isinstance(index, int) or not 0 <= index < len(finding.fixes):
            return action
        edits = fix_edits(source, [finding.fixes[index]], models)
    lsp_edits = text_edits(source.lines, edits, encoding)
    action.edit = workspace_edit(analysis.uri, analysis.version, lsp_edits, style)
    return action


def replacement_edit(source: SourceFile, new: bytes, encoding: Encoding) -> list[types.TextEdit]:
    """One edit turning `source` into `new`: the changed lines, replaced whole."""
    old = source.data
    if old == new:
        return []
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    lines = source.lines
    start = lines.line_start(lines.line_of(prefix))
    old_end = len(old) - suffix
    end_line = lines.line_of(old_end)
    end = old_end
    if old_end > lines.line_start(end_line):
        end = max(old_end, lines.line_end(end_line))  # whole lines, never inside a character
    new_end = len(new) - (len(old) - end)
    text = new[start:new_end].decode("utf-8", "surrogateescape")
    return text_edits(lines, [TextEdit(start, end, text)], encoding)
