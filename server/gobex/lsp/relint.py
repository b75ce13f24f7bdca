"""Re-linting only what an edit can change.

A Go file is a sequence of top-level declarations. A rule of scope
``declaration`` reports, for a match inside one declaration, findings that
depend only on that declaration's text and on file-level facts: imports, type
and variable declarations, function signatures, the Go version, the rule set
and the package's other files. So when an edit leaves all of those alone (the
*skeleton*: the file's declarations with function bodies cut out, without
comments and stray top-level statements or errors, is unchanged), the findings
of every declaration whose text is unchanged are still right, only shifted by
the bytes inserted or removed before it. Those are kept; only the declarations
whose text changed are checked again (the query runs on their byte ranges
alone). Rules of scope ``callees`` may also read the bodies of the local
functions a declaration reaches: they are re-checked in the changed declarations
and in every declaration that reaches one of them, transitively, by naming it
(an identifier equal to its name) or by reading its declaration through Facts
(``PackageIndex.recorder`` tells which, e.g. the ``Write`` method of a value
handed to ``io.WriteString``). Rules of scope ``file`` or ``package`` run over
the whole file every time, and suppression (``//nolint``, IDM001) is always
applied to the whole file's findings afresh.

An edit of a function's or method's signature (its name, receiver, parameters or
results) changes the skeleton, but only for the declarations that name that
function (by its old or new name), look such a name up, or read its declaration:
those are re-checked too, the others kept. The results of
the last few skeletons are remembered, so undoing an edit costs nothing.

Any other doubt means a full lint: another skeleton, rule set or Go version, new
package context, a rule failure, or a finding (or its fix or related location)
that reaches outside its declaration.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from tree_sitter import Node

from gobex.engine import Engine, LintResult, RuleRun
from gobex.facts import PackageIndex
from gobex.facts.package import FileDecls, Recorder
from gobex.finding import Finding, Fix, Related, TextEdit
from gobex.rule import Rule, Scope
from gobex.source import SourceFile

_WITH_BODY = frozenset({"function_declaration", "method_declaration"})
# Top-level nodes that make file-level facts (the package index, imports).
_DECLARATIONS = _WITH_BODY | {
    "package_clause",
    "import_declaration",
    "type_declaration",
    "var_declaration",
    "const_declaration",
}
_REMEMBERED = 4  # skeletons whose results are kept


@dataclass(frozen=True)
class Unit:
    """A top-level node of the file (declaration, comment, or error)."""

    start: int
    end: int
    text: bytes
    name: bytes | None = None  # the function or method it declares
    header: bytes | None = None  # a function's or method's text before its body


@dataclass(frozen=True)
class Outline:
    """The units of a file, its skeleton (what every declaration may depend on), and
    its frame: the skeleton without the functions' and methods' signatures."""

    units: tuple[Unit, ...]
    skeleton: bytes
    frame: bytes

    @property
    def starts(self) -> list[int]:
        return [unit.start for unit in self.units]

    @property
    def functions(self) -> list[int]:
        """Indexes of the function and method units, in order."""
        return [i for i, unit in enumerate(self.units) if unit.header is not None]


def outline(source: SourceFile) -> Outline:
    """Split `source` into top-level units; the skeleton is every declaration, with
    function and method bodies left out."""
    units: list[Unit] = []
    parts: list[bytes] = []
    frame: list[bytes] = []
    data = source.data
    for node in source.root.children:
        start, end = node.start_byte, node.end_byte
        with_body = node.type in _WITH_BODY
        name = node.child_by_field_name("name") if with_body else None
        body = node.child_by_field_name("body") if with_body else None
        header = _header(data, node, body) if with_body else None
        units.append(
            Unit(start, end, data[start:end], name.text if name is not None else None, header)
        )
        if node.type not in _DECLARATIONS:
            continue
        if body is not None:
            parts.append(data[start : body.start_byte] + b"{}" + data[body.end_byte : end])
        else:
            parts.append(data[start:end])
        parts.append(b"\x00")
        if with_body:
            frame += [node.type.encode(), b"\x00"]
        else:
            frame += [parts[-2], b"\x00"]
    return Outline(tuple(units), b"".join(parts), b"".join(frame))


def _header(data: bytes, declaration: Node, body: Node | None) -> bytes:
    """What identifies a function or method declaration while its body is edited:
    its text up to the body (the whole text when it has none)."""
    end = body.start_byte if body is not None else declaration.end_byte
    return data[declaration.start_byte : end]


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
    key: tuple[Hashable, ...]  # everything but the skeleton
    shape: Outline
    # scope -> unit text -> findings of that scope's rules, relative to the unit start
    by_scope: dict[Scope, dict[bytes, tuple[Finding, ...]]]
    # unit text -> headers of the file's functions and methods whose declarations the
    # checks of the cached scopes' rules in that unit read (`PackageIndex.recorder`)
    reads: dict[bytes, frozenset[bytes]]


class _Reads:
    """Per unit of one file, what the checks of the cached scopes' rules read of the
    file's functions and methods while checking the unit's matches: the headers of
    the declarations handed out, and the names looked up (as `_looked_up` keys)."""

    def __init__(self, source: SourceFile, shape: Outline, codes: frozenset[str]) -> None:
        self._source = source
        self._starts = shape.starts
        self._codes = codes
        self.by_unit: dict[int, set[bytes]] = {}

    def recorder(self, rule: Rule, start: int) -> Recorder | None:
        if rule.code not in self._codes:
            return None
        return _UnitReads(self._source, self.by_unit.setdefault(_index(self._starts, start), set()))

    def by_text(
        self, shape: Outline, only: set[int] | None = None
    ) -> dict[bytes, frozenset[bytes]]:
        table: dict[bytes, frozenset[bytes]] = {}
        for index, unit in enumerate(shape.units):
            if only is not None and index not in only:
                continue
            read = frozenset(self.by_unit.get(index, ()))
            table[unit.text] = table.get(unit.text, frozenset()) | read
        return table


class _UnitReads:
    """The `Recorder` of one unit's checks."""

    __slots__ = ("_found", "_source")

    def __init__(self, source: SourceFile, found: set[bytes]) -> None:
        self._source = source
        self._found = found

    def declaration(self, node: Node, file: FileDecls) -> None:
        if file.source is self._source and node.type in _WITH_BODY:
            self._found.add(_header(self._source.data, node, node.child_by_field_name("body")))

    def name(self, name: str) -> None:
        self._found.add(_looked_up(name.encode("utf-8", "surrogateescape")))


