"""Re-linting only what an edit can change.

A Go file is a sequence of top-level declarations. A rule of scope
``declaration`` reports, for a match inside one declaration, findings that
depend only on that declaration's text and on file-level facts: imports, type
and variable declarations, function signatures, the Go version, the rule set
and the package's other files. So when an edit leaves all of those alone (the
*skeleton*: the file with function bodies and comments cut out is unchanged),
the findings of every declaration whose text is unchanged are still right,
only shifted by the bytes inserted or removed before it. Those are kept; only
the declarations whose text changed are checked again (the query runs on their
byte ranges alone). Rules of scope ``callees`` may also read the bodies of the
local functions a declaration names: they are re-checked in the changed
declarations and in every declaration that mentions (by identifier, transitively)
a function or method declared in one of them. Rules of scope ``file`` or
``package`` run over the whole file every time, and suppression (``//nolint``,
IDM001) is always applied to the whole file's findings afresh.

Any doubt means a full lint: a changed skeleton, another rule set or Go
version, new package context, a rule failure, or a finding (or its fix or
related location) that reaches outside its declaration.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from gobex.engine import Engine, LintResult, RuleRun
from gobex.facts import PackageIndex
from gobex.finding import Finding, Fix, Related, TextEdit
from gobex.rule import Rule, Scope
from gobex.source import SourceFile

_WITH_BODY = frozenset({"function_declaration", "method_declaration"})


@dataclass(frozen=True)
class Unit:
    """A top-level node of the file (declaration, comment, or error)."""

    start: int
    end: int
    text: bytes
    name: bytes | None = None  # the function or method it declares


@dataclass(frozen=True)
class Outline:
    """The units of a file and its skeleton (what every declaration may depend on)."""

    units: tuple[Unit, ...]
    skeleton: bytes

    @property
    def starts(self) -> list[int]:
        return [unit.start for unit in self.units]


def outline(source: SourceFile) -> Outline:
    """Split `source` into top-level units; the skeleton is every unit but comments,
    with function and method bodies left out."""
    units: list[Unit] = []
    parts: list[bytes] = []
    data = source.data
    for node in source.root.children:
        start, end = node.start_byte, node.end_byte
        name = node.child_by_field_name("name") if node.type in _WITH_BODY else None
        units.append(Unit(start, end, data[start:end], name.text if name is not None else None))
        if node.type == "comment":
            continue
        body = node.child_by_field_name("body") if node.type in _WITH_BODY else None
        if body is not None:
            parts.append(data[start : body.start_byte] + b"{}" + data[body.end_byte : end])
        else:
            parts.append(data[start:end])
        parts.append(b"\x00")
    return Outline(tuple(units), b"".join(parts))


class Mode(StrEnum):
    """How a lint was done."""

    FULL = "full"
    PARTIAL = "partial"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Relint:
    """A lint result and how it was obtained."""

    result: LintResult
    mode: Mode
    rechecked: int  # units whose declaration-scope rules ran (all of them when FULL)
    skeleton_changed: bool


_CACHED_SCOPES = (Scope.DECLARATION, Scope.CALLEES)


@dataclass(frozen=True)
class _Cached:
    key: tuple[Hashable, ...]
    # scope -> unit text -> findings of that scope's rules, relative to the unit start
    by_scope: dict[Scope, dict[bytes, tuple[Finding, ...]]]


class Relinter:
    """The re-lint state of one document. Not thread-safe: one lint at a time."""

    def __init__(self) -> None:
        self._cached: _Cached | None = None
        self._skeleton: bytes | None = None

    def reset(self) -> None:
        self._cached = None
        self._skeleton = None

    def lint(
        self,
        engine: Engine,
        source: SourceFile,
        package: PackageIndex,
        path: Path | None,
        context: Hashable,
    ) -> Relint:
        """Findings for `source`, equal to ``engine.lint(source, package, path)``.

        `context` identifies everything else the findings depend on (the package's
        other files, the configuration); a different value forces a full lint.
        """
        reason = engine.skip_reason(source)
        if reason is not None:
            self.reset()
            return Relint(LintResult(source.path, (), skipped=reason), Mode.SKIPPED, 0, True)
        shape = outline(source)
        skeleton_changed = shape.skeleton != self._skeleton
        self._skeleton = shape.skeleton
        rules = engine.rules_for(source, package, path)
        key = (
            id(engine),
            shape.skeleton,
            source.go_version,
            tuple(rule.code for rule in rules),
            path,
            context,
        )
        cached = self._cached
        if cached is not None and cached.key == key:
            partial = self._partial(engine, source, package, path, rules, shape, cached)
            if partial is not None:
                return Relint(partial[0], Mode.PARTIAL, partial[1], skeleton_changed)
        result = self._full(engine, source, package, path, rules, shape, key)
        return Relint(result, Mode.FULL, len(shape.units), skeleton_changed)

    def _full(
        self,
        engine: Engine,
        source: SourceFile,
        package: PackageIndex,
        path: Path | None,
        rules: Sequence[Rule],
        shape: Outline,
        key: tuple[Hashable, ...],
    ) -> LintResult:
        run = engine.run_rules(source, package, rules)
        by_scope: dict[Scope, dict[bytes, tuple[Finding, ...]]] = {}
        for scope in _CACHED_SCOPES:
            codes = {rule.code for rule in rules if rule.scope is scope}
            partition = _partition(shape, [f for f in run.findings if f.code in codes])
            if partition is None:
                break
            by_scope[scope] = partition
        complete = len(by_scope) == len(_CACHED_SCOPES) and not run.failures
        self._cached = _Cached(key, by_scope) if complete else None
        return _finish(engine, source, path, rules, run.findings, run)

    def _partial(
        self,
        engine: Engine,
        source: SourceFile,
        package: PackageIndex,
        path: Path | None,
        rules: Sequence[Rule],
        shape: Outline,
        cached: _Cached,
    ) -> tuple[LintResult, int] | None:
        units = shape.units
        changed = {
            i for i, unit in enumerate(units) if unit.text not in cached.by_scope[Scope.DECLARATION]
        }
        recheck = {
            Scope.DECLARATION: changed,
            Scope.CALLEES: _mentioning(units, changed, source.data) if changed else changed,
        }
        starts = shape.starts
        findings: list[Finding] = []
        by_scope: dict[Scope, dict[bytes, tuple[Finding, ...]]] = {}
        for scope in _CACHED_SCOPES:
            scoped_rules = [r for r in rules if r.scope is scope]
            indexes = recheck[scope]
            fresh_findings: list[Finding] = []
            if indexes and scoped_rules:
                ranges = [(units[i].start, units[i].end) for i in sorted(indexes)]
                run = engine.run_rules(source, package, scoped_rules, ranges)
                if run.failures:
                    return None
                fresh_findings = [f for f in run.findings if _index(starts, f.start) in indexes]
            fresh = _partition(shape, fresh_findings, only=indexes)
            if fresh is None:
                return None
            table: dict[bytes, tuple[Finding, ...]] = {}
            old = cached.by_scope[scope]
            for index, unit in enumerate(units):
                if index in indexes:
                    table[unit.text] = fresh[unit.text]
                    continue
                relative = old[unit.text]
                table[unit.text] = relative
                findings.extend(_shift(f, unit.start) for f in relative)
            findings.extend(fresh_findings)
            by_scope[scope] = table
        other_rules = [r for r in rules if r.scope not in _CACHED_SCOPES]
        if other_rules:
            run = engine.run_rules(source, package, other_rules)
            if run.failures:
                return None
            findings.extend(run.findings)
        self._cached = _Cached(cached.key, by_scope)
        empty = RuleRun((), (), frozenset())
        return _finish(engine, source, path, rules, findings, empty), len(changed)


def _mentioning(units: Sequence[Unit], changed: set[int], data: bytes) -> set[int]:
    """`changed` and every unit that names a function or method declared in one of
    them, transitively (by identifier text: a superset of the real callers)."""
    found = set(changed)
    starts = [unit.start for unit in units]
    names = {name for i in changed if (name := units[i].name)}
    seen: set[bytes] = set()
    while names:
        seen |= names
        pattern = re.compile(rb"(?<![\w])(?:" + b"|".join(map(re.escape, names)) + rb")(?![\w])")
        new = {_index(starts, m.start()) for m in pattern.finditer(data)} - found
        found |= new
        names = {name for i in new if (name := units[i].name) and name not in seen}
    return found


def _finish(
    engine: Engine,
    source: SourceFile,
    path: Path | None,
    rules: Sequence[Rule],
    findings: Iterable[Finding],
    run: RuleRun,
) -> LintResult:
    final = engine.suppress(source, list(findings), rules, run.failed, path)
    return LintResult(source.path, tuple(final), run.failures)


def _index(starts: list[int], offset: int) -> int:
    """The unit holding byte `offset` (the last one starting at or before it)."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _partition(
    shape: Outline, findings: Sequence[Finding], only: set[int] | None = None
) -> dict[bytes, tuple[Finding, ...]] | None:
    """Findings by the text of the unit holding them (of the units whose index is
    in `only`, or all), relative to its start; None when a finding reaches outside
    its unit or two units with equal text disagree."""
    starts = shape.starts
    grouped: dict[int, list[Finding]] = {}
    for finding in findings:
        if not starts:
            return None
        index = _index(starts, finding.start)
        unit = shape.units[index]
        if not _within(finding, unit):
            return None
        grouped.setdefault(index, []).append(_shift(finding, -unit.start))
    result: dict[bytes, tuple[Finding, ...]] = {}
    for index, unit in enumerate(shape.units):
        if only is not None and index not in only:
            continue
        relative = tuple(grouped.get(index, ()))
        previous = result.get(unit.text)
        if previous is not None and previous != relative:
            return None
        result[unit.text] = relative
    return result


def _within(finding: Finding, unit: Unit) -> bool:
    def inside(start: int, end: int) -> bool:
        return unit.start <= start <= end <= unit.end

    if not inside(finding.start, finding.end):
        return False
    if any(r.path is None and not inside(r.start, r.end) for r in finding.related):
        return False
    return all(inside(e.start, e.end) for fix in finding.fixes for e in fix.edits)


def _shift(finding: Finding, delta: int) -> Finding:
    if delta == 0:
        return finding
    return replace(
        finding,
        start=finding.start + delta,
        end=finding.end + delta,
        fixes=tuple(_shift_fix(fix, delta) for fix in finding.fixes),
        related=tuple(_shift_related(r, delta) for r in finding.related),
    )


def _shift_fix(fix: Fix, delta: int) -> Fix:
    edits = tuple(TextEdit(e.start + delta, e.end + delta, e.text) for e in fix.edits)
    return replace(fix, edits=edits)


def _shift_related(related: Related, delta: int) -> Related:
    if related.path is not None:
        return related
    return replace(related, start=related.start + delta, end=related.end + delta)
