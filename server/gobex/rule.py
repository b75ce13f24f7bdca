"""The rule API: a rule is metadata, a docstring page, a tree-sitter query and a check.

    RULE = Rule(code="PG001", name="unclosed-rows", severity=Severity.ERROR,
                packages=("database/sql", "pgx"), query="(call_expression) @call",
                doc=__doc__)

    @RULE.check
    def check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
        yield ctx.finding(match["call"], "rows from Query are never closed")

The engine runs every rule's query in one pass over the tree and calls `check`
once per match. `packages` lists model ids or import paths; a rule is skipped
for packages that import none of them (empty: always runs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from tree_sitter import Node

from gobex.facts import Facts
from gobex.finding import Applicability, Finding, Fix, Related, Severity, TextEdit
from gobex.goversion import GoVersion
from gobex.source import SourceFile

AREAS: Mapping[str, str] = {
    "CON": "concurrency",
    "ERR": "errors",
    "CQL": "cassandra",
    "KFK": "kafka",
    "PG": "postgres",
    "API": "api",
    "TST": "testing",
    "OBS": "observability",
    "RES": "resilience",
    "IDM": "idiomatic",
}

_CODE = re.compile(r"^(?P<prefix>[A-Z]{2,3})(?P<number>\d{3})$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SECTIONS = ("What it does", "Why is this bad", "Example", "Use instead")


class Group(StrEnum):
    """Lifecycle: `stable` rules run by default; `preview` rules are opt-in."""

    STABLE = "stable"
    PREVIEW = "preview"


class Scope(StrEnum):
    """What a rule's findings in one declaration depend on.

    `declaration`: that top-level declaration plus file-level facts (imports,
    package types and signatures). `callees`: also the bodies of the local
    functions and methods it names, transitively (e.g. "a helper closes the
    body"); the language server then re-checks a declaration when a function it
    mentions changed. `file`/`package`: other declarations too, in any way
    (e.g. "the Errors() channel is read somewhere in the package").
    """

    DECLARATION = "declaration"
    CALLEES = "callees"
    FILE = "file"
    PACKAGE = "package"


class Match:
    """The captures of one query match."""

    __slots__ = ("captures", "pattern")

    def __init__(self, pattern: int, captures: Mapping[str, Sequence[Node]]) -> None:
        self.pattern = pattern
        self.captures = captures

    def __getitem__(self, name: str) -> Node:
        nodes = self.captures.get(name)
        if not nodes:
            raise KeyError(f"capture @{name} is not in this match")
        return nodes[0]

    def get(self, name: str) -> Node | None:
        nodes = self.captures.get(name)
        return nodes[0] if nodes else None

    def all(self, name: str) -> list[Node]:
        return list(self.captures.get(name, ()))

    @property
    def node(self) -> Node:
        """The first capture of the match (the node the pattern is about)."""
        for nodes in self.captures.values():
            if nodes:
                return nodes[0]
        raise KeyError("empty match")


CheckFunction = Callable[["RuleContext", Match], Iterable[Finding]]


@dataclass(eq=False)
class Rule:
    """One rule: what it reports, where it applies, and how it checks."""

    code: str
    name: str
    severity: Severity
    query: str
    doc: str
    packages: tuple[str, ...] = ()
    group: Group = Group.STABLE
    scope: Scope = Scope.DECLARATION
    fixable: bool = False
    min_go: int | None = None  # runs only for files at Go 1.N or newer
    max_go: int | None = None  # runs only for files below Go 1.N
    _check: CheckFunction | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        match = _CODE.match(self.code)
        if match is None or match.group("prefix") not in AREAS:
            raise ValueError(f"rule code {self.code!r} must be an area prefix and three digits")
        if not _NAME.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be kebab-case")
        if self.doc:
            self.doc = _dedent_doc(self.doc)

    @property
    def prefix(self) -> str:
        return self.code.rstrip("0123456789")

    @property
    def area(self) -> str:
        return AREAS[self.prefix]

    @property
    def summary(self) -> str:
        """The docstring's first line."""
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else ""

    def check(self, function: CheckFunction) -> CheckFunction:
        """Decorator registering the rule's check function."""
        self._check = function
        return function

    def run(self, ctx: RuleContext, match: Match) -> Iterable[Finding]:
        if self._check is None:
            raise RuntimeError(f"rule {self.code} has no check function")
        return self._check(ctx, match)

    def applies_to_version(self, version: GoVersion | None) -> bool:
        """Version gates: an unknown version counts as the newest Go."""
        if self.max_go is not None and (version is None or version.at_least(self.max_go)):
            return False
        return not (
            self.min_go is not None and version is not None and not version.at_least(self.min_go)
        )

    def sections(self) -> dict[str, str]:
        """The docstring's ``## `` sections by title."""
        return doc_sections(self.doc)


def doc_sections(doc: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in doc.splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current = line[3:].strip()
            lines = []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


def _dedent_doc(doc: str) -> str:
    lines = doc.strip("\n").splitlines()
    if not lines:
        return ""
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    cut = min(indents) if indents else 0
    return "\n".join([lines[0].strip(), *(line[cut:] for line in lines[1:])]).strip() + "\n"


class RuleContext:
    """What a rule's check sees: the file, its Facts, and finding/fix builders."""

    __slots__ = ("facts", "rule", "severity", "source")

    def __init__(self, rule: Rule, source: SourceFile, facts: Facts, severity: Severity) -> None:
        self.rule = rule
        self.source = source
        self.facts = facts
        self.severity = severity

    @property
    def go_version(self) -> GoVersion | None:
        return self.source.go_version

    def go_at_least(self, minor: int) -> bool:
        """True when the file's Go version is 1.`minor` or newer (or unknown)."""
        version = self.source.go_version
        return version is None or version.at_least(minor)

    def text(self, node: Node) -> str:
        return self.source.text(node)

    def finding(
        self,
        at: Node | tuple[int, int],
        message: str,
        *,
        fixes: Iterable[Fix | None] = (),
        related: Iterable[Related] = (),
    ) -> Finding:
        """A finding of this rule at a node (or a byte range)."""
        start, end = (at.start_byte, at.end_byte) if isinstance(at, Node) else at
        return Finding(
            code=self.rule.code,
            name=self.rule.name,
            start=start,
            end=end,
            message=message,
            severity=self.severity,
            fixes=tuple(f for f in fixes if f is not None),
            related=tuple(related),
        )

    def related(self, node: Node, message: str) -> Related:
        return Related(node.start_byte, node.end_byte, message)

    def fix(
        self,
        title: str,
        edits: Iterable[TextEdit],
        *,
        unsafe: bool = False,
        imports: Iterable[str] = (),
    ) -> Fix:
        return Fix(
            title=title,
            edits=tuple(sorted(edits)),
            applicability=Applicability.UNSAFE if unsafe else Applicability.SAFE,
            imports=tuple(imports),
        )


def iter_findings(rule: Rule, ctx: RuleContext, match: Match) -> Iterator[Finding]:
    yield from rule.run(ctx, match)
