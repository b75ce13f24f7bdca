"""``gobex rules``, ``gobex explain`` and ``gobex lsp``."""

from __future__ import annotations

import argparse
import json
import sys

from gobex.cli.main import EXIT_CLEAN, EXIT_ERROR
from gobex.docs import rule_page, rule_record
from gobex.registry import Registry, default_registry
from gobex.rule import Group


def run_rules(args: argparse.Namespace, registry: Registry | None = None) -> int:
    registry = registry or default_registry()
    for failure in registry.load_errors:
        sys.stderr.write(f"gobex: error: {failure}\n")
    rules = [
        r for r in registry.rules if args.all or args.format == "json" or r.group is Group.STABLE
    ]
    if args.format == "json":
        json.dump([rule_record(r) for r in rules], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_ERROR if registry.load_errors else EXIT_CLEAN
    width = max((len(r.name) for r in rules), default=10)
    for rule in rules:
        fix = "fix" if rule.fixable else "   "
        preview = " (preview)" if rule.group is Group.PREVIEW else ""
        severity = rule.severity.value
        sys.stdout.write(
            f"{rule.code:<7} {rule.name:<{width}}  {severity:<7} {fix}  {rule.summary}{preview}\n"
        )
    return EXIT_ERROR if registry.load_errors else EXIT_CLEAN


def run_explain(args: argparse.Namespace, registry: Registry | None = None) -> int:
    rule = (registry or default_registry()).get(args.rule)
    if rule is None:
        sys.stderr.write(f"gobex: error: no rule named {args.rule!r} (see `gobex rules`)\n")
        return EXIT_ERROR
    sys.stdout.write(rule_page(rule))
    return EXIT_CLEAN


def run_lsp(args: argparse.Namespace) -> int:
    from gobex.lsp.main import serve

    return serve(args)
