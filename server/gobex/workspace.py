"""Finding Go files on disk and linting them package by package."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Node

from gobex.config import Config
from gobex.engine import Engine, LintResult
from gobex.facts import PackageIndex
from gobex.finding import Applicability, Finding, Fix
from gobex.fixer import fix_until_stable, plan_fixes
from gobex.goversion import GoVersion, version_from_go_mod
from gobex.lineindex import Encoding
from gobex.models import ModelSet
from gobex.source import SourceFile
from gobex.suppression import is_generated_data

SKIPPED_DIRS = frozenset({"vendor", "testdata", "node_modules"})


def iter_go_files(
    paths: Sequence[Path],
    config: Config,
    on_error: Callable[[OSError], None] | None = None,
) -> Iterator[Path]:
    """Go files under `paths`: directories recurse (skipping vendor/, testdata/,
    hidden and excluded directories below them); files named explicitly are
    always kept, and so is a skipped directory named explicitly (`gobex check
    pkg/testdata` lints it), though `exclude` globs still apply inside it.
    Directories that cannot be read are passed to `on_error` and skipped."""
    seen: set[Path] = set()
    excluded = config.is_excluded if config.exclude else None
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=on_error):
                root_path = Path(root)
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith((".", "_"))
                    and d not in SKIPPED_DIRS
                    and not (excluded and excluded(root_path / d, defaults=False))
                )
                for name in sorted(files):
                    if not name.endswith(".go"):
                        continue
                    file = root_path / name
                    if file in seen or (excluded and excluded(file, defaults=False)):
                        continue
                    seen.add(file)
                    yield file
        elif path not in seen:
            seen.add(path)
            yield path


def group_by_directory(files: Iterable[Path]) -> list[list[Path]]:
    groups: dict[Path, list[Path]] = {}
    for file in files:
        groups.setdefault(file.parent, []).append(file)
    return list(groups.values())


@dataclass(frozen=True)
class Utf16Region:
    """A byte range as 1-based lines and columns, the end exclusive, with columns
    counted in UTF-16 code units: SARIF's default `columnKind` (and the LSP's). The
    CLI's own columns count characters; both come from the file's LineIndex."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class LocatedEdit:
    """One edit of a fix: replace `region` of the file with `text`."""

    region: Utf16Region
    text: str


@dataclass(frozen=True)
class LocatedFix:
    """One fix of a finding as regions of the file it was reported on: its edits plus
    the import edit it needs, as if it were the only fix applied to that file."""

    title: str
    applicability: Applicability
    edits: tuple[LocatedEdit, ...]


