"""The engine: runs the selected rules over a file and returns its findings.

A few combined tree-sitter query passes per file, one per *family* of rules
whose gating packages the file imports (see `_families`): each family's query
is compiled once per engine, since compiling is what costs (tens of
milliseconds for a large set of patterns), and the matches of rules that do not
apply to the file are skipped; per-rule failure
isolation; configuration (selection, severities, per-file ignores); ``//nolint``
suppression; findings deduplicated and in source order. The CLI and the
language server share it.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Node, Query, QueryCursor

from gobex.config import Config, ConfigError
from gobex.facts import Facts, PackageIndex
from gobex.facts.package import Recorder
from gobex.finding import Finding, Fix, Severity, TextEdit
from gobex.models import ModelSet, builtin_models
from gobex.registry import Registry, default_registry
from gobex.rule import Match, Rule, RuleContext
from gobex.source import SourceFile, go_language
from gobex.suppression import Directive, is_generated_data, parse_directives

log = logging.getLogger("gobex.engine")

UNUSED_NOLINT = "IDM001"  # implemented here: it needs every other rule's results


@dataclass(frozen=True)
class RuleFailure:
    """A rule raised while checking a file; its findings for that file are dropped."""

    code: str
    path: str
    line: int  # 1-based line of the match being checked
    error: str
    traceback: str


@dataclass(frozen=True)
class LintResult:
    """The outcome of linting one file."""

    path: str
    findings: tuple[Finding, ...]
    failures: tuple[RuleFailure, ...] = ()
    skipped: str | None = None  # why the file was not analysed, if it was not


@dataclass(frozen=True)
class RuleRun:
    """Findings of some rules over (part of) a file, before suppression."""

    findings: tuple[Finding, ...]
    failures: tuple[RuleFailure, ...]
    failed: frozenset[str]  # codes of the rules that raised (their findings are dropped)


@dataclass(frozen=True)
class _CompiledQuery:
    query: Query
    pattern_rules: tuple[Rule, ...]  # rule of each pattern index


class Engine:
    """Rules + configuration, ready to lint files. Cheap to share; holds no per-file state."""

    def __init__(
        self,
        config: Config | None = None,
        registry: Registry | None = None,
        models: ModelSet | None = None,
    ) -> None:
        self.config = config or Config()
        self.registry = registry or default_registry()
        self.models = models or builtin_models()
        rules, errors = self.registry.select(self.config, str(self.config.path or "configuration"))
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.config_errors: tuple[ConfigError, ...] = tuple(errors)
        self._queries: dict[tuple[str, ...], _CompiledQuery] = {}
        self._pattern_counts: dict[str, int] = {}
        self._family: dict[str, tuple[str, ...]] = {}  # rule code -> its family's codes
        self._by_request: dict[tuple[str, ...], list[_CompiledQuery]] = {}
        self._severities = {rule.code: self._severity_for(rule) for rule in self.registry.rules}

    # -- configuration ------------------------------------------------------------
    def _severity_for(self, rule: Rule) -> Severity:
        best: tuple[int, Severity] | None = None
        for selector, severity in self.config.severity.items():
            found = self.registry.resolve(selector)
            if found is None or rule not in found[0]:
                continue
            specificity = 2 if found[1] else 1
            if best is None or specificity >= best[0]:
                best = (specificity, severity)
        return best[1] if best is not None else rule.severity

    def severity(self, rule: Rule) -> Severity:
        return self._severities.get(rule.code, rule.severity)

    def rules_for(self, source: SourceFile, package: PackageIndex, path: Path | None) -> list[Rule]:
        """The selected rules that apply to this file: imports, Go version, per-file ignores."""
        ignores = self._ignores_for(path)
        imported = {self.models.package_id(p) for p in package.import_paths} | set(
            package.import_paths
        )
        result = []
        for rule in self.rules:
            if rule.packages and not imported.intersection(rule.packages):
                continue
            if not rule.applies_to_version(source.go_version):
                continue
            if ignores and self.registry.matches(rule, ignores):
                continue
            result.append(rule)
        return result

    def _ignores_for(self, path: Path | None) -> tuple[str, ...]:
        if path is None or not self.config.per_file_ignores:
            return ()
        return self.config.ignores_for(path)

    def _compiled_families(self, rules: Sequence[Rule]) -> list[_CompiledQuery]:
        """The compiled queries whose patterns cover `rules`: those of the families
        `rules` belong to (each a query over the whole family, so that it compiles
        once whatever subset of the family applies to a file)."""
        requested = tuple(rule.code for rule in rules)
        cached = self._by_request.get(requested)
        if cached is not None:
            return cached
        if not self._family:
            self._family = _families([r for r in self.rules if r.query.strip()])
        by_rule = {r.code: r for r in self.rules}
        # The language server's partial re-lint asks for the rules of some scopes
        # only: their part of each family (a few more queries, compiled once each).
        scopes = {rule.scope for rule in rules}
        keys: dict[tuple[str, ...], None] = {}
        extra: list[Rule] = []
        for rule in rules:
            if not rule.query.strip():
                continue
            family = self._family.get(rule.code)
            if family is None or by_rule[rule.code] is not rule:
                # not one of the engine's rules (a stand-in of the same code is not
                # either): compiled on its own
                extra.append(rule)
            else:
                keys[tuple(c for c in family if by_rule[c].scope in scopes)] = None
        found = [self._compiled([by_rule[code] for code in key]) for key in keys]
        if extra:
            found.append(self._compiled(extra))
        queries = [query for query in found if query is not None]
        if not extra:  # the engine's own rules: their codes name them
            self._by_request[requested] = queries
        return queries

    def _compiled(self, rules: Sequence[Rule]) -> _CompiledQuery | None:
        with_query = [r for r in rules if r.query.strip()]
        key = tuple(r.code for r in with_query)
        if not key:
            return None
        found = self._queries.get(key)
        if found is not None:
            return found
        pattern_rules: list[Rule] = []
        for rule in with_query:
            pattern_rules.extend([rule] * self._pattern_count(rule))
        combined = Query(go_language(), "\n".join(rule.query for rule in with_query))
        if combined.pattern_count != len(pattern_rules):
            raise RuntimeError("combined query pattern count mismatch")
        found = _CompiledQuery(combined, tuple(pattern_rules))
        self._queries[key] = found
        return found

    def _pattern_count(self, rule: Rule) -> int:
        """How many patterns `rule`'s query has (compiled once per rule: compiling
        is what a new combination of rules costs)."""
        count = self._pattern_counts.get(rule.code)
        if count is None:
            count = Query(go_language(), rule.query).pattern_count
            self._pattern_counts[rule.code] = count
        return count

    # -- linting ------------------------------------------------------------------
    def lint(
        self,
        source: SourceFile,
        package: PackageIndex | None = None,
        path: Path | None = None,
    ) -> LintResult:
        """Findings for `source`. `package` holds the package's other files (defaults
        to this file alone); `path` is its file-system path for per-file ignores."""
        reason = self.skip_reason(source)
        if reason is not None:
            return LintResult(source.path, (), skipped=reason)
        if package is None:
            package = PackageIndex.of([source], self.models)
        rules = self.rules_for(source, package, path)
        facts = Facts(source, package, self.models)
        findings, failures, failed = self._run_rules(source, facts, rules)
        findings = self._suppress(source, findings, rules, failed, path)
        return LintResult(source.path, tuple(findings), tuple(failures))

    def skip_reason(self, source: SourceFile) -> str | None:
        """Why `source` is not analysed (too large, generated), or None."""
        return self.skip_reason_for(source.data)

    def skip_reason_for(self, data: bytes) -> str | None:
        """`skip_reason` for a file's bytes, before parsing them."""
        if len(data) > self.config.max_file_size:
            size, limit = len(data), self.config.max_file_size
            return f"file is {size:,} bytes, over the {limit:,}-byte limit"
        if b"DO NOT EDIT" in data and is_generated_data(data):  # the marker's words first
            return "generated file"
        return None

    def run_rules(
        self,
        source: SourceFile,
        package: PackageIndex,
        rules: Sequence[Rule],
        ranges: Sequence[tuple[int, int]] | None = None,
        *,
        facts: Facts | None = None,
        recorders: Callable[[Rule, int], Recorder | None] | None = None,
    ) -> RuleRun:
        """The findings of `rules` before suppression, for the language server's
        partial re-lint: with `ranges`, only query matches that intersect one of
        those byte ranges are checked (a match may be checked once per range).

        `facts` (of `source` in `package`) lets several runs over one version of a
        file share what Facts derived. With `recorders`, each check runs with
        ``package.recorder`` set to ``recorders(start byte of the match)``, which
        learns the function and method declarations the check reads."""
        if facts is None:
            facts = Facts(source, package, self.models)
        findings, failures, failed = self._run_rules(source, facts, rules, ranges, recorders)
        return RuleRun(tuple(findings), tuple(failures), frozenset(failed))

    def facts(self, source: SourceFile, package: PackageIndex) -> Facts:
        """Facts of `source` in `package`, to share between `run_rules` calls."""
        return Facts(source, package, self.models)

    def suppress(
        self,
        source: SourceFile,
        findings: Sequence[Finding],
        rules: Sequence[Rule],
        failed: Iterable[str],
        path: Path | None,
    ) -> list[Finding]:
        """Deduplicate, order and apply ``//nolint`` (and IDM001) to raw findings."""
        return self._suppress(source, list(findings), rules, set(failed), path)

    def _run_rules(
        self,
        source: SourceFile,
        facts: Facts,
        rules: Sequence[Rule],
        ranges: Sequence[tuple[int, int]] | None = None,
        recorders: Callable[[Rule, int], Recorder | None] | None = None,
    ) -> tuple[list[Finding], list[RuleFailure], set[str]]:
        applicable = {rule.code for rule in rules}
        package = facts.package
        by_rule: dict[str, list[Finding]] = {}
        failures: list[RuleFailure] = []
        failed: set[str] = set()
        contexts: dict[str, RuleContext] = {}
        for rule, pattern, captures in self._all_matches(rules, source, ranges):
            if rule.code in failed or rule.code not in applicable:
                continue
            ctx = contexts.get(rule.code)
            if ctx is None:
                ctx = RuleContext(rule, source, facts, self.severity(rule))
                contexts[rule.code] = ctx
            match = Match(pattern, captures)
            if recorders is not None:
                package.recorder = recorders(rule, match.node.start_byte) if captures else None
            try:
                produced = list(rule.run(ctx, match))
            except Exception as exc:
                failed.add(rule.code)
                by_rule.pop(rule.code, None)
                line = match.node.start_point[0] + 1 if captures else 0
                failures.append(
                    RuleFailure(
                        rule.code,
                        source.path,
                        line,
                        f"{type(exc).__name__}: {exc}",
                        traceback.format_exc(),
                    )
                )
                log.warning("rule %s failed on %s:%d: %s", rule.code, source.path, line, exc)
                continue
            finally:
                package.recorder = None
            by_rule.setdefault(rule.code, []).extend(produced)
        findings = [f for fs in by_rule.values() for f in fs]
        return findings, failures, failed

    def _all_matches(
        self,
        rules: Sequence[Rule],
        source: SourceFile,
        ranges: Sequence[tuple[int, int]] | None,
    ) -> Iterator[tuple[Rule, int, dict[str, list[Node]]]]:
        for compiled in self._compiled_families(rules):
            for pattern, captures in _matches(compiled.query, source, ranges):
                yield compiled.pattern_rules[pattern], pattern, captures

    def _suppress(
        self,
        source: SourceFile,
        findings: list[Finding],
        rules: Sequence[Rule],
        failed: set[str],
        path: Path | None,
    ) -> list[Finding]:
        directives = parse_directives(source)
        kept: list[Finding] = []
        seen: set[tuple[str, int, int, str]] = set()
        for finding in sorted(findings, key=lambda f: (f.start, f.code, f.end)):
            key = (finding.code, finding.start, finding.end, finding.message)
            if key in seen:
                continue
            seen.add(key)
            if not self._silenced(source, finding, directives):
                kept.append(finding)
        unused_rule = self.registry.by_code.get(UNUSED_NOLINT)
        if unused_rule is not None and unused_rule in self.rules:
            ignores = self._ignores_for(path)
            if not (ignores and self.registry.matches(unused_rule, ignores)):
                active = {r.code for r in rules} - failed
                unused = list(self._unused(source, directives, active, unused_rule))
                unused = [u for u in unused if not self._silenced(source, u, directives)]
                kept = sorted([*kept, *unused], key=lambda f: (f.start, f.code, f.end))
        return kept

    def _silenced(
        self, source: SourceFile, finding: Finding, directives: Iterable[Directive]
    ) -> bool:
        line = source.lines.line_of(finding.start)
        silenced = False
        for directive in directives:
            if not directive.covers_line(line):
                continue
            if directive.covers_all or any(
                name.upper() == finding.code or name.lower() == finding.name
                for name in directive.names
            ):
                directive.used.add(finding.code)
                silenced = True
        return silenced

    def _unused(
        self, source: SourceFile, directives: Iterable[Directive], active: set[str], rule: Rule
    ) -> Iterable[Finding]:
        """Named gobex rules in a //nolint that silenced nothing (only rules that ran)."""
        for directive in directives:
            if directive.covers_all:
                continue
            stale = []
            for name in directive.names:
                named = self.registry.get(name)
                if named is None or named.code == UNUSED_NOLINT or named.code not in active:
                    continue
                if named.code not in directive.used:
                    stale.append(name)
            if not stale:
                continue
            comment = directive.comment
            message = f"unused //nolint for {', '.join(stale)}: nothing is reported here"
            yield Finding(
                code=rule.code,
                name=rule.name,
                start=comment.start_byte,
                end=comment.end_byte,
                message=message,
                severity=self.severity(rule),
                fixes=(_remove_names_fix(source, directive, stale),),
            )


