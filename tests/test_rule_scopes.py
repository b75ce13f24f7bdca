"""Every rule keeps the promise of its scope, which the language server relies on to
re-check only what an edit can change (gobex.lsp.relint).

- ``Scope.DECLARATION``: the findings of a rule in one top-level declaration stay
  the same, relative to the declaration, when the body of every *other* function
  and method of the file is emptied (the skeleton, which such findings may also
  read, stays as it is).
- ``Scope.CALLEES``: the same when the bodies emptied are those of the functions
  and methods the declaration does not reach: by naming them (an identifier equal
  to their name), or by its checks reading their declarations through Facts and
  the package index (``PackageIndex.recorder``), transitively.

Emptying bodies is a large change (a helper that closed a body now does nothing,
a channel read elsewhere is gone), so a rule that looks further than its scope
says shows a difference on the fixtures that exercise it.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from tree_sitter import Node

from gobex.config import Config
from gobex.engine import Engine
from gobex.facts import PackageIndex
from gobex.facts.package import FileDecls, Recorder
from gobex.finding import Finding, Fix, Related, TextEdit
from gobex.rule import Rule, Scope
from gobex.source import SourceFile

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "rules").glob("*/testdata/*.go"))
ENGINE = Engine(Config(preview=True))
WITH_BODY = ("function_declaration", "method_declaration")
IDENTIFIER = re.compile(rb"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    body: tuple[int, int] | None
    name: bytes | None
    header: bytes | None


def units_of(source: SourceFile) -> list[Unit]:
    found = []
    for node in source.root.children:
        body = node.child_by_field_name("body") if node.type in WITH_BODY else None
        name = node.child_by_field_name("name") if node.type in WITH_BODY else None
        found.append(
            Unit(
                node.start_byte,
                node.end_byte,
                (body.start_byte, body.end_byte) if body is not None else None,
                name.text if name is not None else None,
                header(source.data, node) if node.type in WITH_BODY else None,
            )
        )
    return found


def header(data: bytes, declaration: Node) -> bytes:
    body = declaration.child_by_field_name("body")
    end = body.start_byte if body is not None else declaration.end_byte
    return data[declaration.start_byte : end]


def run(
    source: SourceFile, rules: list[Rule]
) -> tuple[list[Unit], dict[tuple[str, int], list[Finding]], dict[int, set[bytes]]]:
    """Findings of `rules` by (code, unit index), and the declarations the checks
    of `callees` rules read, by unit index (as headers)."""
    units = units_of(source)
    starts = [u.start for u in units]
    reads: dict[int, set[bytes]] = defaultdict(set)

    class Reads:
        def __init__(self, into: set[bytes]) -> None:
            self.into = into

        def declaration(self, node: Node, file: FileDecls) -> None:
            if file.source is source and node.type in WITH_BODY:
                self.into.add(header(source.data, node))

        def name(self, name: str) -> None:
            pass

    def recorders(rule: Rule, start: int) -> Recorder | None:
        if rule.scope is not Scope.CALLEES:
            return None
        return Reads(reads[max(0, bisect.bisect_right(starts, start) - 1)])

    package = PackageIndex.of([source], ENGINE.models)
    result = ENGINE.run_rules(source, package, rules, recorders=recorders)
    assert not result.failures, result.failures
    table: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for finding in result.findings:
        table[(finding.code, max(0, bisect.bisect_right(starts, finding.start) - 1))].append(
            finding
        )
    return units, table, reads


def reached(units: list[Unit], index: int, data: bytes, reads: dict[int, set[bytes]]) -> set[int]:
    """The units `index` names or reads, transitively (itself included)."""
    by_name: dict[bytes, list[int]] = defaultdict(list)
    by_header: dict[bytes, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        if unit.name:
            by_name[unit.name].append(i)
        if unit.header:
            by_header[unit.header].append(i)
    found = {index}
    pending = [index]
    while pending:
        current = units[pending.pop()]
        named = {m.group() for m in IDENTIFIER.finditer(data, current.start, current.end)}
        more = [i for name in named for i in by_name.get(name, ())]
        more += [i for h in reads.get(units.index(current), ()) for i in by_header.get(h, ())]
        for i in more:
            if i not in found:
                found.add(i)
                pending.append(i)
    return found


def emptied(data: bytes, units: list[Unit], keep: set[int]) -> bytes:
    """`data` with the body of every function and method not in `keep` emptied."""
    parts = []
    position = 0
    for i, unit in enumerate(units):
        if unit.body is None or i in keep:
            continue
        parts += [data[position : unit.body[0]], b"{}"]
        position = unit.body[1]
    parts.append(data[position:])
    return b"".join(parts)


def relative(findings: list[Finding], unit: Unit) -> list[str] | None:
    """The findings relative to the unit's start; None when one reaches outside it
    (the language server lints the whole file again then)."""

    def inside(start: int, end: int) -> bool:
        return unit.start <= start <= end <= unit.end

    out = []
    for finding in findings:
        spans = [(finding.start, finding.end)]
        spans += [(r.start, r.end) for r in finding.related if r.path is None]
        spans += [(e.start, e.end) for fix in finding.fixes for e in fix.edits]
        if not all(inside(*span) for span in spans):
            return None
        out.append(repr(shifted(finding, -unit.start)))
    return sorted(out)


def shifted(finding: Finding, delta: int) -> Finding:
    def fix(f: Fix) -> Fix:
        return replace(
            f, edits=tuple(TextEdit(e.start + delta, e.end + delta, e.text) for e in f.edits)
        )

    def related(r: Related) -> Related:
        return r if r.path is not None else replace(r, start=r.start + delta, end=r.end + delta)

    return replace(
        finding,
        start=finding.start + delta,
        end=finding.end + delta,
        fixes=tuple(fix(f) for f in finding.fixes),
        related=tuple(related(r) for r in finding.related),
    )


def broken_promises(path: Path) -> list[str]:
    data = path.read_bytes()
    source = SourceFile.parse(path.name, data)
    rules = [r for r in ENGINE.rules if r.scope in (Scope.DECLARATION, Scope.CALLEES)]
    units, table, reads = run(source, rules)
    problems = []
    for index, unit in enumerate(units):
        for scope in (Scope.DECLARATION, Scope.CALLEES):
            keep = {index} if scope is Scope.DECLARATION else reached(units, index, data, reads)
            mutated = emptied(data, units, keep)
            if mutated == data:
                continue
            scoped = [r for r in rules if r.scope is scope]
            other_units, other_table, _ = run(SourceFile.parse(path.name, mutated), scoped)
            for rule in scoped:
                before = relative(table.get((rule.code, index), []), unit)
                after = relative(other_table.get((rule.code, index), []), other_units[index])
                if before is not None and after is not None and before != after:
                    line = data[unit.start : unit.end].split(b"\n")[0].decode()
                    problems.append(f"{rule.code} ({scope}) in `{line}`: {before} -> {after}")
    return problems


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_rules_keep_their_scope_on_fixtures(path: Path) -> None:
    assert broken_promises(path) == []


def test_a_rule_that_reads_another_body_breaks_the_declaration_promise(
    tmp_path: Path,
) -> None:
    """The check can fail: ERR003 reads the body of a local callee (does it ever
    return an error?), which `declaration` does not allow and `callees` does."""
    path = tmp_path / "p.go"
    path.write_bytes(
        b"package p\n\nfunc save() error {\n\treturn nil\n}\n\nfunc run() {\n\tsave()\n}\n"
    )
    err003 = ENGINE.registry.by_code["ERR003"]
    assert err003.scope is Scope.CALLEES
    as_declaration = Engine(Config(preview=True))
    as_declaration.rules = tuple(
        replace(r, scope=Scope.DECLARATION) if r.code == "ERR003" else r
        for r in as_declaration.rules
    )
    original = ENGINE.rules
    try:
        ENGINE.rules = as_declaration.rules
        assert any(p.startswith("ERR003 (declaration)") for p in broken_promises(path))
    finally:
        ENGINE.rules = original
    assert broken_promises(path) == []


def test_declarations_read_through_facts_count_as_reached(tmp_path: Path) -> None:
    """`io.WriteString(c, s)` never fails when c's own Write never does: ERR003
    reads that Write method, whose name the caller does not contain; the package
    index tells the reader."""
    path = tmp_path / "w.go"
    path.write_bytes(
        b'package p\n\nimport "io"\n\ntype counter struct{ n int }\n\n'
        b"func (c *counter) Write(p []byte) (int, error) {\n\tc.n += len(p)\n"
        b"\treturn len(p), nil\n}\n\n"
        b"func measure(c *counter, s string) int {\n\tio.WriteString(c, s)\n\treturn c.n\n}\n"
    )
    source = SourceFile.parse(path.name, path.read_bytes())
    units, table, reads = run(source, [ENGINE.registry.by_code["ERR003"]])
    measure = next(i for i, u in enumerate(units) if u.name == b"measure")
    write = next(i for i, u in enumerate(units) if u.name == b"Write")
    caller = units[measure]
    assert b"Write" not in {
        m.group() for m in IDENTIFIER.finditer(source.data, caller.start, caller.end)
    }
    assert write in reached(units, measure, source.data, reads)
    assert not table.get(("ERR003", measure))  # quiet: the Write never fails
    assert broken_promises(path) == []
