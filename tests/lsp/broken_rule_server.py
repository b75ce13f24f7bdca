"""``gobex lsp`` with one extra rule that always raises (TST999), to prove that a
failing rule is logged to the client and skipped while the others keep working.

Run as ``python -m tests.lsp.broken_rule_server`` by test_robustness.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from gobex.cli.main import build_parser
from gobex.finding import Finding, Severity
from gobex.lsp.main import serve
from gobex.registry import Registry, default_registry
from gobex.rule import Match, Rule, RuleContext

BROKEN = Rule(
    code="TST999",
    name="always-raises",
    severity=Severity.WARNING,
    query="(call_expression) @call",
    doc="A rule that raises on every call expression (tests only).",
)


@BROKEN.check
def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    raise RuntimeError("boom at " + ctx.text(match["call"])[:20])


def main() -> int:
    registry = Registry([*default_registry().rules, BROKEN])
    args = build_parser().parse_args(["lsp", *sys.argv[1:]])
    return serve(args, registry)


if __name__ == "__main__":
    sys.exit(main())