# Packages imported by most Go files: rules gated by them only share the one query
# of the ungated rules (a query of their own would be one more pass per file).
_COMMON_GATES = frozenset({"context", "fmt", "net/http", "sync", "sync/atomic", "time"})


def _families(rules: Sequence[Rule]) -> dict[str, tuple[str, ...]]:
    """Rule code -> the codes of its family. The rules gated by no package or by
    common ones only form one family; the others are grouped by the packages they
    share (the SQL drivers, gocql, the Kafka clients), so that a file that
    imports none of a family's packages never runs its patterns."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    group_of: dict[str, str] = {}
    for rule in rules:
        gates = [p for p in rule.packages if p not in _COMMON_GATES]
        if not gates or len(gates) < len(rule.packages):
            group_of[rule.code] = ""  # common: the one family of everyday rules
            continue
        first = root("pkg:" + gates[0])
        for other in gates[1:]:
            parent[root("pkg:" + other)] = first
        group_of[rule.code] = "pkg:" + gates[0]
    members: dict[str, list[str]] = {}
    for rule in rules:
        group = group_of[rule.code]
        members.setdefault(root(group) if group else "", []).append(rule.code)
    return {code: tuple(codes) for codes in members.values() for code in codes}


def _matches(
    query: Query, source: SourceFile, ranges: Sequence[tuple[int, int]] | None
) -> Iterator[tuple[int, dict[str, list[Node]]]]:
    if ranges is None:
        yield from QueryCursor(query).matches(source.root)
        return
    for start, end in ranges:
        cursor = QueryCursor(query)
        cursor.set_byte_range(start, end)
        yield from cursor.matches(source.root)


def _remove_names_fix(source: SourceFile, directive: Directive, stale: list[str]) -> Fix:
    comment = directive.comment
    remaining = [n for n in directive.names if n not in stale]
    raw = source.text(comment)
    explanation = ""
    marker = raw.find("//", 2)
    if marker != -1:
        explanation = " " + raw[marker:].strip()
    if remaining:
        replacement = "//nolint:" + ",".join(remaining) + explanation
        edit = TextEdit(comment.start_byte, comment.end_byte, replacement)
        title = f"Remove {', '.join(stale)} from the //nolint"
    else:
        start = comment.start_byte
        line_start = source.lines.line_start(comment.start_point[0])
        before = source.data[line_start:start]
        if before.strip():
            # Trailing comment: drop it and the spaces before it.
            start = line_start + len(before.rstrip(b" \t"))
            edit = TextEdit(start, comment.end_byte, "")
        else:
            # Own-line comment: drop the whole line, and the bare `//` line that
            # separated it from a doc comment (gofmt would drop that one too).
            line_end = source.lines.line_start(comment.end_point[0] + 1)
            row = comment.start_point[0]
            if row > 0 and source.lines.line_bytes(row - 1).strip() == b"//":
                line_start = source.lines.line_start(row - 1)
            edit = TextEdit(line_start, line_end, "")
        title = "Remove the unused //nolint"
    return Fix(title=title, edits=(edit,))
