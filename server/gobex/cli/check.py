"""``gobex check``: lint paths, report, fix."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

from gobex.cli.main import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from gobex.cli.reporters import Style, write_jsonl, write_statistics, write_summary, write_text
from gobex.config import Config, ConfigError, find_config, load_config
from gobex.engine import Engine
from gobex.goversion import GoVersion
from gobex.registry import Registry, default_registry
from gobex.source import SourceFile
from gobex.workspace import (
    FileReport,
    group_by_directory,
    iter_go_files,
    lint_directory,
    lint_source,
    module_version,
)


def _split(values: Sequence[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def load_effective_config(args: argparse.Namespace) -> tuple[Config, list[ConfigError]]:
    """The config file (explicit or nearest) with command-line overrides."""
    errors: list[ConfigError] = []
    config = Config()
    if args.config:
        path = Path(args.config)
        if not path.is_file():
            raise FileNotFoundError(f"config file not found: {args.config}")
        config, errors = load_config(path)
    else:
        first = Path(args.stdin_filename) if args.paths == ["-"] and args.stdin_filename else None
        start = first or Path(args.paths[0] if args.paths and args.paths[0] != "-" else ".")
        # The stdin file name need not exist (an unsaved buffer): its directories are searched.
        found = find_config(start)
        if found is not None:
            config, errors = load_config(found)
    overrides: dict[str, object] = {}
    select = _split(args.select)
    if select is not None:
        overrides["select"] = select
    extend = _split(args.extend_select)
    if extend:
        overrides["extend_select"] = config.extend_select + extend
    ignore = _split(args.ignore)
    if ignore:
        overrides["ignore"] = config.ignore + ignore
    if args.preview:
        overrides["preview"] = True
    if args.go_version:
        overrides["go_version"] = GoVersion.parse(args.go_version)
    return config.with_overrides(**overrides), errors


def unknown_selectors(args: argparse.Namespace, registry: Registry) -> list[str]:
    """Errors for --select/--extend-select/--ignore values that name no rule."""
    problems = []
    for flag, values in (
        ("--select", args.select),
        ("--extend-select", args.extend_select),
        ("--ignore", args.ignore),
    ):
        for selector in _split(values) or ():
            if registry.resolve(selector) is None:
                problems.append(f"{flag}: unknown rule or prefix {selector!r} (see `gobex rules`)")
    return problems


# -- workers -----------------------------------------------------------------------
_WORKER_ENGINE: list[Engine] = []  # one per worker process, set by the initializer


def _init_worker(config: Config, registry: Registry | None) -> None:
    _WORKER_ENGINE.append(Engine(config, registry=registry))


def _work(task: tuple[list[Path], bool, bool]) -> list[FileReport]:
    files, fix, unsafe = task
    return lint_directory(_WORKER_ENGINE[-1], files, fix=fix, unsafe_fixes=unsafe)


class _Progress:
    """A one-line progress bar on stderr when it is a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.enabled = enabled and total >= 50

    def advance(self, count: int) -> None:
        self.done += count
        if self.enabled:
            width = 30
            filled = width * self.done // max(1, self.total)
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} files")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def _lint_files(
    engine: Engine,
    custom_registry: Registry | None,
    files: list[Path],
    jobs: int,
    fix: bool,
    unsafe: bool,
    progress: _Progress,
) -> Iterator[FileReport]:
    groups = group_by_directory(files)
    if jobs <= 1 or len(groups) <= 1:
        for group in groups:
            reports = lint_directory(engine, group, fix=fix, unsafe_fixes=unsafe)
            progress.advance(len(group))
            yield from reports
        return
    # Big directories (in bytes) first, so one large package does not finish last alone.
    groups.sort(key=_bytes, reverse=True)
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(groups)),
        initializer=_init_worker,
        initargs=(engine.config, custom_registry),
    ) as pool:
        for reports in pool.map(_work, [(g, fix, unsafe) for g in groups], chunksize=1):
            progress.advance(len(reports))
            yield from reports


def _bytes(files: list[Path]) -> int:
    total = 0
    for file in files:
        with contextlib.suppress(OSError):
            total += file.stat().st_size
    return total


def _lint_stdin(args: argparse.Namespace, engine: Engine, data: bytes, fix: bool) -> FileReport:
    name = args.stdin_filename or "<stdin>"
    path = Path(args.stdin_filename) if args.stdin_filename else None
    version = module_version(path.parent, engine.config) if path else engine.config.go_version
    source = SourceFile.parse(name, data, version)
    return lint_source(engine, source, None, path, fix=fix, unsafe_fixes=args.unsafe_fixes)


def _unified_diff(report: FileReport) -> str:
    assert report.original is not None and report.fixed is not None
    before = report.original.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    after = report.fixed.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{report.path}", f"b/{report.path}"))