@dataclass(frozen=True)
class LocatedRelated:
    """A related location of a finding, in characters (1-based); `utf16` is the same
    range with UTF-16 columns."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    utf16: Utf16Region | None = None


@dataclass(frozen=True)
class Located:
    """A finding with its position in characters (1-based), for reporters; `utf16`
    is the same range with UTF-16 columns, `fixes` its fixes as regions (SARIF)."""

    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int
    source_line: str
    related: tuple[LocatedRelated, ...] = ()
    utf16: Utf16Region | None = None
    fixes: tuple[LocatedFix, ...] = ()


@dataclass(frozen=True)
class FileReport:
    """What linting (and maybe fixing) one file produced."""

    path: str
    located: tuple[Located, ...]
    result: LintResult
    error: str | None = None  # the file could not be read
    original: bytes | None = None  # set when fixes changed the file
    fixed: bytes | None = None
    fixes_applied: int = 0


def _span(source: SourceFile, start: int, end: int) -> tuple[int, int, int, int]:
    line, column = source.lines.position(start, Encoding.CHARS)
    end_line, end_column = source.lines.position(end, Encoding.CHARS)
    return line + 1, column + 1, end_line + 1, end_column + 1


def _utf16(source: SourceFile, start: int, end: int) -> Utf16Region:
    line, column = source.lines.position(start, Encoding.UTF16)
    end_line, end_column = source.lines.position(end, Encoding.UTF16)
    return Utf16Region(line + 1, column + 1, end_line + 1, end_column + 1)


def _located_fix(source: SourceFile, fix: Fix, models: ModelSet | None) -> LocatedFix | None:
    """`fix` alone, with the import edit it needs; None when that cannot be had (no
    models given, or the import edit would collide with the fix's own edits)."""
    edits = list(fix.edits)
    if fix.imports:
        if models is None:
            return None
        kept, edits = plan_fixes(source, [fix], models)
        if not kept:
            return None
    return LocatedFix(
        fix.title,
        fix.applicability,
        tuple(
            LocatedEdit(_utf16(source, edit.start, edit.end), edit.text)
            for edit in sorted(edits, key=lambda e: (e.start, e.end))
        ),
    )


def locate(
    source: SourceFile,
    findings: Iterable[Finding],
    package: PackageIndex | None = None,
    models: ModelSet | None = None,
) -> tuple[Located, ...]:
    """Convert byte ranges to 1-based character positions (the CLI's boundary), and to
    UTF-16 columns for SARIF, fix edits included (`models` resolves the imports a fix
    needs; without it, fixes that need an import are left out).
    Related locations in other files of the package are located in those files."""
    others = {f.source.path: f.source for f in package.files} if package is not None else {}
    out = []
    for finding in findings:
        line, column, end_line, end_column = _span(source, finding.start, finding.end)
        related = []
        for item in finding.related:
            owner = source if item.path is None else others.get(item.path)
            if owner is None:
                continue
            related.append(
                LocatedRelated(
                    owner.path,
                    *_span(owner, item.start, item.end),
                    item.message,
                    _utf16(owner, item.start, item.end),
                )
            )
        fixes = (_located_fix(source, fix, models) for fix in finding.fixes)
        out.append(
            Located(
                finding,
                line,
                column,
                end_line,
                end_column,
                source.lines.line_text(line - 1),
                tuple(related),
                _utf16(source, finding.start, finding.end),
                tuple(fix for fix in fixes if fix is not None),
            )
        )
    return tuple(out)


def module_version(path: Path, config: Config) -> GoVersion | None:
    return config.go_version or version_from_go_mod(path)


def package_name(source: SourceFile) -> str:
    for child in source.root.named_children:
        if child.type == "package_clause":
            name: Node | None = child.named_child(0)
            if name is not None and name.text is not None:
                return name.text.decode("utf-8", "replace")
    return ""


def lint_directory(
    engine: Engine,
    files: Sequence[Path],
    *,
    fix: bool = False,
    unsafe_fixes: bool = False,
) -> list[FileReport]:
    """Lint files of one directory, each with its package's other files as context."""
    reports: list[FileReport] = []
    sources: list[tuple[Path, SourceFile]] = []
    version = module_version(files[0].parent, engine.config) if files else None
    contents: list[tuple[Path, bytes]] = []
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as exc:
            message = f"cannot read {file}: {exc.strerror or exc}"
            reports.append(FileReport(str(file), (), LintResult(str(file), ()), error=message))
            continue
        contents.append((file, data))
    # A directory of generated (or oversized) files only: none is analysed, and no
    # other file needs their declarations, so none is parsed.
    reasons = [engine.skip_reason_for(data) for _, data in contents]
    if all(reason is not None for reason in reasons):
        for (file, _), reason in zip(contents, reasons, strict=True):
            reports.append(FileReport(str(file), (), LintResult(str(file), (), skipped=reason)))
        return reports
    # A file over the size limit is not parsed at all, not even for the package's
    # declarations (the limit protects the process's memory).
    for (file, data), reason in zip(contents, reasons, strict=True):
        if len(data) > engine.config.max_file_size:
            reports.append(FileReport(str(file), (), LintResult(str(file), (), skipped=reason)))
    kept = [
        (entry, reason)
        for entry, reason in zip(contents, reasons, strict=True)
        if len(entry[1]) <= engine.config.max_file_size
    ]
    contents = [entry for entry, _ in kept]
    reasons = [reason for _, reason in kept]
    names: list[str] = []
    for (file, data), reason in zip(contents, reasons, strict=True):
        # A generated file is read for its declarations only (as the language server
        # reads a generated file beside an open document).
        generated = reason is not None and is_generated_data(data)
        parse = SourceFile.parse_declarations if generated else SourceFile.parse
        source = parse(str(file), data, version)
        sources.append((file, source))
        names.append(package_name(source))
    by_package: dict[str, list[SourceFile]] = {}
    for (_, source), name in zip(sources, names, strict=True):
        by_package.setdefault(name, []).append(source)
    indexes = {name: PackageIndex.of(group, engine.models) for name, group in by_package.items()}
    for (file, source), name, reason in zip(sources, names, reasons, strict=True):
        if reason is not None:  # its bodies are blanked: reported as skipped, never linted
            reports.append(FileReport(str(file), (), LintResult(str(file), (), skipped=reason)))
            continue
        package = indexes[name]
        reports.append(
            lint_source(engine, source, package, file, fix=fix, unsafe_fixes=unsafe_fixes)
        )
    return reports


def lint_source(
    engine: Engine,
    source: SourceFile,
    package: PackageIndex | None,
    file: Path | None,
    *,
    fix: bool = False,
    unsafe_fixes: bool = False,
) -> FileReport:
    """Lint one parsed file; with `fix`, apply fixes first and report what remains."""
    original: bytes | None = None
    fixed: bytes | None = None
    applied = 0
    if fix:
        siblings = [f.source for f in package.files if f.source is not source] if package else []

        def run(current: SourceFile) -> Sequence[Finding]:
            index = PackageIndex.of([current, *siblings], engine.models)
            return engine.lint(current, index, file).findings

        outcome = fix_until_stable(source, run, engine.models, unsafe=unsafe_fixes)
        if outcome.data != source.data:
            original, fixed, applied = source.data, outcome.data, outcome.applied
            source = source.with_text(outcome.data)
            package = PackageIndex.of([source, *siblings], engine.models)
    result = engine.lint(source, package, file)
    return FileReport(
        source.path,
        locate(source, result.findings, package, engine.models),
        result,
        original=original,
        fixed=fixed,
        fixes_applied=applied,
    )
