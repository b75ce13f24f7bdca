"""Hover on a flagged range: the page of each rule reported there."""

from __future__ import annotations

from lsprotocol import types

from gobex.docs import rule_page, rule_url
from gobex.lineindex import Encoding
from gobex.lsp.analysis import Analysis
from gobex.lsp.convert import to_range
from gobex.registry import Registry


def hover(
    analysis: Analysis, offset: int, encoding: Encoding, registry: Registry
) -> types.Hover | None:
    """Markdown with the message and rule page of every finding whose range holds
    `offset`; None elsewhere."""
    hits = [f for f in analysis.result.findings if f.start <= offset <= f.end]
    if not hits:
        return None
    sections = []
    shown: set[str] = set()
    for finding in hits:
        rule = registry.by_code.get(finding.code)
        if rule is None or rule.code in shown:
            continue
        shown.add(rule.code)
        link = rule_url(rule, analysis.effective.server.docs_url)
        sections.append(f"**{finding.message}**\n\n{rule_page(rule)}\n[Rule page]({link})")
    if not sections:
        return None
    first = hits[0]
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)
        ),
        range=to_range(analysis.source.lines, first.start, first.end, encoding),
    )