def _looked_up(name: bytes) -> bytes:
    """The key under which a name looked up is kept among the headers read (a header
    never starts with a NUL byte)."""
    return b"\x00" + name


class Relinter:
    """The re-lint state of one document. Not thread-safe: one lint at a time."""

    def __init__(self) -> None:
        self._cached: dict[bytes, _Cached] = {}  # by skeleton, the latest last
        self._skeleton: bytes | None = None
        self._words = _Words()

    def reset(self) -> None:
        self._cached = {}
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
        key = (id(engine), source.go_version, tuple(rule.code for rule in rules), path, context)
        self._cached = {s: c for s, c in self._cached.items() if c.key == key}
        cached = self._cached.get(shape.skeleton)
        signatures = _Signatures(frozenset(), frozenset())
        if cached is None:
            # The latest results with the same frame: only signatures changed.
            cached = next(
                (c for c in reversed(self._cached.values()) if c.shape.frame == shape.frame),
                None,
            )
            if cached is not None:
                signatures = _changed_signatures(cached.shape, shape)
        if cached is not None:
            partial = self._partial(engine, source, package, path, rules, shape, cached, signatures)
            if partial is not None:
                return Relint(partial[0], Mode.PARTIAL, partial[1], skeleton_changed)
        result = self._full(engine, source, package, path, rules, shape, key)
        return Relint(result, Mode.FULL, len(shape.units), skeleton_changed)

    def _remember(self, cached: _Cached) -> None:
        self._cached.pop(cached.shape.skeleton, None)
        self._cached[cached.shape.skeleton] = cached
        while len(self._cached) > _REMEMBERED:
            del self._cached[next(iter(self._cached))]

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
        reads = _Reads(source, shape, _cached_codes(rules))
        run = engine.run_rules(source, package, rules, recorders=reads.recorder)
        by_scope: dict[Scope, dict[bytes, tuple[Finding, ...]]] = {}
        for scope in _CACHED_SCOPES:
            codes = _codes(rules, scope)
            partition = _partition(shape, [f for f in run.findings if f.code in codes])
            if partition is None:
                break
            by_scope[scope] = partition
        if len(by_scope) == len(_CACHED_SCOPES) and not run.failures:
            self._remember(_Cached(key, shape, by_scope, reads.by_text(shape)))
        else:
            self._cached.pop(shape.skeleton, None)
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
        signatures: _Signatures,
    ) -> tuple[LintResult, int] | None:
        """Findings from the cached ones and a re-check of what changed
        (`signatures`: the functions and methods whose signature changed)."""
        units = shape.units
        changed = {
            i for i, unit in enumerate(units) if unit.text not in cached.by_scope[Scope.DECLARATION]
        }
        data = source.data
        found_words: list[list[frozenset[bytes]]] = []

        def words() -> list[frozenset[bytes]]:
            if not found_words:
                found_words.append(self._words.of(units))
            return found_words[0]

        declaration = set(changed)
        if signatures.names:
            # Declarations that name a function whose signature changed, looked up one
            # of its names (old or new), or read its declaration.
            read = signatures.headers | {_looked_up(n) for n in signatures.names}
            declaration |= _naming(units, set(signatures.names), data, words())
            declaration |= {
                i for i, unit in enumerate(units) if cached.reads.get(unit.text, set()) & read
            }
        callers = (
            _callers(units, declaration, data, cached.reads, words()) if declaration else set()
        )
        recheck = {Scope.DECLARATION: declaration, Scope.CALLEES: callers}
        starts = shape.starts
        facts = engine.facts(source, package)  # shared by the runs below
        reads = _Reads(source, shape, _cached_codes(rules))
        findings: list[Finding] = []
        by_scope: dict[Scope, dict[bytes, tuple[Finding, ...]]] = {}
        for scope in _CACHED_SCOPES:
            scoped_rules = [r for r in rules if r.scope is scope]
            indexes = recheck[scope]
            fresh_findings: list[Finding] = []
            if indexes and scoped_rules:
                ranges = [(units[i].start, units[i].end) for i in sorted(indexes)]
                run = engine.run_rules(
                    source, package, scoped_rules, ranges, facts=facts, recorders=reads.recorder
                )
                if run.failures:
                    return None
                fresh_findings = [f for f in run.findings if _index(starts, f.start) in indexes]
            fresh = _partition(shape, fresh_findings, only=indexes)
            if fresh is None:
                return None
            table: dict[bytes, tuple[Finding, ...]] = {}
            old_findings = cached.by_scope[scope]
            for index, unit in enumerate(units):
                if index in indexes:
                    table[unit.text] = fresh[unit.text]
                    continue
                relative = old_findings[unit.text]
                table[unit.text] = relative
                findings.extend(_shift(f, unit.start) for f in relative)
            findings.extend(fresh_findings)
            by_scope[scope] = table
        other_rules = [r for r in rules if r.scope not in _CACHED_SCOPES]
        if other_rules:
            run = engine.run_rules(source, package, other_rules, facts=facts)
            if run.failures:
                return None
            findings.extend(run.findings)
        rechecked = recheck[Scope.CALLEES]
        kept = {
            unit.text: cached.reads.get(unit.text, frozenset())
            for index, unit in enumerate(units)
            if index not in rechecked
        }
        # What declaration rules read in units re-checked only for `callees` rules
        # is kept too (those rules did not run there).
        fresh_reads = reads.by_text(shape, rechecked)
        for index in rechecked - recheck[Scope.DECLARATION]:
            text = units[index].text
            fresh_reads[text] = fresh_reads.get(text, frozenset()) | cached.reads.get(
                text, frozenset()
            )
        self._remember(_Cached(cached.key, shape, by_scope, {**kept, **fresh_reads}))
        empty = RuleRun((), (), frozenset())
        return _finish(engine, source, path, rules, findings, empty), len(changed)


@dataclass(frozen=True)
class _Signatures:
    """Functions and methods whose signature changed: their names (before and
    after) and their headers before."""

    names: frozenset[bytes]
    headers: frozenset[bytes]


def _changed_signatures(old: Outline, new: Outline) -> _Signatures:
    """What `new` changed of `old`'s signatures (equal frames: the same functions and
    methods in the same order, and the same other declarations)."""
    names: set[bytes] = set()
    headers: set[bytes] = set()
    for i, j in zip(old.functions, new.functions, strict=True):
        before, after = old.units[i], new.units[j]
        if before.header != after.header:
            names |= {n for n in (before.name, after.name) if n}
            headers |= {before.header} if before.header is not None else set()
    return _Signatures(frozenset(names), frozenset(headers))


def _codes(rules: Sequence[Rule], scope: Scope) -> frozenset[str]:
    return frozenset(rule.code for rule in rules if rule.scope is scope)


def _cached_codes(rules: Sequence[Rule]) -> frozenset[str]:
    return frozenset(rule.code for rule in rules if rule.scope in _CACHED_SCOPES)


_WORD = re.compile(rb"\w+")  # ASCII letters, digits and underscores


class _Words:
    """The words (runs of ASCII letters, digits and ``_``) of each unit, for finding
    the units that name a function; computed once per unit text."""

    def __init__(self) -> None:
        self._by_text: dict[bytes, frozenset[bytes]] = {}

    def of(self, units: Sequence[Unit]) -> list[frozenset[bytes]]:
        known = self._by_text
        found = [known.get(u.text) or frozenset(_WORD.findall(u.text)) for u in units]
        self._by_text = {u.text: words for u, words in zip(units, found, strict=True)}
        return found


def _naming(
    units: Sequence[Unit], names: set[bytes], data: bytes, words: Sequence[frozenset[bytes]]
) -> set[int]:
    """The units holding an identifier equal to one of `names` (with no ASCII word
    character on either side)."""
    if not names:
        return set()
    if all(_WORD.fullmatch(name) for name in names):
        return {i for i, found in enumerate(words) if not names.isdisjoint(found)}
    starts = [unit.start for unit in units]
    alternatives = b"|".join(map(re.escape, sorted(names)))
    pattern = re.compile(rb"(?<![\w])(?:" + alternatives + rb")(?![\w])")
    return {_index(starts, m.start()) for m in pattern.finditer(data)}


def _callers(
    units: Sequence[Unit],
    changed: set[int],
    data: bytes,
    reads: dict[bytes, frozenset[bytes]],
    words: Sequence[frozenset[bytes]],
) -> set[int]:
    """`changed` and every unit whose `callees` findings may depend on one of them,
    transitively: units that name a function or method declared in a changed unit
    (by identifier: a superset of the real callers), and units whose checks read
    such a declaration through Facts (e.g. the ``Write`` method of a value handed
    to ``io.WriteString``, which no identifier names)."""
    readers: dict[bytes, set[int]] = {}
    for index, unit in enumerate(units):
        for read in reads.get(unit.text, ()):
            readers.setdefault(read, set()).add(index)
    found = set(changed)
    frontier = set(changed)
    named: set[bytes] = set()
    while frontier:
        names = {n for i in frontier if (n := units[i].name) and n not in named}
        named |= names
        new = _naming(units, names, data, words)
        for index in frontier:
            header = units[index].header
            if header is not None:
                new |= readers.get(header, set())
        frontier = new - found
        found |= frontier
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