def run_check(args: argparse.Namespace, registry: Registry | None = None) -> int:
    """`gobex check`; `registry` replaces gobex's own rules (tests, embedders)."""
    err: TextIO = sys.stderr
    try:
        config, config_errors = load_effective_config(args)
    except (FileNotFoundError, ValueError) as exc:
        err.write(f"gobex: error: {exc}\n")
        return EXIT_ERROR
    usage_errors = unknown_selectors(args, registry or default_registry())
    if usage_errors:
        for usage_error in usage_errors:
            err.write(f"gobex: error: {usage_error}\n")
        return EXIT_ERROR
    engine = Engine(config, registry=registry)
    for problem in [*config_errors, *engine.config_errors]:
        err.write(f"gobex: warning: {problem}\n")
    for load_error in engine.registry.load_errors:
        err.write(f"gobex: error: {load_error} (its rules do not run; please report this)\n")
    if args.unsafe_fixes and not (args.fix or args.diff):
        err.write("gobex: warning: --unsafe-fixes has no effect without --fix or --diff\n")
    fix = bool(args.fix or args.diff)
    stdin_mode = args.paths == ["-"]
    if "-" in args.paths and not stdin_mode:
        err.write("gobex: error: '-' (standard input) cannot be combined with other paths\n")
        return EXIT_ERROR

    reports: list[FileReport] = []
    unreadable: list[OSError] = []
    stdin_data = b""
    if stdin_mode:
        stdin_data = sys.stdin.buffer.read()
        reports.append(_lint_stdin(args, engine, stdin_data, fix))
    else:
        paths = [Path(p) for p in args.paths]
        missing = [p for p in paths if not p.exists()]
        if missing:
            for path in missing:
                err.write(f"gobex: error: {path}: no such file or directory\n")
            return EXIT_ERROR
        files = list(iter_go_files(paths, config, unreadable.append))
        for walk_error in unreadable:
            err.write(f"gobex: error: cannot read {walk_error.filename}: {walk_error.strerror}\n")
        if not files:
            err.write("gobex: warning: no Go files found under the given paths\n")
        jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
        progress = _Progress(len(files), err.isatty() and not args.no_progress)
        try:
            reports = list(
                _lint_files(engine, registry, files, jobs, fix, args.unsafe_fixes, progress)
            )
        finally:
            progress.close()
        reports.sort(key=lambda r: r.path)

    internal_error = bool(engine.registry.load_errors) or bool(unreadable)
    for report in reports:
        if report.error:
            err.write(f"gobex: error: {report.error}\n")
            internal_error = True
        if report.result.skipped and report.result.skipped != "generated file":
            err.write(f"gobex: warning: {report.path}: not analysed: {report.result.skipped}\n")
        for failure in report.result.failures:
            err.write(
                f"gobex: error: rule {failure.code} crashed on {failure.path}:{failure.line}: "
                f"{failure.error} (its findings for this file are dropped; please report this)\n"
            )
            internal_error = True

    out = sys.stdout
    style = Style(enabled=use_colour(out, args.no_color))
    if args.diff:
        changed = [r for r in reports if r.fixed is not None]
        for report in changed:
            out.write(_unified_diff(report))
        if changed:
            total = sum(r.fixes_applied for r in changed)
            problems = "problem" if total == 1 else "problems"
            noun = "file" if len(changed) == 1 else "files"
            err.write(f"Would fix {total} {problems} in {len(changed)} {noun}.\n")
        else:
            err.write("No fixes available.\n")
        return EXIT_ERROR if internal_error else (EXIT_FINDINGS if changed else EXIT_CLEAN)

    fixed_total = 0
    if args.fix:
        for report in reports:
            if report.fixed is None:
                continue
            fixed_total += report.fixes_applied
            if stdin_mode:
                continue
            try:
                Path(report.path).write_bytes(report.fixed)
            except OSError as exc:
                err.write(f"gobex: error: cannot write {report.path}: {exc.strerror}\n")
                internal_error = True
        if stdin_mode:
            # Like ruff: with --fix on stdin, the fixed source goes to stdout.
            report = reports[0]
            sys.stdout.buffer.write(report.fixed if report.fixed is not None else stdin_data)
            sys.stdout.flush()
            findings = sum(len(r.located) for r in reports)
            if findings:
                write_text(reports, err, Style(False))
            return _exit_code(findings, internal_error, args.exit_zero)

    findings = sum(len(r.located) for r in reports)
    if args.statistics:
        write_statistics(reports, out, style)
    elif args.format == "jsonl":
        write_jsonl(reports, out)
    elif args.format == "sarif":
        from gobex.cli.sarif import write_sarif

        write_sarif(reports, out, engine, successful=not internal_error)
    elif args.format == "github":
        from gobex.cli.github import write_github

        write_github(reports, out)
    elif args.format == "markdown":
        from gobex.cli.markdown import write_markdown

        write_markdown(reports, out, engine.registry, fixed=fixed_total)
    else:
        write_text(reports, out, style)
        write_summary(reports, out, style, fixed=fixed_total, unsafe_hint=not args.unsafe_fixes)
    return _exit_code(findings, internal_error, args.exit_zero)


def use_colour(out: TextIO, no_color_flag: bool) -> bool:
    """--no-color, then FORCE_COLOR, then NO_COLOR, then whether `out` is a terminal."""
    if no_color_flag:
        return False
    force = os.environ.get("FORCE_COLOR", "")
    if force and force.lower() not in ("0", "false"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return out.isatty()


def _exit_code(findings: int, internal_error: bool, exit_zero: bool) -> int:
    if internal_error:
        return EXIT_ERROR
    if findings and not exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN
