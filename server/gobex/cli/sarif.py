"""``--format sarif``: one SARIF 2.1.0 log, for GitHub code scanning and SARIF viewers.

- One run; ``tool.driver.rules`` holds every rule the run had enabled (plus any rule
  that reported without being listed), each with its page as ``help``; results refer
  to them by ``ruleId`` and ``ruleIndex``.
- Levels: ``error`` → ``error``, ``warning`` → ``warning``, ``info`` → ``note``;
  a rule's ``defaultConfiguration.level`` is its configured severity.
- Paths: relative to the working directory with forward slashes, percent-encoded,
  under ``uriBaseId`` ``%SRCROOT%`` (the working directory, in
  ``originalUriBaseIds``); a file outside it gets an absolute ``file:`` URI.
- Columns count UTF-16 code units, SARIF's default ``columnKind`` (also stated on the
  run), so that a consumer that ignores ``columnKind`` still places regions right
  (``unicodeCodePoints`` would be wrong for them on lines with characters outside
  the BMP); they come from the file's LineIndex (`Located.utf16`), the one place
  columns are computed. Lines and columns are 1-based, ends exclusive.
- ``fixes``: every fix of a finding, safe ones first; each is standalone (its own
  edits plus the import it needs, as regions of the reported file), described by
  its title, with ``properties.applicability`` ``safe`` or ``unsafe``.
- ``invocations[0].executionSuccessful`` is false when the run had an internal
  error (an unreadable file, a rule that crashed); those are its notifications.
- Written with ASCII escapes, so the log is valid whatever stdout's encoding is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from gobex import __version__
from gobex.cli.paths import ci_path
from gobex.docs import rule_page, rule_url
from gobex.engine import Engine
from gobex.finding import Applicability, Severity
from gobex.rule import Group, Rule
from gobex.workspace import FileReport, Located, Utf16Region

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/gobex-dev/gobex"
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

Json = dict[str, object]


def sarif_log(
    reports: Sequence[FileReport], engine: Engine, *, cwd: Path, successful: bool = True
) -> Json:
    """The SARIF log of `reports` (as a JSON-ready dict)."""
    rules = _descriptors(reports, engine)
    index = {str(rule["id"]): number for number, rule in enumerate(rules)}
    results: list[Json] = []
    for report in reports:
        artifact = _artifact(report.path, cwd)
        for located in report.located:
            results.append(_result(located, artifact, index, cwd))
    invocation: Json = {"executionSuccessful": successful}
    notifications = _notifications(reports, cwd)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: Json = {
        "tool": {
            "driver": {
                "name": "gobex",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": cwd.as_uri().rstrip("/") + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def write_sarif(
    reports: Sequence[FileReport],
    out: TextIO,
    engine: Engine,
    *,
    cwd: Path | None = None,
    successful: bool = True,
) -> None:
    log = sarif_log(reports, engine, cwd=cwd or Path.cwd(), successful=successful)
    out.write(json.dumps(log, indent=2) + "\n")


# -- rules ---------------------------------------------------------------------------


def _descriptors(reports: Sequence[FileReport], engine: Engine) -> list[Json]:
    """The enabled rules, plus the rule of any finding that is not among them, by code."""
    descriptors = {rule.code: _descriptor(rule, engine) for rule in engine.rules}
    for report in reports:
        for located in report.located:
            finding = located.finding
            if finding.code in descriptors:
                continue
            rule = engine.registry.get(finding.code)
            descriptors[finding.code] = (
                _descriptor(rule, engine)
                if rule is not None
                else {
                    # A finding whose rule the registry does not know: what it tells.
                    "id": finding.code,
                    "name": finding.name,
                    "shortDescription": {"text": f"{finding.code} {finding.name}"},
                    "defaultConfiguration": {"level": LEVELS[finding.severity]},
                }
            )
    return [descriptors[code] for code in sorted(descriptors)]


def _descriptor(rule: Rule, engine: Engine) -> Json:
    page = rule_page(rule)
    what = rule.sections().get("What it does", "")
    tags = [rule.area, *(["preview"] if rule.group is Group.PREVIEW else [])]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or f"{rule.code} {rule.name}"},
        "fullDescription": {"text": what or rule.summary or f"{rule.code} {rule.name}"},
        "helpUri": rule_url(rule),
        "help": {"text": page, "markdown": page},
        "defaultConfiguration": {"level": LEVELS[engine.severity(rule)]},
        "properties": {"tags": tags},
    }


# -- results -------------------------------------------------------------------------


def _artifact(path: str, cwd: Path) -> Json:
    posix, inside = ci_path(path, cwd)
    if inside:
        return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}
    return {"uri": Path(posix).as_uri()}


def _region(region: Utf16Region) -> Json:
    return {
        "startLine": region.line,
        "startColumn": region.column,
        "endLine": region.end_line,
        "endColumn": region.end_column,
    }


def _result(located: Located, artifact: Json, index: dict[str, int], cwd: Path) -> Json:
    finding = located.finding
    # Located always has utf16 when it comes from workspace.locate; characters otherwise.
    region = located.utf16 or Utf16Region(
        located.line, located.column, located.end_line, located.end_column
    )
    result: Json = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact, "region": _region(region)}}
        ],
    }
    if located.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": {
                    "artifactLocation": _artifact(item.path, cwd),
                    "region": _region(
                        item.utf16
                        or Utf16Region(item.line, item.column, item.end_line, item.end_column)
                    ),
                },
                "message": {"text": item.message},
            }
            for number, item in enumerate(located.related, start=1)
        ]
    fixes = sorted(located.fixes, key=lambda fix: fix.applicability is not Applicability.SAFE)
    if fixes:
        result["fixes"] = [
            {
                "description": {"text": fix.title},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": _region(edit.region),
                                "insertedContent": {"text": edit.text},
                            }
                            for edit in fix.edits
                        ],
                    }
                ],
                "properties": {"applicability": fix.applicability.value},
            }
            for fix in fixes
        ]
    return result


def _notifications(reports: Sequence[FileReport], cwd: Path) -> list[Json]:
    notes: list[Json] = []
    for report in reports:
        if report.error:
            notes.append({"level": "error", "message": {"text": report.error}})
        for failure in report.result.failures:
            notes.append(
                {
                    "level": "error",
                    "message": {"text": f"rule {failure.code} crashed: {failure.error}"},
                    "associatedRule": {"id": failure.code},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": _artifact(str(failure.path), cwd),
                                "region": {"startLine": failure.line},
                            }
                        }
                    ],
                }
            )
    return notes
