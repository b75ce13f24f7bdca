"""The ``gobex`` command: check, rules, explain, lsp."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gobex import __version__

if TYPE_CHECKING:
    from gobex.registry import Registry

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process killed by SIGPIPE


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line hint (it already does; kept explicit)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"gobex: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gobex",
        description="gobex reviews Go backend code: concurrency, errors, Cassandra, Kafka, "
        "PostgreSQL, HTTP/gRPC.",
    )
    parser.add_argument("--version", action="version", version=f"gobex {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint Go files and directories")
    check.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="files or directories (recursed); '-' reads standard input",
    )
    check.add_argument(
        "--format",
        choices=("text", "jsonl", "sarif", "github", "markdown"),
        default="text",
        help="text (default), jsonl (JSON Lines), sarif (SARIF 2.1.0), github "
        "(GitHub Actions annotations) or markdown (a review summary)",
    )
    check.add_argument(
        "--select",
        action="append",
        default=None,
        metavar="RULES",
        help="only these rules (codes, names or prefixes; comma-separated)",
    )
    check.add_argument("--extend-select", action="append", default=None, metavar="RULES")
    check.add_argument("--ignore", action="append", default=None, metavar="RULES")
    check.add_argument("--preview", action="store_true", help="enable preview rules")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix/--diff, also apply fixes that change behaviour",
    )
    check.add_argument(
        "--diff", action="store_true", help="print the diff the fixes would make; write nothing"
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when problems are found"
    )
    check.add_argument("--statistics", action="store_true", help="print counts per rule")
    check.add_argument("--config", metavar="FILE", help="use this config file")
    check.add_argument("--go-version", metavar="1.N", help="Go version to assume (default: go.mod)")
    check.add_argument(
        "--stdin-filename", metavar="PATH", help="the path of the file read from '-'"
    )
    check.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default: all cores)",
    )
    check.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    check.add_argument("--no-color", action="store_true", help="never colour the output")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--all", action="store_true", help="include preview rules")

    explain = sub.add_parser("explain", help="print a rule's page")
    explain.add_argument("rule", metavar="CODE|NAME")

    lsp = sub.add_parser("lsp", help="run the language server")
    lsp.add_argument("--stdio", action="store_true", help="use stdio (the default)")
    lsp.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP (debugging)")
    lsp.add_argument("--log-file", metavar="FILE")
    lsp.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    return parser


def main(argv: Sequence[str] | None = None, *, registry: Registry | None = None) -> int:
    """Run the command in `argv`; `registry` replaces gobex's own rules (for tests
    and embedders)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(parser, args, registry)
    except BrokenPipeError:
        # The reader went away (`gobex check | head`): stop quietly, like a
        # process killed by SIGPIPE, without a traceback at exit.
        _discard_stdout()
        return EXIT_BROKEN_PIPE


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file
        pass


def _run(
    parser: argparse.ArgumentParser, args: argparse.Namespace, registry: Registry | None
) -> int:
    if args.command == "check":
        from gobex.cli.check import run_check

        return run_check(args, registry)
    if args.command == "rules":
        from gobex.cli.info import run_rules

        return run_rules(args, registry)
    if args.command == "explain":
        from gobex.cli.info import run_explain

        return run_explain(args, registry)
    if args.command == "lsp":
        from gobex.cli.info import run_lsp

        return run_lsp(args)
    parser.print_help(sys.stderr)
    return EXIT_ERROR


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
