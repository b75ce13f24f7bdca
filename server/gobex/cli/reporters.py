"""Output formats of ``gobex check``: text (ruff-like) and JSON Lines (a contract)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from gobex.finding import Severity
from gobex.workspace import FileReport, Located


@dataclass(frozen=True)
class Style:
    """ANSI styling, or none when output is not a terminal."""

    enabled: bool

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def red(self, text: str) -> str:
        return self._wrap("1;31", text)

    def yellow(self, text: str) -> str:
        return self._wrap("1;33", text)

    def blue(self, text: str) -> str:
        return self._wrap("1;34", text)

    def cyan(self, text: str) -> str:
        return self._wrap("36", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def severity(self, severity: Severity, text: str) -> str:
        if severity is Severity.ERROR:
            return self.red(text)
        if severity is Severity.WARNING:
            return self.yellow(text)
        return self.blue(text)


def write_jsonl(reports: Sequence[FileReport], out: TextIO) -> None:
    """One JSON object per finding: path, line, column, end_line, end_column
    (1-based, columns in characters), code, name, severity, message, fixable,
    plus fix (title, applicability) when fixable and related (a list of
    path/line/column/end_line/end_column/message) when the finding has any."""
    for report in reports:
        for located in report.located:
            finding = located.finding
            fix = finding.fixes[0] if finding.fixes else None
            record: dict[str, object] = {
                "path": report.path,
                "line": located.line,
                "column": located.column,
                "end_line": located.end_line,
                "end_column": located.end_column,
                "code": finding.code,
                "name": finding.name,
                "severity": finding.severity.value,
                "message": finding.message,
                "fixable": finding.fixable,
            }
            if fix is not None:
                record["fix"] = {"title": fix.title, "applicability": fix.applicability.value}
            if located.related:
                record["related"] = [
                    {
                        "path": item.path,
                        "line": item.line,
                        "column": item.column,
                        "end_line": item.end_line,
                        "end_column": item.end_column,
                        "message": item.message,
                    }
                    for item in located.related
                ]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def display_width(text: str) -> int:
    """Terminal cells `text` takes: wide (CJK, most emoji) characters take two,
    combining marks and format characters none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Me", "Mn", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


TAB_WIDTH = 4


def _caret_line(located: Located, line: str) -> tuple[int, int]:
    """Indent and width, in terminal cells, of the caret span under `line` (the
    finding's first line, tabs not yet expanded). Positions are characters; the
    carets are placed by display width, tabs expanded, so that they sit under the
    flagged text as printed."""
    start = located.column - 1
    if located.end_line == located.line:
        end = max(start + 1, located.end_column - 1)
    else:
        end = max(start + 1, len(line.rstrip()))
    indent = display_width(line[:start].expandtabs(TAB_WIDTH))
    through = display_width(line[:end].expandtabs(TAB_WIDTH))
    return indent, max(1, through - indent)


def write_text(
    reports: Sequence[FileReport], out: TextIO, style: Style, show_source: bool = True
) -> None:
    """``path:line:col: CODE message``, the source line with a caret span, ``note:``
    lines for related locations, ``help:`` with the fix title."""
    for report in reports:
        for located in report.located:
            finding = located.finding
            fixable = finding.preferred_fix(unsafe=True)
            marker = " [*]" if finding.preferred_fix() is not None else ""
            location = style.bold(f"{report.path}:{located.line}:{located.column}:")
            code = style.severity(finding.severity, finding.code)
            out.write(f"{location} {code}{marker} {finding.message}\n")
            if not show_source:
                continue
            gutter = str(located.line)
            pad = " " * len(gutter)
            raw_line = located.source_line.rstrip("\r\n")
            source_line = raw_line.expandtabs(TAB_WIDTH)
            start, width = _caret_line(located, raw_line)
            out.write(style.blue(f"{pad} |") + "\n")
            out.write(style.blue(f"{gutter} |") + f" {source_line}\n")
            carets = " " * start + "^" * width
            out.write(
                style.blue(f"{pad} |") + " " + style.severity(finding.severity, carets) + "\n"
            )
            for item in located.related:
                where = f"{item.path}:{item.line}:{item.column}"
                out.write(
                    style.blue(f"{pad} =") + f" {style.cyan('note')}: {where}: {item.message}\n"
                )
            if fixable is not None:
                unsafe = "" if fixable.is_safe else " (unsafe)"
                out.write(
                    style.blue(f"{pad} =") + f" {style.cyan('help')}: {fixable.title}{unsafe}\n"
                )
            out.write("\n")


def write_summary(
    reports: Sequence[FileReport], out: TextIO, style: Style, *, fixed: int, unsafe_hint: bool
) -> None:
    total = sum(len(r.located) for r in reports)
    safe = sum(1 for r in reports for item in r.located if item.finding.preferred_fix() is not None)
    unsafe_only = sum(
        1
        for r in reports
        for item in r.located
        if item.finding.fixes and item.finding.preferred_fix() is None
    )
    if total == 0:
        if fixed:
            out.write(
                f"Found {fixed} problem{'s' if fixed != 1 else ''} ({fixed} fixed, 0 remaining).\n"
            )
        else:
            out.write(style.bold("All checks passed!") + "\n")
        return
    if fixed:
        out.write(f"Found {total + fixed} problems ({fixed} fixed, {total} remaining).\n")
    else:
        out.write(f"Found {total} problem{'s' if total != 1 else ''}.\n")
    if safe:
        out.write(f"[*] {safe} fixable with `gobex check --fix`.\n")
    if unsafe_only and unsafe_hint:
        out.write(f"{unsafe_only} more fixable with `--fix --unsafe-fixes`.\n")


def write_statistics(reports: Sequence[FileReport], out: TextIO, style: Style) -> None:
    """Counts per rule, most frequent first (like ruff --statistics)."""
    counts: Counter[tuple[str, str]] = Counter()
    fixable: dict[str, bool] = {}
    for report in reports:
        for located in report.located:
            key = (located.finding.code, located.finding.name)
            counts[key] += 1
            fixable[located.finding.code] = fixable.get(located.finding.code, False) or (
                located.finding.preferred_fix() is not None
            )
    width = max((len(str(n)) for n in counts.values()), default=1)
    for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        marker = "[*]" if fixable[code] else "[ ]"
        out.write(f"{count:>{width}}\t{style.bold(code)}\t{marker} {name}\n")
