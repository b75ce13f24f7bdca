"""``--format markdown``: a review summary to post as a pull-request comment.

A heading with the number of problems by severity, a table per file (line, severity,
rule, message, whether a fix is available), and the rules involved with links to
their pages. No findings: one line saying so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from gobex.docs import rule_url
from gobex.finding import Severity
from gobex.registry import Registry
from gobex.workspace import FileReport, Located

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def _count(number: int, severity: Severity) -> str:
    plural = "s" if number != 1 and severity is not Severity.INFO else ""
    return f"{number} {severity.value}{plural}"


def _plain(text: str) -> str:
    """Text outside code spans: no HTML (a `<T>` must not vanish as a tag)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline(text: str) -> str:
    """`text` as inline Markdown on one line: code spans kept as they are, HTML
    special characters escaped outside them."""
    text = " ".join(text.splitlines()).strip()
    parts: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_plain(text[position : span.start()]))
        parts.append(span.group(0))
        position = span.end()
    parts.append(_plain(text[position:]))
    return "".join(parts)


def cell(text: str) -> str:
    """`text` as one table cell: `inline`, with pipes escaped (inside code spans too,
    as GFM tables require)."""
    return inline(text).replace("|", "\\|")


def code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fix_cell(located: Located) -> str:
    finding = located.finding
    if finding.preferred_fix() is not None:
        return "yes"
    if finding.fixes:
        return "unsafe"
    return "no"


def write_markdown(
    reports: Sequence[FileReport], out: TextIO, registry: Registry, *, fixed: int = 0
) -> None:
    files = [r for r in reports if r.located]
    total = sum(len(r.located) for r in files)
    fixed_line = (
        f"{fixed} problem{'s' if fixed != 1 else ''} fixed by `gobex check --fix`.\n"
        if fixed
        else ""
    )
    if total == 0:
        checked = len(reports)
        out.write(
            f"**gobex**: no problems found ({checked} file{'s' if checked != 1 else ''} "
            "checked).\n" + (f"\n{fixed_line}" if fixed_line else "")
        )
        return
    severities = Counter(item.finding.severity for r in files for item in r.located)
    counts = ", ".join(_count(severities[s], s) for s in _SEVERITIES if severities[s])
    problems = "problem" if total == 1 else "problems"
    out.write(f"## gobex: {total} {problems} ({counts})\n\n")
    noun = "file" if len(files) == 1 else "files"
    safe = sum(1 for r in files for item in r.located if item.finding.preferred_fix())
    summary = f"Found in {len(files)} {noun}"
    if safe:
        summary += f"; {safe} can be fixed with `gobex check --fix`"
    out.write(summary + ".\n")
    if fixed_line:
        out.write(fixed_line)

    for report in files:
        out.write(f"\n### {code(report.path)}\n\n")
        out.write("| Line | Severity | Rule | Message | Fix |\n|---:|---|---|---|---|\n")
        for located in report.located:
            finding = located.finding
            rule = registry.get(finding.code)
            label = f"[{finding.code}]({rule_url(rule)})" if rule is not None else finding.code
            out.write(
                f"| {located.line} | {finding.severity.value} | {label} {code(finding.name)} "
                f"| {cell(finding.message)} | {_fix_cell(located)} |\n"
            )

    by_code = Counter(item.finding.code for r in files for item in r.located)
    out.write("\n### Rules\n\n")
    for rule_code in sorted(by_code):
        rule = registry.get(rule_code)
        times = by_code[rule_code]
        tally = f"{times} finding{'s' if times != 1 else ''}"
        if rule is None:
            out.write(f"- {rule_code}: {tally}\n")
            continue
        out.write(
            f"- [{rule.code} {code(rule.name)}]({rule_url(rule)}): "
            f"{inline(rule.summary)} ({tally})\n"
        )
