"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

    ::error file=db.go,line=12,col=3,endLine=12,endColumn=9,title=PG001 unclosed-rows::rows …

Severities map to ``error``, ``warning`` and ``notice``. The path is relative to the
working directory (run gobex from the repository root) with forward slashes; columns
count characters, 1-based, the end exclusive, as in ``--format jsonl``. GitHub takes
columns only for a single-line annotation, so a finding spanning lines gives
``line`` and ``endLine`` alone. Property values escape ``%``, CR, LF, ``:`` and ``,``;
the message escapes ``%``, CR and LF, as the Actions runner expects.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from gobex.cli.paths import ci_path
from gobex.finding import Severity
from gobex.workspace import FileReport, Located

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``key=value``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, located: Located) -> str:
    """The workflow command for one finding, without the line break."""
    finding = located.finding
    properties = [("file", path), ("line", str(located.line))]
    if located.end_line == located.line:
        properties += [
            ("col", str(located.column)),
            ("endLine", str(located.end_line)),
            ("endColumn", str(located.end_column)),
        ]
    else:
        properties.append(("endLine", str(located.end_line)))
    properties.append(("title", f"{finding.code} {finding.name}"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(finding.message)}"


def write_github(reports: Sequence[FileReport], out: TextIO, *, cwd: Path | None = None) -> None:
    where = cwd or Path.cwd()
    for report in reports:
        path = ci_path(report.path, where)[0]
        for located in report.located:
            out.write(annotation(path, located) + "\n")
